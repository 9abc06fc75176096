import { describe, expect, it } from 'vitest';
import { loaderWithNow } from '../../../src/upstreams/runtime/now';
import { fetchPages, pagesNow, type PagingSpec } from '../../../src/upstreams/runtime/paging';
import type { Provenanced } from '../../../src/upstreams/runtime/source';

/**
 * The synchronous read path of a warm request (issue 15): runtime/now.ts gives a request one answer per key
 * whichever way it was read, and runtime/paging.ts `pagesNow` reads exactly the pages `fetchPages` reads.
 */
const at = new Date('2026-12-01T10:00:00Z');
const prov = (n: number) => ({ source: 'pvog' as const, fetchedAt: new Date(at.getTime() + n), stale: false });

describe('loaderWithNow', () => {
  it('an answer read at once is the request’s answer: load() gives the same object and asks nobody', async () => {
    const batches: string[][] = [];
    const value = { v: 'fresh' };
    const l = loaderWithNow<string, { v: string }>(
      async (keys) => (batches.push([...keys]), keys.map(() => ({ v: 'loaded' }))),
      (k) => k,
      (k) => (k === 'a' ? value : undefined),
    );
    expect(l.now('a')).toBe(value);
    expect(await l.loader.load('a')).toBe(value);
    expect(l.now('b')).toBeUndefined(); // not readable at once: the caller awaits load()
    expect(await l.loader.load('b')).toEqual({ v: 'loaded' });
    expect(batches).toEqual([['b']]);
  });

  it('while a load is under way now() waits for it; afterwards it gives the loaded answer, never a second read', async () => {
    let reads = 0;
    const l = loaderWithNow<string, { v: string }>(
      async (keys) => keys.map(() => ({ v: 'loaded' })),
      (k) => k,
      () => (reads++, { v: 'fresh' }),
    );
    const pending = l.loader.load('a');
    expect(l.now('a')).toBeUndefined();
    const loaded = await pending;
    expect(l.now('a')).toBe(loaded);
    expect(reads).toBe(0);
  });

  it('after a failed load now() gives nothing (the caller gets the error from load)', async () => {
    const l = loaderWithNow<string, { v: string }>(
      async (keys) => keys.map(() => new Error('upstream down')),
      (k) => k,
      () => ({ v: 'fresh' }),
    );
    await expect(l.loader.load('a')).rejects.toThrow('upstream down');
    expect(l.now('a')).toBeUndefined();
  });
});

describe('pagesNow', () => {
  const pages = [{ items: [1, 2], next: 1 }, { items: [3, 4], next: 2 }, { items: [5], next: null }];
  const spec = (fresh: (i: number) => boolean, extra: Partial<PagingSpec<number, (typeof pages)[0]>> = {}) => ({
    start: 0,
    maxPages: 10,
    fetch: async (i: number): Promise<Provenanced<(typeof pages)[0]>> => ({ value: pages[i], provenance: prov(i) }),
    fetchNow: (i: number) => (fresh(i) ? { value: pages[i], provenance: prov(i) } : undefined),
    next: (p: (typeof pages)[0]) => p.next,
    ...extra,
  });

  it('reads the pages fetchPages reads, with the same provenance and stop', async () => {
    for (const extra of [{}, { maxPages: 2 }, { enough: (ps: readonly unknown[]) => ps.length >= 2 }]) {
      const s = spec(() => true, extra);
      expect(pagesNow(s)).toEqual(await fetchPages(s));
    }
    expect(pagesNow(spec(() => true))?.provenance.fetchedAt).toEqual(at); // the oldest page's time
  });

  it('gives nothing as soon as one page is not fresh', () => {
    expect(pagesNow(spec((i) => i !== 2))).toBeUndefined();
  });
});

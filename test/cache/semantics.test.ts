import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CacheClosedError,
  CacheConfigError,
  CacheValueError,
  createCache,
  type CacheEvent,
  type CachePolicy,
  type DataCache,
  type LoadResult,
  type PreviousValue,
} from '../../src/cache';
import { deferred, eventually, manualClock, metricValue } from './helpers';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const caches: DataCache[] = [];
function newCache(opts: Partial<Parameters<typeof createCache>[0]> = {}): DataCache {
  const cache = createCache({ maxBytes: 1 << 20, ...opts });
  caches.push(cache);
  return cache;
}
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.close()));
});

/** Loader that numbers its answers, so a test can tell which load a value came from. */
function countingLoader<T>(make: (n: number) => T) {
  const loader = async (): Promise<LoadResult<T>> => ({ value: make(++loader.calls) });
  loader.calls = 0;
  return loader;
}

describe('TTL', () => {
  it('serves from L1 until the TTL passes, then loads again', async () => {
    const clock = manualClock();
    const cache = newCache({ now: clock.now });
    const policy: CachePolicy = { upstream: 'pvog', operation: 'service', ttlMs: MINUTE };
    const load = countingLoader((n) => ({ title: `Leistung v${n}` }));
    const series = { upstream: 'pvog', operation: 'service' };
    const missesBefore = await metricValue('thuegate_cache_misses_total', series);
    const hitsBefore = await metricValue('thuegate_cache_hits_total', { ...series, tier: 'l1' });

    const first = await cache.get('svc-a', policy, load);
    expect(first).toMatchObject({ value: { title: 'Leistung v1' }, stale: false, tier: 'origin' });
    expect(first.fetchedAt.getTime()).toBe(clock.start);

    clock.advance(MINUTE - 1);
    const cached = await cache.get('svc-a', policy, load);
    expect(cached).toMatchObject({ value: { title: 'Leistung v1' }, stale: false, tier: 'l1' });
    expect(cached.fetchedAt.getTime()).toBe(clock.start);

    clock.advance(1);
    const reloaded = await cache.get('svc-a', policy, load);
    expect(reloaded).toMatchObject({ value: { title: 'Leistung v2' }, stale: false, tier: 'origin' });
    expect(reloaded.fetchedAt.getTime()).toBe(clock.start + MINUTE);
    expect(load.calls).toBe(2);
    expect(await metricValue('thuegate_cache_misses_total', series)).toBe(missesBefore + 2);
    expect(await metricValue('thuegate_cache_hits_total', { ...series, tier: 'l1' })).toBe(hitsBefore + 1);
  });

  it('hands every caller its own copy, so one request cannot change what the next one sees', async () => {
    const cache = newCache();
    const policy: CachePolicy = { upstream: 'pvog', operation: 'service', ttlMs: MINUTE };
    const load = countingLoader(() => ({ fees: [{ amount: 12 }] }));
    const a = await cache.get('svc-b', policy, load);
    a.value.fees[0]!.amount = 999;
    const b = await cache.get('svc-b', policy, load);
    expect(b.tier).toBe('l1');
    expect(b.value.fees[0]!.amount).toBe(12);
  });

  it('keys are separate per upstream and operation', async () => {
    const cache = newCache();
    const load = countingLoader((n) => n);
    await cache.get('same', { upstream: 'pvog', operation: 'service', ttlMs: MINUTE }, load);
    await cache.get('same', { upstream: 'pvog', operation: 'org-unit', ttlMs: MINUTE }, load);
    const other = await cache.get('same', { upstream: 'geomis', operation: 'service', ttlMs: MINUTE }, load);
    expect(other.value).toBe(3);
  });

  it('applies the hard max age of the policy passed with each read, also for one upstream and operation', async () => {
    // Resolved policies are remembered per upstream and operation (issue 15); a read with other values must not get
    // an earlier read's resolution — neither from a new object nor from the same object changed.
    const clock = manualClock();
    const cache = newCache({ now: clock.now });
    const load = countingLoader((n) => n);
    const op = { upstream: 'pvog', operation: 'hard-max-per-read' };
    const policy: CachePolicy = { ...op, ttlMs: HOUR };
    await cache.get('k', policy, load);
    clock.advance(2 * MINUTE);
    expect(await cache.get('k', policy, load)).toMatchObject({ value: 1, tier: 'l1' });
    expect(await cache.get('k', { ...op, ttlMs: HOUR }, load)).toMatchObject({ value: 1, tier: 'l1' });
    policy.hardMaxAgeMs = MINUTE;
    expect(await cache.get('k', policy, load)).toMatchObject({ value: 2, tier: 'origin' });
    clock.advance(30 * SECOND);
    expect(await cache.get('k', { ...op, ttlMs: HOUR }, load)).toMatchObject({ value: 2, tier: 'l1' });
    expect(await cache.get('k', { ...op, ttlMs: HOUR, hardMaxAgeMs: 10 * SECOND }, load)).toMatchObject({ value: 3, tier: 'origin' });
  });

  it('does not keep values the loader marks noStore', async () => {
    const cache = newCache();
    let calls = 0;
    const load = async () => ({ value: ++calls, noStore: true });
    const policy: CachePolicy = { upstream: 'geoproxy', operation: 'capabilities', ttlMs: HOUR };
    await cache.get('wms', policy, load);
    const again = await cache.get('wms', policy, load);
    expect(again).toMatchObject({ value: 2, tier: 'origin' });
  });
});

describe('single-flight', () => {
  it('50 concurrent cold gets share one load', async () => {
    const cache = newCache();
    const gate = deferred<void>();
    let calls = 0;
    const load = async () => {
      calls++;
      await gate.promise;
      return { value: { records: ['a', 'b'] } };
    };
    const policy: CachePolicy = { upstream: 'geomis', operation: 'get-records', ttlMs: MINUTE };
    const pending = Array.from({ length: 50 }, () => cache.get('q=wasser', policy, load));
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    expect(cache.stats().inflight).toBe(1);
    gate.resolve();
    const results = await Promise.all(pending);
    expect(calls).toBe(1);
    for (const r of results) expect(r).toMatchObject({ value: { records: ['a', 'b'] }, tier: 'origin', stale: false });
    expect(cache.stats().inflight).toBe(0);
  });

  it('a failing shared load rejects every waiter with the loader error, unchanged', async () => {
    const cache = newCache();
    const failure = new Error('CSW answered 503');
    let calls = 0;
    const load = async (): Promise<LoadResult<number>> => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      throw failure;
    };
    const policy: CachePolicy = { upstream: 'geomis', operation: 'get-records', ttlMs: MINUTE };
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => cache.get('q', policy, load)));
    expect(calls).toBe(1);
    for (const s of settled) {
      expect(s.status).toBe('rejected');
      expect((s as PromiseRejectedResult).reason).toBe(failure);
    }
  });

  it('a caller that aborts stops waiting; the load goes on for the others and aborts once nobody waits', async () => {
    const cache = newCache();
    const gate = deferred<void>();
    const seenSignals: AbortSignal[] = [];
    const load = async (_prev: unknown, ctx: { signal: AbortSignal }) => {
      seenSignals.push(ctx.signal);
      await gate.promise;
      return { value: 'answer' };
    };
    const policy: CachePolicy = { upstream: 'dvdv', operation: 'find-organization', ttlMs: MINUTE };

    const quitter = new AbortController();
    const stayer = new AbortController();
    const a = cache.get('org-1', policy, load, { signal: quitter.signal });
    const b = cache.get('org-1', policy, load, { signal: stayer.signal });
    await new Promise((r) => setImmediate(r));
    quitter.abort();
    await expect(a).rejects.toMatchObject({ name: 'AbortError' });
    expect(seenSignals[0]!.aborted).toBe(false);
    gate.resolve();
    await expect(b).resolves.toMatchObject({ value: 'answer', tier: 'origin' });

    const lone = new AbortController();
    const c = cache.get('org-2', policy, async (_p, ctx) => {
      seenSignals.push(ctx.signal);
      return new Promise<LoadResult<string>>(() => undefined);
    }, { signal: lone.signal });
    await new Promise((r) => setImmediate(r));
    lone.abort();
    await expect(c).rejects.toMatchObject({ name: 'AbortError' });
    expect(seenSignals[1]!.aborted).toBe(true);
    expect(cache.stats().inflight).toBe(0);
  });
});

describe('stale-while-revalidate', () => {
  it('serves the old value at once, marked stale, and refreshes it once in the background', async () => {
    const clock = manualClock();
    const cache = newCache({ now: clock.now });
    const policy: CachePolicy = { upstream: 'thavel', operation: 'onlinedienste', ttlMs: MINUTE, staleWhileRevalidateMs: 10 * MINUTE };
    await cache.get('ars-a', policy, async () => ({ value: 'forms v1' }));
    const staleBefore = await metricValue('thuegate_cache_stale_served_total', {
      upstream: 'thavel', operation: 'onlinedienste', tier: 'l1', reason: 'revalidating',
    });

    clock.advance(2 * MINUTE);
    const gate = deferred<void>();
    let calls = 0;
    const slowLoad = async () => {
      calls++;
      await gate.promise;
      return { value: 'forms v2' };
    };
    // The refresh is still blocked while all ten answers arrive: stale serving does not wait for it.
    const answers = await Promise.all(Array.from({ length: 10 }, () => cache.get('ars-a', policy, slowLoad)));
    for (const a of answers) {
      expect(a).toMatchObject({ value: 'forms v1', stale: true, staleReason: 'revalidating', tier: 'l1' });
      expect(a.fetchedAt.getTime()).toBe(clock.start);
    }
    expect(calls).toBe(1);
    expect(
      await metricValue('thuegate_cache_stale_served_total', {
        upstream: 'thavel', operation: 'onlinedienste', tier: 'l1', reason: 'revalidating',
      }),
    ).toBe(staleBefore + 10);

    gate.resolve();
    await eventually(() => cache.stats().inflight === 0);
    const fresh = await cache.get('ars-a', policy, slowLoad);
    expect(fresh).toMatchObject({ value: 'forms v2', stale: false, tier: 'l1' });
    expect(fresh.fetchedAt.getTime()).toBe(clock.start + 2 * MINUTE);
    expect(calls).toBe(1);
  });

  it('past the SWR window the caller waits for the origin', async () => {
    const clock = manualClock();
    const cache = newCache({ now: clock.now });
    const policy: CachePolicy = { upstream: 'thavel', operation: 'onlinedienste', ttlMs: MINUTE, staleWhileRevalidateMs: MINUTE };
    await cache.get('ars-b', policy, async () => ({ value: 'v1' }));
    clock.advance(2 * MINUTE);
    const r = await cache.get('ars-b', policy, async () => ({ value: 'v2' }));
    expect(r).toMatchObject({ value: 'v2', stale: false, tier: 'origin' });
  });

  it('a failing background refresh keeps the old value and is reported', async () => {
    const clock = manualClock();
    const events: CacheEvent[] = [];
    const cache = newCache({ now: clock.now, onEvent: (e) => events.push(e) });
    const policy: CachePolicy = { upstream: 'pvog', operation: 'service', ttlMs: MINUTE, staleWhileRevalidateMs: HOUR };
    await cache.get('svc', policy, async () => ({ value: 'v1' }));
    clock.advance(5 * MINUTE);
    const boom = new Error('PVOG 502');
    const r = await cache.get('svc', policy, async () => {
      throw boom;
    });
    expect(r).toMatchObject({ value: 'v1', stale: true });
    await eventually(() => events.some((e) => e.type === 'refresh-failed'));
    expect(events.find((e) => e.type === 'refresh-failed')).toMatchObject({ upstream: 'pvog', key: 'svc', error: boom });
    const again = await cache.get('svc', policy, async () => ({ value: 'v2' }));
    expect(again).toMatchObject({ value: 'v1', stale: true });
  });
});

describe('stale-if-error', () => {
  it('answers with the old value marked stale when the loader fails inside the window, rethrows beyond it', async () => {
    const clock = manualClock();
    const events: CacheEvent[] = [];
    const cache = newCache({ now: clock.now, onEvent: (e) => events.push(e) });
    const policy: CachePolicy = { upstream: 'geomis', operation: 'record', ttlMs: MINUTE, staleIfErrorMs: HOUR };
    await cache.get('uuid-1', policy, async () => ({ value: { title: 'Wasserschutzgebiete' } }));
    const before = await metricValue('thuegate_cache_stale_served_total', {
      upstream: 'geomis', operation: 'record', tier: 'l1', reason: 'upstream-error',
    });

    const outage = new Error('connect ECONNREFUSED');
    const failing = async (): Promise<LoadResult<{ title: string }>> => {
      throw outage;
    };
    clock.advance(10 * MINUTE);
    const stale = await cache.get('uuid-1', policy, failing);
    expect(stale).toMatchObject({ value: { title: 'Wasserschutzgebiete' }, stale: true, staleReason: 'upstream-error', tier: 'l1' });
    expect(stale.fetchedAt.getTime()).toBe(clock.start);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'stale-served', upstream: 'geomis', reason: 'upstream-error', error: outage }),
    );
    expect(
      await metricValue('thuegate_cache_stale_served_total', { upstream: 'geomis', operation: 'record', tier: 'l1', reason: 'upstream-error' }),
    ).toBe(before + 1);

    clock.advance(HOUR); // now 70 min after the load: past TTL + staleIfError
    await expect(cache.get('uuid-1', policy, failing)).rejects.toBe(outage);
  });

  it('with nothing cached the loader error comes through unchanged', async () => {
    const cache = newCache();
    const err = Object.assign(new Error('DVDV 500'), { upstream: 'dvdv' });
    await expect(
      cache.get('x', { upstream: 'dvdv', operation: 'find', ttlMs: MINUTE, staleIfErrorMs: HOUR }, async () => {
        throw err;
      }),
    ).rejects.toBe(err);
  });

  it('serveStaleOn can exclude errors (e.g. a definite 404) from stale serving', async () => {
    const clock = manualClock();
    class NotFound extends Error {}
    const cache = newCache({ now: clock.now, serveStaleOn: (e) => !(e instanceof NotFound) });
    const policy: CachePolicy = { upstream: 'pvog', operation: 'org-unit', ttlMs: MINUTE, staleIfErrorMs: HOUR };
    await cache.get('ou', policy, async () => ({ value: 'office' }));
    clock.advance(2 * MINUTE);
    const gone = new NotFound('gone');
    await expect(cache.get('ou', policy, async () => { throw gone; })).rejects.toBe(gone);
    await expect(cache.get('ou', policy, async () => { throw new Error('timeout'); })).resolves.toMatchObject({ value: 'office', stale: true });
  });
});

describe('hard max age', () => {
  const dvdvPolicy: CachePolicy = {
    upstream: 'dvdv',
    operation: 'find-organization',
    ttlMs: 24 * HOUR,
    staleWhileRevalidateMs: 24 * HOUR,
    staleIfErrorMs: 48 * HOUR,
    hardMaxAgeMs: 72 * HOUR,
  };

  it('DVDV data is never served older than 4 hours, whatever the policy says', async () => {
    const clock = manualClock();
    const cache = newCache({ now: clock.now });
    const clampedBefore = await metricValue('thuegate_cache_ttl_clamped_total', { upstream: 'dvdv', operation: 'find-organization' });
    await cache.get('org', dvdvPolicy, async () => ({ value: 'endpoint v1' }));
    expect(await metricValue('thuegate_cache_ttl_clamped_total', { upstream: 'dvdv', operation: 'find-organization' })).toBeGreaterThan(clampedBefore);

    clock.advance(4 * HOUR - 1);
    expect(await cache.get('org', dvdvPolicy, async () => ({ value: 'unused' }))).toMatchObject({ value: 'endpoint v1', tier: 'l1', stale: false });

    clock.advance(1);
    const down = new Error('DVDV unreachable');
    // Neither stale-if-error nor stale-while-revalidate may hand out the 4 h old entry.
    await expect(cache.get('org', dvdvPolicy, async () => { throw down; })).rejects.toBe(down);
    const gate = deferred<LoadResult<string>>();
    const pending = cache.get('org', dvdvPolicy, () => gate.promise);
    gate.resolve({ value: 'endpoint v2' });
    expect(await pending).toMatchObject({ value: 'endpoint v2', tier: 'origin', stale: false });
  });

  it('options can tighten the DVDV ceiling but not loosen it; loader TTLs are capped too', async () => {
    const clock = manualClock();
    const loose = newCache({ now: clock.now, hardMaxAgeMs: { dvdv: 8 * HOUR } });
    const tight = newCache({ now: clock.now, hardMaxAgeMs: { dvdv: HOUR } });
    const fromHeader = async () => ({ value: 'v', ttlMs: 10 * HOUR }); // e.g. Cache-Control: max-age=36000
    await loose.get('org', dvdvPolicy, fromHeader);
    await tight.get('org', dvdvPolicy, fromHeader);

    clock.advance(HOUR);
    expect((await tight.get('org', dvdvPolicy, async () => ({ value: 'new' }))).tier).toBe('origin');
    expect((await loose.get('org', dvdvPolicy, async () => ({ value: 'new' }))).tier).toBe('l1');
    clock.advance(3 * HOUR);
    expect((await loose.get('org', dvdvPolicy, async () => ({ value: 'new' }))).tier).toBe('origin');
  });

  it('a policy hardMaxAgeMs caps stale serving for any upstream', async () => {
    const clock = manualClock();
    const cache = newCache({ now: clock.now });
    const policy: CachePolicy = {
      upstream: 'geoproxy', operation: 'capabilities', ttlMs: 10 * MINUTE,
      staleWhileRevalidateMs: HOUR, staleIfErrorMs: HOUR, hardMaxAgeMs: 30 * MINUTE,
    };
    await cache.get('wms-dop', policy, async () => ({ value: 'caps v1' }));
    clock.advance(20 * MINUTE);
    expect(await cache.get('wms-dop', policy, async () => { throw new Error('x'); })).toMatchObject({ value: 'caps v1', stale: true });
    await eventually(() => cache.stats().inflight === 0);
    clock.advance(11 * MINUTE);
    const fail = new Error('WMS down');
    await expect(cache.get('wms-dop', policy, async () => { throw fail; })).rejects.toBe(fail);
  });
});

describe('conditional revalidation', () => {
  it('a notModified answer keeps the value and moves fetchedAt and expiry forward', async () => {
    const clock = manualClock();
    const cache = newCache({ now: clock.now });
    const policy: CachePolicy = { upstream: 'geoproxy', operation: 'capabilities', ttlMs: 10 * MINUTE };
    const lastModified = 'Wed, 14 Jan 2026 10:00:00 GMT';
    await cache.get('wfs', policy, async () => ({ value: { layers: ['gemeinden'] }, etag: '"caps-1"', lastModified }));

    clock.advance(10 * MINUTE);
    const seen: Array<PreviousValue<{ layers: string[] }> | undefined> = [];
    const revalidate = async (prev?: PreviousValue<{ layers: string[] }>): Promise<LoadResult<{ layers: string[] }>> => {
      seen.push(prev);
      return { notModified: true };
    };
    const r = await cache.get('wfs', policy, revalidate);
    expect(seen[0]).toMatchObject({ etag: '"caps-1"', lastModified, value: { layers: ['gemeinden'] } });
    expect(seen[0]!.fetchedAt.getTime()).toBe(clock.start);
    expect(r).toMatchObject({ value: { layers: ['gemeinden'] }, stale: false, tier: 'origin' });
    expect(r.fetchedAt.getTime()).toBe(clock.start + 10 * MINUTE);

    clock.advance(10 * MINUTE - 1);
    expect(await cache.get('wfs', policy, revalidate)).toMatchObject({ tier: 'l1' });
    clock.advance(1);
    await cache.get('wfs', policy, revalidate);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ etag: '"caps-1"', lastModified });
  });

  it('notModified without a previous value is a loader contract error naming the upstream', async () => {
    const cache = newCache();
    const p = cache.get('wfs', { upstream: 'geoproxy', operation: 'capabilities', ttlMs: MINUTE }, async () => ({ notModified: true as const }));
    await expect(p).rejects.toBeInstanceOf(CacheValueError);
    await expect(p).rejects.toThrow(/geoproxy\/capabilities/);
  });
});

describe('memory bound', () => {
  it('pushing 10x the bound through keeps L1 under it, in accounting and on the heap', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const maxBytes = 4 * 1024 * 1024;
    const cache = newCache({ maxBytes, name: 'memtest' });
    const policy: CachePolicy = { upstream: 'geomis', operation: 'record', ttlMs: HOUR };
    const evictionsBefore = await metricValue('thuegate_cache_l1_evictions_total', { cache: 'memtest' });
    const entryChars = 20_000;
    const total = Math.ceil((10 * maxBytes) / entryChars);

    gc();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < total; i++) {
      // Every value is a distinct string, so nothing is shared between entries.
      const text = `${i}:`.padEnd(entryChars, String.fromCharCode(97 + (i % 26)));
      await cache.get(`rec-${i}`, policy, async () => ({ value: { i, text } }));
      expect(cache.stats().l1Bytes).toBeLessThanOrEqual(maxBytes);
    }
    gc();
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    const stats = cache.stats();
    expect(stats.l1Bytes).toBeLessThanOrEqual(maxBytes);
    expect(stats.l1Bytes).toBeGreaterThan(maxBytes * 0.9);
    expect(stats.l1Entries).toBeLessThan(total / 9);
    expect(heapGrowth).toBeLessThan(maxBytes * 1.5);
    expect(await metricValue('thuegate_cache_l1_evictions_total', { cache: 'memtest' })).toBe(evictionsBefore + total - stats.l1Entries);
    expect(await metricValue('thuegate_cache_l1_bytes', { cache: 'memtest' })).toBe(stats.l1Bytes);

    // LRU: the newest entry stayed, the oldest went.
    const unused = async () => ({ value: { i: -1, text: '' } });
    expect((await cache.get(`rec-${total - 1}`, policy, unused)).tier).toBe('l1');
    expect((await cache.get('rec-0', policy, unused)).tier).toBe('origin');
  });

  it('text outside Latin-1 is accounted at two bytes per character', async () => {
    const cache = newCache();
    const policy: CachePolicy = { upstream: 'pvog', operation: 'service', ttlMs: HOUR };
    await cache.get('latin', policy, async () => ({ value: 'ü'.repeat(10_000) }));
    const latin = cache.stats().l1Bytes;
    await cache.get('euro', policy, async () => ({ value: '€'.repeat(10_000) }));
    expect(cache.stats().l1Bytes - latin).toBeGreaterThan(20_000);
    expect(latin).toBeLessThan(11_000);
  });

  it('a value larger than maxEntryBytes is served but not kept', async () => {
    const cache = newCache({ maxBytes: 64 * 1024, maxEntryBytes: 16 * 1024 });
    const policy: CachePolicy = { upstream: 'geoproxy', operation: 'capabilities', ttlMs: HOUR };
    const big = await cache.get('huge', policy, async () => ({ value: 'x'.repeat(40_000) }));
    expect(big.value).toHaveLength(40_000);
    expect(cache.stats().l1Entries).toBe(0);
  });
});

describe('purge (L1)', () => {
  it('removes by upstream and by logical key prefix, nothing else', async () => {
    const cache = newCache();
    const load = async () => ({ value: 1 });
    const pvog = { upstream: 'pvog', operation: 'services', ttlMs: HOUR };
    const geo = { upstream: 'geomis', operation: 'record', ttlMs: HOUR };
    for (const k of ['ars-16a', 'ars-16b', 'other']) await cache.get(k, pvog, load);
    for (const k of ['r1', 'r2']) await cache.get(k, geo, load);

    expect(await cache.purge({ upstream: 'geomis' })).toEqual({ purged: 2, l1: 2, l2: 0, l2Complete: true });
    expect(await cache.purge({ keyPrefix: 'pvog:services:ars-16' })).toMatchObject({ purged: 2 });
    expect(await cache.purge({ upstream: 'geomis', keyPrefix: 'pvog:' })).toMatchObject({ purged: 0 });
    expect(cache.stats().l1Entries).toBe(1);
    expect((await cache.get('other', pvog, load)).tier).toBe('l1');
    expect((await cache.get('ars-16a', pvog, load)).tier).toBe('origin');
  });
});

describe('input checks', () => {
  it('rejects malformed policies, keys, filters and options with the field named', async () => {
    const cache = newCache();
    const load = async () => ({ value: 1 });
    await expect(cache.get('k', { upstream: 'DVDV', operation: 'x', ttlMs: 1 }, load)).rejects.toMatchObject({
      name: 'CacheConfigError', field: 'policy.upstream',
    });
    await expect(cache.get('k', { upstream: 'pvog', operation: 'a:b', ttlMs: 1 }, load)).rejects.toMatchObject({ field: 'policy.operation' });
    await expect(cache.get('k', { upstream: 'pvog', operation: 'a', ttlMs: -5 }, load)).rejects.toThrow(
      /policy\.ttlMs must be a finite number of milliseconds >= 0, got -5/,
    );
    await expect(cache.get('', { upstream: 'pvog', operation: 'a', ttlMs: 1 }, load)).rejects.toMatchObject({ field: 'key' });
    await expect(cache.purge({})).rejects.toBeInstanceOf(CacheConfigError);
    await expect(cache.purge({ keyPrefix: '' })).rejects.toMatchObject({ field: 'purge.keyPrefix' });
    expect(() => createCache({ maxBytes: 0 })).toThrow(CacheConfigError);
    expect(() => createCache({ maxBytes: 1 << 20, redis: { url: 'http://127.0.0.1:6379' } })).toThrow(/redis\.url/);
    expect(() => createCache({ maxBytes: 1 << 20, hardMaxAgeMs: { dvdv: -1 } })).toThrow(/hardMaxAgeMs\.dvdv/);
  });

  it('rejects loader values that cannot be stored as JSON', async () => {
    const cache = newCache();
    const policy = { upstream: 'pvog', operation: 'service', ttlMs: MINUTE };
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(cache.get('c', policy, async () => ({ value: circular }))).rejects.toBeInstanceOf(CacheValueError);
    await expect(cache.get('u', policy, async () => ({ value: undefined }))).rejects.toThrow(/pvog\/service returned no value/);
    await expect(cache.get('t', policy, async () => ({ value: 1, ttlMs: Number.NaN }))).rejects.toThrow(/ttlMs NaN/);
  });

  it('refuses use after close', async () => {
    const cache = createCache({ maxBytes: 1 << 20 });
    await cache.close();
    await expect(cache.get('k', { upstream: 'pvog', operation: 'a', ttlMs: 1 }, async () => ({ value: 1 }))).rejects.toBeInstanceOf(
      CacheClosedError,
    );
  });
});

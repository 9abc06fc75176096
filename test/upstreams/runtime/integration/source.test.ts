import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCache, type DataCache } from '../../../../src/cache';
import { json, startSandboxServer, type SandboxServer } from '../../../../src/sandbox/http';
import { createUpstreamClient, isUpstreamError, type UpstreamClientConfig } from '../../../../src/upstreams/runtime';
import { UpstreamSource, type CachedCall, type SourceDefaults } from '../../../../src/upstreams/runtime/source';
import { projectRoot } from '../../../../src/util/paths';
import { metricValue, REDIS_URL, testKeyPrefix } from '../../../cache/helpers';

/**
 * Issue 3 acceptance at the UpstreamSource level: a real HTTP client, the real layered cache (Redis
 * where the test needs sharing) and a sandbox upstream on a loopback socket. The cache's byte bound
 * under 10x volume is covered in test/cache/semantics.test.ts and not repeated here.
 */

interface Item {
  id: string;
  /** Which upstream response this is (1 = first ever served): tells a cached value from a re-fetch. */
  served: number;
}

let server: SandboxServer;
let served = 0;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  server = await startSandboxServer({
    name: 'geomis',
    routes: [{ method: 'GET', path: '/items/:id', handler: (r) => json({ id: r.params.id, served: ++served }) }],
  });
});
afterAll(async () => {
  await server?.close();
});
afterEach(async () => {
  server.setFaults(undefined);
  server.resetCounts();
  await Promise.all(open.splice(0).map((c) => c.close()));
});

function source(defaults: SourceDefaults, client: Partial<UpstreamClientConfig> = {}, cache?: DataCache) {
  const c = createUpstreamClient({ name: 'geomis', baseUrl: server.url, retry: { maxAttempts: 1 }, ...client });
  const dc = cache ?? createCache({ maxBytes: 1 << 20 });
  open.push(c, dc);
  return new UpstreamSource('geomis', c, dc, defaults);
}

const item = (id: string): CachedCall<Item> => ({
  operation: 'item',
  key: id,
  request: { path: `/items/${id}` },
  parse: (res) => res.json<Item>(),
});
const ctx = () => ({ signal: new AbortController().signal, deadline: Date.now() + 5_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('UpstreamSource over real sockets', () => {
  it('serves the cached value marked stale when the upstream is down after a successful fetch (stale-if-error)', async () => {
    const src = source({ ttlMs: 50, staleWhileRevalidateMs: 0, staleIfErrorMs: 60_000 });
    const first = await src.fetch(item('sie'), ctx());
    expect(first.provenance).toMatchObject({ source: 'geomis', stale: false });
    const staleBefore = await metricValue('thuegate_cache_stale_served_total', { upstream: 'geomis', reason: 'upstream-error' });

    await sleep(80);
    server.setFaults('geomis:*=status:503');
    const down = await src.fetch(item('sie'), ctx());
    expect(server.requestCount()).toBe(2); // the upstream was really asked, and failed
    expect(down.value).toEqual(first.value);
    expect(down.provenance.stale).toBe(true);
    expect(down.provenance.fetchedAt.getTime()).toBe(first.provenance.fetchedAt.getTime());
    expect(await metricValue('thuegate_cache_stale_served_total', { upstream: 'geomis', reason: 'upstream-error' })).toBe(staleBefore + 1);

    // Without a previous value the same fault is a typed error naming the upstream.
    const err = await src.fetch(item('never-fetched'), ctx()).catch((e: unknown) => e);
    expect(isUpstreamError(err) && err.upstream === 'geomis' && err.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('opens the breaker after the configured failures, half-opens, and closes once the upstream recovers', async () => {
    const src = source({ ttlMs: 60_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 }, { breaker: { consecutive: 3, halfOpenAfterMs: 300 } });
    server.setFaults('geomis:*=status:503');
    for (let i = 0; i < 3; i++) {
      const e = await src.fetch(item(`b${i}`), ctx()).catch((x: unknown) => x);
      expect(isUpstreamError(e) && e.code).toBe('UPSTREAM_UNAVAILABLE');
    }
    expect(src.client.breakerState()).toBe('open');
    expect(await metricValue('thuegate_upstream_circuit_state', { upstream: 'geomis' })).toBe(2);

    // Open: fails fast without touching the upstream.
    const fast = await src.fetch(item('b-open'), ctx()).catch((x: unknown) => x);
    expect(isUpstreamError(fast) && fast.code).toBe('UPSTREAM_CIRCUIT_OPEN');
    expect(server.requestCount()).toBe(3);

    // After the interval one trial goes through; while it is in flight the breaker is half-open.
    await sleep(350);
    server.setFaults('geomis:*=latency:200');
    const trial = src.fetch(item('b-trial'), ctx());
    await sleep(80);
    expect(src.client.breakerState()).toBe('half-open');
    expect(await metricValue('thuegate_upstream_circuit_state', { upstream: 'geomis' })).toBe(1);
    expect((await trial).value.id).toBe('b-trial');
    expect(src.client.breakerState()).toBe('closed');
    expect(await metricValue('thuegate_upstream_circuit_state', { upstream: 'geomis' })).toBe(0);
    server.setFaults(undefined);
    expect((await src.fetch(item('b-after'), ctx())).value.id).toBe('b-after');
  });

  it('sends exactly one upstream request for 50 concurrent identical cold fetches (single-flight)', async () => {
    const src = source({ ttlMs: 60_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 });
    server.setFaults('geomis:*=latency:150'); // keep the first load in flight while the others arrive
    const results = await Promise.all(Array.from({ length: 50 }, () => src.fetch(item('sf'), ctx())));
    expect(server.requestCount()).toBe(1);
    expect(new Set(results.map((r) => r.value.served)).size).toBe(1);
    expect(results.every((r) => r.value.id === 'sf' && !r.provenance.stale)).toBe(true);
  });

  it('two processes sharing one Redis: a value fetched by the first is served by the second without an upstream request', async () => {
    const keyPrefix = testKeyPrefix();
    const run = (label: string) => fetchInChild(server.url, keyPrefix, label);
    const one = await run('p1');
    expect(server.requestCount()).toBe(1);
    const two = await run('p2');
    expect(server.requestCount()).toBe(1); // the second process never asked the upstream
    expect(two.pid).not.toBe(one.pid);
    expect(two.value).toEqual(one.value);
    expect(two.provenance.fetchedAt).toBe(one.provenance.fetchedAt);
    expect(two.provenance.stale).toBe(false);
    const cleanup = createCache({ maxBytes: 1 << 20, redis: { url: REDIS_URL }, keyPrefix });
    await cleanup.l2Ready();
    await cleanup.purge({ upstream: 'geomis' });
    await cleanup.close();
  });
});

const execFileP = promisify(execFile);

/**
 * A separate Node process (not a worker) with its own cache, client and source, built from the
 * compiled dist/ that vitest's global setup produces, pointed at the shared Redis and this sandbox.
 */
async function fetchInChild(baseUrl: string, keyPrefix: string, label: string) {
  const root = projectRoot();
  const script = `
    const { createCache } = require(${JSON.stringify(join(root, 'dist/src/cache'))});
    const { createUpstreamClient } = require(${JSON.stringify(join(root, 'dist/src/upstreams/runtime/http'))});
    const { UpstreamSource } = require(${JSON.stringify(join(root, 'dist/src/upstreams/runtime/source'))});
    (async () => {
      const cache = createCache({ maxBytes: 1 << 20, redis: { url: ${JSON.stringify(REDIS_URL)} }, keyPrefix: ${JSON.stringify(keyPrefix)} });
      if (!(await cache.l2Ready(5000))) throw new Error('redis not ready');
      const client = createUpstreamClient({ name: 'geomis', baseUrl: ${JSON.stringify(baseUrl)} });
      const src = new UpstreamSource('geomis', client, cache, { ttlMs: 60000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 });
      const r = await src.fetch(
        { operation: 'item', key: 'shared', request: { path: '/items/shared' }, parse: (res) => res.json() },
        { signal: new AbortController().signal, deadline: Date.now() + 5000 },
      );
      process.stdout.write(JSON.stringify({ pid: process.pid, label: ${JSON.stringify(label)}, ...r }));
      await client.close();
      await cache.close();
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const { stdout } = await execFileP(process.execPath, ['-e', script], { cwd: root, timeout: 20_000 });
  return JSON.parse(stdout) as { pid: number; value: Item; provenance: { source: string; fetchedAt: string; stale: boolean } };
}

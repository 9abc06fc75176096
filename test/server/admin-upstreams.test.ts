import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PurgeCacheDocument, UpstreamStatusesDocument } from '../../client/generated/graphql';
import { createCache } from '../../src/cache';
import { json, startSandboxServer, type SandboxServer } from '../../src/sandbox/http';
import { createUpstreamClient } from '../../src/upstreams/runtime';
import { UpstreamSource } from '../../src/upstreams/runtime/source';
import { Redis } from 'ioredis';
import { dropPrefix, REDIS_URL } from '../cache/helpers';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { scrapeSum } from '../helpers/metrics';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

/**
 * Work a finished request left behind (a catalogue load at start, a background refresh, a late upstream answer) may
 * still count while a query runs, so a figure it reports must lie between /metrics scraped just before and just after.
 */
function expectBetween(v: number | undefined, lo: number, hi: number, label: string): void {
  expect(v, label).toBeGreaterThanOrEqual(lo);
  expect(v, label).toBeLessThanOrEqual(hi);
}
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

// A key prefix of this run's own: Redis outlives test runs, and an entry an earlier run left under the default prefix
// (24 h) would answer this run's PVOG query without the upstream request the counters test expects.
const PREFIX = `thuegate-test:admin:${process.pid}:${randomUUID().slice(0, 8)}`;

let gw: TestGateway;
let sandbox: SandboxServer;
beforeAll(async () => {
  gw = await startTestGateway({ ADMIN_TOKEN, REDIS_URL, REDIS_KEY_PREFIX: PREFIX });
  sandbox = await startSandboxServer({ name: 'thavel', routes: [{ method: 'GET', path: '/x/:id', handler: (r) => json({ id: r.params.id }) }] });
});
afterAll(async () => {
  await gw?.stop();
  await sandbox?.close();
  const redis = new Redis(REDIS_URL);
  await dropPrefix(redis, PREFIX).finally(() => redis.quit());
});

describe('purgeCache (admin)', () => {
  it('is FORBIDDEN without the admin token or with a wrong one', async () => {
    const variants: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token-wrong-token-wrong' }, { authorization: ADMIN_TOKEN }];
    for (const headers of variants) {
      const r = await gw.gql(PurgeCacheDocument, { upstream: 'pvog' }, headers);
      expect(r.data).toBeNull();
      expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(/Admin role required/), extensions: { code: 'FORBIDDEN' } });
    }
  });

  it('names the argument on bad input', async () => {
    const r = await gw.gql(PurgeCacheDocument, { upstream: 'nope' }, admin);
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'upstream' } });
    const none = await gw.gql(PurgeCacheDocument, {}, admin);
    expect(none.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('purges entries another instance wrote to the shared Redis cache, by upstream and key prefix', async () => {
    // A second cache instance on the same Redis and key prefix as the gateway's.
    const other = createCache({ maxBytes: 1 << 20, redis: { url: REDIS_URL }, keyPrefix: `${PREFIX}:cache` });
    const client = createUpstreamClient({ name: 'thavel', baseUrl: sandbox.url });
    try {
      expect(await other.l2Ready()).toBe(true);
      sandbox.resetCounts();
      const src = new UpstreamSource('thavel', client, other, { ttlMs: 600_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 });
      const run = randomUUID(); // Redis outlives test runs: keys of this run only
      const call = (id: string) => ({ operation: 'purge-test', key: `${run}-${id}`, request: { path: `/x/${id}` }, parse: (r: { json(): unknown }) => r.json() });
      const ctx = { signal: new AbortController().signal, deadline: Date.now() + 5000 };
      await src.fetch(call('a'), ctx);
      await src.fetch(call('b'), ctx);
      expect(sandbox.requestCount()).toBe(2);

      const byPrefix = await gw.gql(PurgeCacheDocument, { keyPrefix: `thavel:purge-test:${run}-a` }, admin);
      expect(byPrefix.errors).toBeUndefined();
      expect(byPrefix.data?.purgeCache).toMatchObject({ purged: 1, l2: 1, l2Complete: true });

      const byUpstream = await gw.gql(PurgeCacheDocument, { upstream: 'thavel' }, admin);
      expect(byUpstream.data?.purgeCache.l2).toBeGreaterThanOrEqual(1);
      // The other instance's L1 was cleared through Redis pub/sub as well: both keys go to the upstream again.
      await new Promise((r) => setTimeout(r, 100));
      await src.fetch(call('a'), ctx);
      await src.fetch(call('b'), ctx);
      expect(sandbox.requestCount()).toBe(4);
      await other.purge({ keyPrefix: `thavel:purge-test:${run}` });
    } finally {
      await client.close();
      await other.close();
    }
  });
});

describe('purgeCache without ADMIN_TOKEN', () => {
  it('refuses the bearer token and says only admin API keys are accepted here', async () => {
    const plain = await startTestGateway();
    try {
      const r = await plain.gql(PurgeCacheDocument, { upstream: 'pvog' }, admin);
      expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(/API key of role admin.*ADMIN_TOKEN is not configured/), extensions: { code: 'FORBIDDEN' } });
    } finally {
      await plain.stop();
    }
  });
});

describe('upstreams query', () => {
  it('reports every upstream with mode, breaker and the same counters /metrics shows', async () => {
    // Traffic for one upstream label, through the real runtime (the counters are per process).
    const client = createUpstreamClient({ name: 'thavel', baseUrl: sandbox.url, retry: { maxAttempts: 1 } });
    const cache = createCache({ maxBytes: 1 << 20 });
    try {
      const src = new UpstreamSource('thavel', client, cache, { ttlMs: 1, staleWhileRevalidateMs: 0, staleIfErrorMs: 60_000 });
      const ctx = () => ({ signal: new AbortController().signal, deadline: Date.now() + 5000 });
      const call = { operation: 'status-test', key: 'k', request: { path: '/x/k' }, parse: (r: { json(): unknown }) => r.json() };
      await src.fetch(call, ctx());
      await new Promise((r) => setTimeout(r, 10));
      sandbox.setFaults('thavel:*=status:503');
      expect((await src.fetch(call, ctx())).provenance.stale).toBe(true);
      sandbox.setFaults(undefined);

      const thavelMetrics = async () => ({
        requests: await scrapeSum(gw.url, 'thuegate_upstream_requests_total', { upstream: 'thavel' }),
        staleIfError: await scrapeSum(gw.url, 'thuegate_cache_stale_served_total', { upstream: 'thavel', reason: 'upstream-error' }),
        misses: await scrapeSum(gw.url, 'thuegate_cache_misses_total', { upstream: 'thavel' }),
      });
      const lo = await thavelMetrics();
      const r = await gw.gql(UpstreamStatusesDocument, {});
      const hi = await thavelMetrics();
      const between = (v: number | undefined, k: keyof typeof lo) => expectBetween(v, lo[k], hi[k], k);
      expect(r.errors).toBeUndefined();
      const list = r.data!.upstreams;
      expect(list.map((u) => u.name)).toEqual(['pvog', 'thavel', 'geomis', 'geoproxy', 'dvdv']);
      const pvog = list.find((u) => u.name === 'pvog')!;
      expect(pvog).toMatchObject({ mode: 'SANDBOX', breaker: 'CLOSED' });
      expect(pvog.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);

      const thavel = list.find((u) => u.name === 'thavel')!;
      between(thavel.requestsTotal, 'requests');
      expect(thavel.requestsTotal).toBeGreaterThanOrEqual(2);
      expect(thavel.requests.find((o) => o.outcome === 'UPSTREAM_UNAVAILABLE')?.count).toBeGreaterThanOrEqual(1);
      between(thavel.cache.staleIfError, 'staleIfError');
      expect(thavel.cache.staleIfError).toBeGreaterThanOrEqual(1);
      between(thavel.cache.misses, 'misses');
      expect(thavel.cache.misses).toBeGreaterThanOrEqual(2);
    } finally {
      await client.close();
      await cache.close();
    }
  });

  it('every upstream reports its own counters as of this request; `upstreams { name }` alone still lists them all', async () => {
    const q = '{ upstreams { name requestsTotal requests { outcome count } cache { hitsL1 misses staleServed } } }';
    const scrape = async () => {
      const out = new Map<string, number[]>();
      for (const name of ['pvog', 'thavel', 'geomis', 'geoproxy', 'dvdv']) {
        const upstream = { upstream: name };
        out.set(name, [
          await scrapeSum(gw.url, 'thuegate_upstream_requests_total', upstream),
          await scrapeSum(gw.url, 'thuegate_cache_hits_total', { ...upstream, tier: 'l1' }),
          await scrapeSum(gw.url, 'thuegate_cache_misses_total', upstream),
        ]);
      }
      return out;
    };
    const check = async () => {
      const lo = await scrape();
      const r = await gw.raw(q);
      const hi = await scrape();
      expect(r.errors).toBeUndefined();
      for (const u of r.data.upstreams as { name: string; requestsTotal: number; requests: { count: number }[]; cache: { hitsL1: number; misses: number } }[]) {
        const [l, h] = [lo.get(u.name)!, hi.get(u.name)!];
        [u.requestsTotal, u.cache.hitsL1, u.cache.misses].forEach((v, i) => expectBetween(v, l[i], h[i], `${u.name} figure ${i}`));
        expect(u.requests.reduce((n, o) => n + o.count, 0)).toBe(u.requestsTotal);
      }
      return r.data.upstreams as { name: string; requestsTotal: number; cache: { hitsL1: number } }[];
    };
    // PVOG traffic (a miss and its request, then a hit) on top of the ThAVEL traffic of the test before.
    await gw.raw('{ municipality(ars: "160720011011") { services(first: 1) { totalCount } } }');
    const before = await check();
    await gw.raw('{ municipality(ars: "160720011011") { services(first: 1) { edges { cursor } } } }');
    const after = await check();
    const pvog = (l: typeof before) => l.find((u) => u.name === 'pvog')!;
    expect(pvog(before).requestsTotal).toBeGreaterThan(0);
    expect(pvog(after).cache.hitsL1).toBeGreaterThan(pvog(before).cache.hitsL1);
    expect(before.find((u) => u.name === 'thavel')!.requestsTotal).not.toBe(pvog(before).requestsTotal);
    expect((await gw.raw('{ upstreams { name } }')).data.upstreams.map((u: { name: string }) => u.name)).toEqual(['pvog', 'thavel', 'geomis', 'geoproxy', 'dvdv']);
  });

  it('hides base URLs in production', async () => {
    const url = sandbox.url;
    const prod = await startTestGateway({
      NODE_ENV: 'production',
      PVOG_BASE_URL: url,
      THAVEL_BASE_URL: url,
      GEOMIS_BASE_URL: url,
      GEOPROXY_BASE_URL: url,
      DVDV_BASE_URLS: url,
    });
    try {
      const r = await prod.gql(UpstreamStatusesDocument, {});
      expect(r.data!.upstreams.every((u) => u.baseUrl === null && u.mode === 'CONFIGURED')).toBe(true);
    } finally {
      await prod.stop();
    }
  });
});

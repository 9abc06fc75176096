import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCache, type CacheOptions, type CachePolicy, type DataCache, type LoadResult } from '../../src/cache';
import { deferred, dropPrefix, eventually, manualClock, metricValue, REDIS_URL, redisKeys, testKeyPrefix } from './helpers';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let admin: Redis;
const prefixes: string[] = [];
const caches: DataCache[] = [];

beforeAll(async () => {
  admin = new Redis(REDIS_URL, { lazyConnect: true });
  await admin.connect();
});
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.close()));
  for (const p of prefixes.splice(0)) await dropPrefix(admin, p);
});
afterAll(async () => {
  await admin.quit();
});

/** Two or more caches built with the same `shared` prefix act as replicas on one Redis. */
async function replicas(count: number, opts: Partial<CacheOptions> = {}): Promise<{ prefix: string; caches: DataCache[] }> {
  const prefix = testKeyPrefix();
  prefixes.push(prefix);
  const made = Array.from({ length: count }, () => createCache({ maxBytes: 1 << 20, redis: { url: REDIS_URL }, keyPrefix: prefix, ...opts }));
  caches.push(...made);
  for (const c of made) expect(await c.l2Ready(3_000)).toBe(true);
  return { prefix, caches: made };
}

const mustNotLoad = async (): Promise<never> => {
  throw new Error('loader must not be called: the entry is in Redis');
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('shared L2', () => {
  it('a second instance serves what the first loaded, without calling its loader', async () => {
    const clock = manualClock();
    const { prefix, caches: [a, b] } = await replicas(2, { now: clock.now });
    const policy: CachePolicy = { upstream: 'pvog', operation: 'services-by-ars', ttlMs: 10 * MINUTE, staleIfErrorMs: HOUR };
    const loaded = await a!.get('sandbox-ars-1', policy, async () => ({ value: { services: ['Meldebescheinigung'] } }));
    expect(loaded.tier).toBe('origin');

    const l2HitsBefore = await metricValue('thuegate_cache_hits_total', { upstream: 'pvog', operation: 'services-by-ars', tier: 'l2' });
    const shared = await b!.get('sandbox-ars-1', policy, mustNotLoad);
    expect(await metricValue('thuegate_cache_hits_total', { upstream: 'pvog', operation: 'services-by-ars', tier: 'l2' })).toBe(l2HitsBefore + 1);
    expect(shared).toMatchObject({ value: { services: ['Meldebescheinigung'] }, tier: 'l2', stale: false });
    expect(shared.fetchedAt.getTime()).toBe(loaded.fetchedAt.getTime());
    expect((await b!.get('sandbox-ars-1', policy, mustNotLoad)).tier).toBe('l1');

    // Key layout and Redis TTL = the stale horizon (TTL + staleIfError).
    const key = `${prefix}:pvog:services-by-ars:sandbox-ars-1`;
    expect(await redisKeys(admin, prefix)).toEqual([key]);
    const pttl = await admin.pttl(key);
    expect(pttl).toBeGreaterThan(70 * MINUTE - 5_000);
    expect(pttl).toBeLessThanOrEqual(70 * MINUTE);
  });

  it('50 concurrent cold gets with Redis share one load', async () => {
    const { caches: [a] } = await replicas(1);
    const gate = deferred<void>();
    let calls = 0;
    const load = async () => {
      calls++;
      await gate.promise;
      return { value: 'capabilities' };
    };
    const policy: CachePolicy = { upstream: 'geoproxy', operation: 'capabilities', ttlMs: HOUR };
    const pending = Array.from({ length: 50 }, () => a!.get('wms', policy, load));
    await eventually(() => calls > 0);
    gate.resolve();
    const results = await Promise.all(pending);
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.value))).toEqual(new Set(['capabilities']));
  });

  it('an instance with an empty L1 serves a stale Redis entry when the origin fails', async () => {
    const clock = manualClock();
    const { caches: [a, b] } = await replicas(2, { now: clock.now });
    const policy: CachePolicy = { upstream: 'geomis', operation: 'record', ttlMs: MINUTE, staleIfErrorMs: HOUR };
    await a!.get('uuid-9', policy, async () => ({ value: 'record v1' }));
    clock.advance(5 * MINUTE);
    const outage = new Error('CSW timeout');
    const r = await b!.get('uuid-9', policy, async () => {
      throw outage;
    });
    expect(r).toMatchObject({ value: 'record v1', stale: true, staleReason: 'upstream-error', tier: 'l2' });
  });

  it('a background refresh on one instance is picked up by the other', async () => {
    const clock = manualClock();
    const { caches: [a, b] } = await replicas(2, { now: clock.now });
    const policy: CachePolicy = { upstream: 'thavel', operation: 'forms', ttlMs: MINUTE, staleWhileRevalidateMs: HOUR };
    await a!.get('k', policy, async () => ({ value: 'v1' }));
    await b!.get('k', policy, mustNotLoad);
    clock.advance(2 * MINUTE);
    expect(await a!.get('k', policy, async () => ({ value: 'v2' }))).toMatchObject({ value: 'v1', stale: true });
    await eventually(() => a!.stats().inflight === 0);
    // b holds v1 (stale) in L1; its background refresh finds v2 in Redis instead of calling the origin.
    expect(await b!.get('k', policy, mustNotLoad)).toMatchObject({ value: 'v1', stale: true });
    await eventually(() => b!.stats().inflight === 0);
    expect(await b!.get('k', policy, mustNotLoad)).toMatchObject({ value: 'v2', stale: false, tier: 'l1' });
  });

  it('a 304 revalidation refreshes fetchedAt for every instance', async () => {
    const clock = manualClock();
    const { caches: [a, b] } = await replicas(2, { now: clock.now });
    const policy: CachePolicy = { upstream: 'geoproxy', operation: 'capabilities', ttlMs: 10 * MINUTE };
    await a!.get('wfs', policy, async () => ({ value: 'caps', etag: 'W/"7"' }));
    clock.advance(15 * MINUTE);
    let seenEtag: string | undefined;
    const r = await a!.get('wfs', policy, async (prev): Promise<LoadResult<string>> => {
      seenEtag = prev?.etag;
      return { notModified: true };
    });
    expect(seenEtag).toBe('W/"7"');
    expect(r.fetchedAt.getTime()).toBe(clock.now());
    const fromB = await b!.get('wfs', policy, mustNotLoad);
    expect(fromB).toMatchObject({ value: 'caps', tier: 'l2', stale: false });
    expect(fromB.fetchedAt.getTime()).toBe(clock.now());
  });

  it('DVDV entries live in Redis for at most 4 hours', async () => {
    const { prefix, caches: [a] } = await replicas(1);
    const policy: CachePolicy = {
      upstream: 'dvdv', operation: 'find-organization', ttlMs: 24 * HOUR, staleWhileRevalidateMs: 24 * HOUR, staleIfErrorMs: 48 * HOUR,
    };
    await a!.get('sandbox-org', policy, async () => ({ value: { endpoint: 'https://sandbox.invalid/xmeld' } }));
    const pttl = await admin.pttl(`${prefix}:dvdv:find-organization:sandbox-org`);
    expect(pttl).toBeGreaterThan(4 * HOUR - 5_000);
    expect(pttl).toBeLessThanOrEqual(4 * HOUR);
  });

  it('an unreadable Redis entry counts as a miss', async () => {
    const { prefix, caches: [a] } = await replicas(1);
    const before = await metricValue('thuegate_cache_l2_errors_total', { op: 'decode' });
    await admin.set(`${prefix}:pvog:service:broken`, 'not a cache entry', 'PX', 60_000);
    const r = await a!.get('broken', { upstream: 'pvog', operation: 'service', ttlMs: MINUTE }, async () => ({ value: 'from origin' }));
    expect(r).toMatchObject({ value: 'from origin', tier: 'origin' });
    expect(await metricValue('thuegate_cache_l2_errors_total', { op: 'decode' })).toBe(before + 1);
  });
});

describe('purge across tiers and instances', () => {
  it('by upstream and by key prefix, from Redis, the own L1 and the other instance L1', async () => {
    const { prefix, caches: [a, b] } = await replicas(2);
    const pvog: CachePolicy = { upstream: 'pvog', operation: 'services', ttlMs: HOUR };
    const geo: CachePolicy = { upstream: 'geomis', operation: 'record', ttlMs: HOUR };
    const value = async () => ({ value: 'v' });
    for (const k of ['ars-a1', 'ars-a2', 'ars-b1']) await a!.get(k, pvog, value);
    for (const k of ['r1', 'r2']) await a!.get(k, geo, value);
    for (const k of ['ars-a1', 'ars-a2', 'ars-b1']) expect((await b!.get(k, pvog, mustNotLoad)).tier).toBe('l2');
    for (const k of ['r1', 'r2']) expect((await b!.get(k, geo, mustNotLoad)).tier).toBe('l2');
    expect(b!.stats().l1Entries).toBe(5);

    expect(await a!.purge({ upstream: 'geomis' })).toEqual({ purged: 2, l1: 2, l2: 2, l2Complete: true });
    expect(await redisKeys(admin, prefix)).toEqual(
      ['ars-a1', 'ars-a2', 'ars-b1'].map((k) => `${prefix}:pvog:services:${k}`),
    );
    await eventually(() => b!.stats().l1Entries === 3);
    let reloaded = 0;
    await b!.get('r1', geo, async () => ({ value: `reloaded ${++reloaded}` }));
    expect(reloaded).toBe(1);

    expect(await b!.purge({ keyPrefix: 'pvog:services:ars-a' })).toMatchObject({ purged: 2, l2: 2, l2Complete: true });
    expect(await redisKeys(admin, prefix)).toEqual([`${prefix}:geomis:record:r1`, `${prefix}:pvog:services:ars-b1`]);
    await eventually(() => a!.stats().l1Entries === 1);
    expect((await a!.get('ars-b1', pvog, mustNotLoad)).tier).toBe('l1');
    expect((await a!.get('ars-a1', pvog, async () => ({ value: 'new' }))).tier).toBe('origin');
  });

  it('treats glob characters in a key prefix literally', async () => {
    const { prefix, caches: [a] } = await replicas(1);
    const policy: CachePolicy = { upstream: 'geomis', operation: 'search', ttlMs: HOUR };
    await a!.get('q=wasser*', policy, async () => ({ value: 1 }));
    await a!.get('q=wasserwerk', policy, async () => ({ value: 2 }));
    expect(await a!.purge({ keyPrefix: 'geomis:search:q=wasser*' })).toMatchObject({ purged: 1, l2: 1 });
    expect(await redisKeys(admin, prefix)).toEqual([`${prefix}:geomis:search:q=wasserwerk`]);
  });
});

describe('Redis failures degrade to L1', () => {
  it('works with REDIS_URL pointing at a dead port', async () => {
    const port = await freePort();
    const before = await metricValue('thuegate_cache_l2_errors_total', { op: 'unavailable' });
    const cache = createCache({ maxBytes: 1 << 20, redis: { url: `redis://127.0.0.1:${port}` }, keyPrefix: testKeyPrefix() });
    caches.push(cache);
    const started = Date.now();
    const policy: CachePolicy = { upstream: 'pvog', operation: 'service', ttlMs: MINUTE };
    expect(await cache.get('k', policy, async () => ({ value: 'v' }))).toMatchObject({ value: 'v', tier: 'origin' });
    expect(await cache.get('k', policy, mustNotLoad)).toMatchObject({ value: 'v', tier: 'l1' });
    expect(Date.now() - started).toBeLessThan(500);
    expect(cache.stats().l2).toBe('down');
    expect(await cache.l2Ready(200)).toBe(false);
    expect(await metricValue('thuegate_cache_l2_errors_total', { op: 'unavailable' })).toBeGreaterThan(before);
    expect(await cache.purge({ upstream: 'pvog' })).toEqual({ purged: 1, l1: 1, l2: 0, l2Complete: false });
  });

  it('keeps serving when a shared connection drops mid-run, and leaves a caller-owned client open', async () => {
    const prefix = testKeyPrefix();
    prefixes.push(prefix);
    const clock = manualClock();
    const external = new Redis(REDIS_URL);
    const cache = createCache({ maxBytes: 1 << 20, redis: external, keyPrefix: prefix, now: clock.now });
    caches.push(cache);
    expect(await cache.l2Ready(3_000)).toBe(true);
    const policy: CachePolicy = { upstream: 'geomis', operation: 'record', ttlMs: MINUTE };
    await cache.get('a', policy, async () => ({ value: 1 }));
    expect(await redisKeys(admin, prefix)).toHaveLength(1);

    external.disconnect();
    await eventually(() => cache.stats().l2 === 'down');
    clock.advance(2 * MINUTE);
    expect(await cache.get('a', policy, async () => ({ value: 2 }))).toMatchObject({ value: 2, tier: 'origin' });
    expect(await cache.get('b', policy, async () => ({ value: 3 }))).toMatchObject({ value: 3, tier: 'origin' });

    const own = new Redis(REDIS_URL);
    const second = createCache({ maxBytes: 1 << 20, redis: own, keyPrefix: prefix });
    expect(await second.l2Ready(3_000)).toBe(true);
    await second.close();
    expect(await own.ping()).toBe('PONG');
    await own.quit();
  });
});

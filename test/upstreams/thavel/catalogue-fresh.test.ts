import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCache, type DataCache } from '../../../src/cache';
import { loadConfig } from '../../../src/server/config';
import { createLogger } from '../../../src/observability/log';
import { buildUpstreams } from '../../../src/server/gateway';
import { startSandboxes, type SandboxWorld } from '../../../src/sandbox';
import { UPSTREAMS, type UpstreamName } from '../../../src/upstreams/runtime/names';
import type { UpstreamSource } from '../../../src/upstreams/runtime/source';
import { ThavelClient } from '../../../src/upstreams/thavel/client';
import { thavelCatalogueServices } from '../../../src/upstreams/thavel/sandbox';
import { manualClock, metricValue } from '../../cache/helpers';

/**
 * A warm request reads the whole ThAVEL catalogue from fresh cache entries synchronously (ThavelClient.listNow,
 * issue 15) instead of one promise chain per page. It must answer exactly as the paging loop does: every page in
 * order (the world's whole catalogue), the same provenance, one cache hit per page — and give way to the paging
 * loop as soon as one page is not fresh (then the answer is marked stale and the pages are revalidated).
 */
const clock = manualClock();
let sb: SandboxWorld;
let cache: DataCache;
let thavel: UpstreamSource;
const call = () => ({ signal: new AbortController().signal, deadline: Date.now() + 10_000 });
const hits = () => metricValue('thuegate_cache_hits_total', { upstream: 'thavel', operation: 'catalogue', tier: 'l1' });

beforeAll(async () => {
  sb = await startSandboxes({ only: ['thavel'] });
  cache = createCache({ maxBytes: 32 << 20, now: clock.now });
  const config = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const urls = Object.fromEntries(UPSTREAMS.map((n) => [n, [n === 'thavel' ? sb.urls.thavel : 'http://127.0.0.1:9']])) as Record<UpstreamName, string[]>;
  thavel = buildUpstreams(config, urls, cache, createLogger('silent')).sources.thavel;
});
afterAll(async () => {
  await thavel?.client.close();
  await cache?.close();
  await sb?.close();
});

it('a warm read answers as the paging loop did: whole catalogue, same provenance, one hit per page, no request', async () => {
  const client = new ThavelClient(thavel);
  const expected = thavelCatalogueServices(sb.world).map((o) => o.id).sort();

  sb.servers.thavel.resetCounts();
  const cold = await client.list(call()); // empty cache: the paging loop loads every page
  const pages = sb.servers.thavel.requestCount('catalogue');
  expect(pages).toBeGreaterThan(2);
  expect(cold.value.entries.map((e) => e.id).sort()).toEqual(expected);

  const hitsBefore = await hits();
  const warm = await client.list(call());
  expect(sb.servers.thavel.requestCount('catalogue')).toBe(pages); // nothing asked of the upstream
  expect(await hits()).toBe(hitsBefore + pages); // every page read, each counted as the hit it is
  expect(warm.value.entries.map((e) => e.id).sort()).toEqual(expected);
  expect(warm.value).toBe(cold.value); // the same catalogue version, so the same (memo-keyed) object
  expect(warm.provenance).toEqual({ source: 'thavel', fetchedAt: new Date(clock.start), stale: false });
  expect(warm.provenance).toEqual(cold.provenance);

  // A client that has not resolved this version yet builds it from the fresh pages alone: the same catalogue.
  const other = await new ThavelClient(thavel).list(call());
  expect(sb.servers.thavel.requestCount('catalogue')).toBe(pages);
  expect(other.value).toEqual(cold.value);
  expect(other.provenance).toEqual(cold.provenance);
});

it('once a page is past its TTL the paging loop answers: stale-while-revalidate, marked stale', async () => {
  const client = new ThavelClient(thavel);
  const fresh = await client.list(call());
  expect(fresh.provenance.stale).toBe(false);
  sb.servers.thavel.resetCounts();
  clock.advance(16 * 60_000); // past the 15 min TTL, inside the stale-while-revalidate hour (thavel/adapter.ts)
  const late = await client.list(call());
  expect(late.provenance.stale).toBe(true);
  expect(late.value.entries.map((e) => e.id).sort()).toEqual(fresh.value.entries.map((e) => e.id).sort());
  // The background refreshes reach the upstream; afterwards the pages are fresh again and read without it.
  await expect.poll(() => sb.servers.thavel.requestCount('catalogue'), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect
    .poll(async () => (await client.list(call())).provenance, { timeout: 10_000 })
    .toEqual({ source: 'thavel', fetchedAt: new Date(clock.now()), stale: false });
});

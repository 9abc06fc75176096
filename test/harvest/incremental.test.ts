import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore } from '../../src/harvest/store';
import type { DvdvItem } from '../../src/harvest/items';
import { DEFAULT_GEOPROXY_SERVICES } from '../../src/upstreams/geoproxy/config';
import type { UpstreamName } from '../../src/upstreams/runtime/names';
import { count, startHarvestFixture, type HarvestFixture } from './helpers';

/** PVOG has no delta feed and is read per municipality (content hashes only); its incremental test is the kill test's resume. */
const UPSTREAMS: UpstreamName[] = ['thavel', 'geomis', 'geoproxy', 'dvdv'];

describe('incremental re-harvest after 1 % of the world changed', () => {
  let fx: HarvestFixture;
  beforeAll(async () => {
    fx = await startHarvestFixture();
  }, 120_000);
  afterAll(async () => fx?.close());

  it('writes only the changed entries and asks ThAVEL and GeoMIS fewer requests', async () => {
    const store = new SnapshotStore(fx.db);
    const requests = () => Object.fromEntries(UPSTREAMS.map((u) => [u, fx.sb.servers[u].requestCount()]));
    for (const u of UPSTREAMS) fx.sb.servers[u].resetCounts();
    const first = await fx.harvest({ only: UPSTREAMS });
    expect(first.status).toBe('complete');
    if (first.status !== 'complete') return;
    const fullRequests = requests();
    const rowsBefore = await count(fx.db, `select count(*)::int as n from harvest_item`);

    // Unchanged upstreams: a second run writes nothing at all.
    const again = await fx.harvest({ only: UPSTREAMS });
    expect(again.status).toBe('complete');
    expect(await count(fx.db, `select count(*)::int as n from harvest_item`)).toBe(rowsBefore);

    const change = fx.sb.mutate(0.01);
    expect(change.thavel.retitled.length).toBeGreaterThan(0);
    expect(change.geomis.retitled.length).toBeGreaterThan(0);
    expect(change.dvdv.renamed.length).toBeGreaterThan(0);
    const prevDvdv = await store.items<DvdvItem>('dvdv', first.snapshotId);
    for (const u of UPSTREAMS) fx.sb.servers[u].resetCounts();
    const next = await fx.harvest({ only: UPSTREAMS });
    expect(next.status).toBe('complete');
    if (next.status !== 'complete') return;
    const deltaRequests = requests();
    const written = async (u: string) => count(fx.db, `select count(*)::int as n from harvest_item where upstream = ? and added_in = ?`, [u, next.snapshotId]);
    const retired = async (u: string) => count(fx.db, `select count(*)::int as n from harvest_item where upstream = ? and removed_in = ?`, [u, next.snapshotId]);

    expect(await written('thavel')).toBe(change.thavel.retitled.length);
    expect(await retired('thavel')).toBe(change.thavel.retitled.length);
    expect(next.counts.thavel).toMatchObject({ mode: 'delta', changed: change.thavel.retitled.length, added: 0, removed: 0 });
    expect(await written('geomis')).toBe(change.geomis.retitled.length);
    expect(next.counts.geomis).toMatchObject({ mode: 'delta', changed: change.geomis.retitled.length, removed: 0 });
    const configured = new Set(DEFAULT_GEOPROXY_SERVICES.map((s) => s.name));
    expect(await written('geoproxy')).toBeLessThanOrEqual(change.geoproxy.retitled.filter((n) => configured.has(n)).length);
    const renamed = new Set(change.dvdv.renamed);
    expect(await written('dvdv')).toBe(prevDvdv.filter((i) => i.payload.organization.id !== null && renamed.has(i.payload.organization.id)).length);
    expect(await written('dvdv')).toBeGreaterThan(0);
    // Totals are unchanged: the changed rows replaced their previous versions.
    for (const u of UPSTREAMS) expect(next.counts[u].total, u).toBe(first.counts[u].total);

    // Delta feeds need fewer requests than a full read.
    expect(deltaRequests.thavel).toBeLessThan(fullRequests.thavel);
    expect(deltaRequests.geomis).toBeLessThan(fullRequests.geomis);
    expect(next.counts.thavel.requests).toBeLessThan(first.counts.thavel.requests);
  }, 900_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore } from '../../src/harvest/store';
import type { HarvestItemTypes } from '../../src/harvest/items';
import { DEFAULT_GEOPROXY_SERVICES } from '../../src/upstreams/geoproxy/config';
import type { UpstreamName } from '../../src/upstreams/runtime/names';
import { count, startHarvestFixture, type HarvestFixture } from './helpers';

/** Every upstream; PVOG has no delta feed and is read per municipality in full, so only content hashes keep its writes small. */
const UPSTREAMS: UpstreamName[] = ['pvog', 'thavel', 'geomis', 'geoproxy', 'dvdv'];

describe('incremental re-harvest after 1 % of the world changed', () => {
  let fx: HarvestFixture;
  beforeAll(async () => {
    fx = await startHarvestFixture();
  }, 120_000);
  afterAll(async () => fx?.close());

  it('writes only the changed entries of every upstream and asks ThAVEL and GeoMIS fewer requests', async () => {
    const store = new SnapshotStore(fx.db);
    const requests = () => Object.fromEntries(UPSTREAMS.map((u) => [u, fx.sb.servers[u].requestCount()]));
    for (const u of UPSTREAMS) fx.sb.servers[u].resetCounts();
    const first = await fx.harvest({ only: UPSTREAMS, concurrency: 12 });
    expect(first.status).toBe('complete');
    if (first.status !== 'complete') return;
    const fullRequests = requests();
    const rowsBefore = await count(fx.db, `select count(*)::int as n from harvest_item`);
    const factsBefore = await count(fx.db, `select count(*)::int as n from availability_fact`);

    // Unchanged upstreams: a second run writes nothing at all.
    const again = await fx.harvest({ only: UPSTREAMS, concurrency: 12 });
    expect(again.status).toBe('complete');
    expect(await count(fx.db, `select count(*)::int as n from harvest_item`)).toBe(rowsBefore);
    expect(await count(fx.db, `select count(*)::int as n from availability_fact`)).toBe(factsBefore);

    // The full read holds, per (municipality, Leistung), its responsibilities and its description, and every unit named once.
    const pairsFirst = new Set(fx.sb.world.responsibilities.map((r) => `${r.areaArs}|${r.serviceId}`)).size;
    const unitsFirst = new Set(fx.sb.world.responsibilities.map((r) => r.unitId));
    const kinds = async (s: number) => {
      const n: Record<string, number> = {};
      for (const i of await store.items('pvog', s)) n[i.key.split(':')[0]] = (n[i.key.split(':')[0]] ?? 0) + 1;
      return n;
    };
    expect(await kinds(first.snapshotId)).toMatchObject({ service: pairsFirst, responsibility: pairsFirst, detail: pairsFirst, unit: unitsFirst.size });
    expect(fullRequests.pvog).toBeGreaterThanOrEqual(2 * pairsFirst + unitsFirst.size);

    const change = fx.sb.mutate(0.01);
    // 1 % of PVOG's (municipality, Leistung) entries: the Leistung is no longer listed at that place.
    const pvogPairs = new Set(fx.sb.world.responsibilities.map((r) => `${r.areaArs}|${r.serviceId}`)).size + change.pvog.removedResponsibilities.length;
    expect(change.pvog.removedResponsibilities.length).toBe(Math.round(pvogPairs * 0.01));
    expect(change.pvog.removedResponsibilities.length).toBeGreaterThan(0);
    expect(change.thavel.retitled.length).toBeGreaterThan(0);
    expect(change.geomis.retitled.length).toBeGreaterThan(0);
    expect(change.dvdv.renamed.length).toBeGreaterThan(0);
    const prevDvdv = await store.items<HarvestItemTypes['dvdv']>('dvdv', first.snapshotId);
    const prevPvog = new Set((await store.items('pvog', first.snapshotId)).map((i) => i.key));
    for (const u of UPSTREAMS) fx.sb.servers[u].resetCounts();
    const next = await fx.harvest({ only: UPSTREAMS, concurrency: 12 });
    expect(next.status).toBe('complete');
    if (next.status !== 'complete') return;
    const deltaRequests = requests();
    const written = async (u: string) => count(fx.db, `select count(*)::int as n from harvest_item where upstream = ? and added_in = ?`, [u, next.snapshotId]);
    const retired = async (u: string) => count(fx.db, `select count(*)::int as n from harvest_item where upstream = ? and removed_in = ?`, [u, next.snapshotId]);

    // PVOG: exactly the dropped entries retire (nothing is rewritten) — the listing, responsibilities and description of
    // each dropped (place, Leistung), and units no place names any more — and their availability facts with them.
    const dropped = change.pvog.removedResponsibilities.filter((p) => prevPvog.has(`service:${p.areaArs}:${p.serviceId}`));
    expect(dropped.length).toBe(change.pvog.removedResponsibilities.length);
    expect(dropped.filter((p) => prevPvog.has(`responsibility:${p.areaArs}:${p.serviceId}`) && prevPvog.has(`detail:${p.areaArs}:${p.serviceId}`)).length).toBe(dropped.length);
    const unitsNow = new Set(fx.sb.world.responsibilities.map((r) => r.unitId));
    const orphaned = [...unitsFirst].filter((u) => !unitsNow.has(u)).length;
    const gone = 3 * dropped.length + orphaned;
    expect(await written('pvog')).toBe(0);
    expect(await retired('pvog')).toBe(gone);
    expect(next.counts.pvog).toMatchObject({ mode: 'full', removed: gone, added: 0, changed: 0 });
    expect(next.counts.pvog.total).toBe(first.counts.pvog.total - gone);
    // Descriptions whose `lastUpdate` the listing still shows are not asked again; responsibilities are (they carry no date).
    expect(fx.sb.servers.pvog.requestCount('servicedescriptions.detail')).toBe(0);
    expect(fx.sb.servers.pvog.requestCount('organisationunits.titles')).toBe(pairsFirst - dropped.length);
    const facts = (sql: string) => count(fx.db, `select count(*)::int as n from availability_fact where ${sql}`, [next.snapshotId]);
    expect(await facts('added_in = ?')).toBe(0);
    expect(await facts('removed_in = ?')).toBe(dropped.length);

    expect(await written('thavel')).toBe(change.thavel.retitled.length);
    expect(await retired('thavel')).toBe(change.thavel.retitled.length);
    expect(next.counts.thavel).toMatchObject({ mode: 'delta', changed: change.thavel.retitled.length, added: 0, removed: 0 });
    expect(await written('geomis')).toBe(change.geomis.retitled.length);
    expect(next.counts.geomis).toMatchObject({ mode: 'delta', changed: change.geomis.retitled.length, removed: 0 });
    const configured = new Set(DEFAULT_GEOPROXY_SERVICES.map((s) => s.name));
    expect(await written('geoproxy')).toBeLessThanOrEqual(change.geoproxy.retitled.filter((n) => configured.has(n)).length);
    const renamed = new Set(change.dvdv.renamed);
    // DVDV: exactly the items carrying a renamed organisation — its `org:` items, the lookups that found it or list it
    // (e.g. as a representative), and the service lookups under its keys (a service description carries its name).
    const renamedOrgs = (x: unknown): { keys: string[] }[] =>
      Array.isArray(x) ? x.flatMap(renamedOrgs)
      : x && typeof x === 'object' ? [...(Array.isArray((x as { keys?: unknown }).keys) && renamed.has((x as { id: number }).id) ? [x as { keys: string[] }] : []), ...Object.values(x).flatMap(renamedOrgs)]
      : [];
    const renamedKeys = new Set(prevDvdv.flatMap((i) => renamedOrgs(i.payload).flatMap((o) => o.keys)));
    expect(renamedKeys.size).toBeGreaterThan(0);
    const touched = prevDvdv.filter(({ payload: p }) => renamedOrgs(p).length > 0 || ('kind' in p && p.kind === 'service' && p.service !== null && renamedKeys.has(p.organizationKey)));
    expect(touched.some((i) => i.key.startsWith('authority:'))).toBe(true);
    expect(touched.some((i) => i.key.startsWith('lookup-service:'))).toBe(true);
    expect(await written('dvdv')).toBe(touched.length);
    expect(await written('dvdv')).toBeGreaterThan(0);
    // Totals are unchanged: the changed rows replaced their previous versions.
    for (const u of UPSTREAMS.filter((x) => x !== 'pvog')) expect(next.counts[u].total, u).toBe(first.counts[u].total);

    // Delta feeds need fewer requests than a full read.
    expect(deltaRequests.thavel).toBeLessThan(fullRequests.thavel);
    expect(deltaRequests.geomis).toBeLessThan(fullRequests.geomis);
    expect(next.counts.thavel.requests).toBeLessThan(first.counts.thavel.requests);
    // PVOG offers no delta: every municipality is asked again (at least one request each).
    expect(deltaRequests.pvog).toBeGreaterThanOrEqual(fx.sb.world.municipalities.length);
  }, 900_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvailabilityService } from '../../src/availability/service';
import { SnapshotStore } from '../../src/harvest/store';
import type { PvogItem } from '../../src/harvest/items';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { MunicipalityService } from '../../src/services/municipalities';
import { startSandboxes, type SandboxWorld } from '../../src/sandbox';
import { indexWorld } from '../../src/sandbox/world';
import { PVOG_PATHS } from '../../src/upstreams/pvog/client';
import { count, startHarvestFixture, type HarvestFixture } from './helpers';

// Issue 11 item 1: PVOG "bulk feed where configured, else per ARS". The same sandbox world harvested both ways must give
// the same items (services, online services, responsibilities per municipality) and the same availability answers.
const EWA = '99999001001000';
let sb: SandboxWorld;
let perArs: HarvestFixture;
let bulk: HarvestFixture;
let arsItems: Map<string, PvogItem>;
let bulkItems: Map<string, PvogItem>;

const itemsOf = async (f: HarvestFixture) => {
  const store = new SnapshotStore(f.db);
  const id = (await store.currentId())!;
  return new Map((await store.items<PvogItem>('pvog', id)).map((i) => [i.key, i.payload]));
};
const ofKind = (m: Map<string, PvogItem>, ...kinds: PvogItem['kind'][]) => new Map([...m].filter(([, p]) => kinds.includes(p.kind)));

beforeAll(async () => {
  sb = await startSandboxes();
  perArs = await startHarvestFixture({ sandboxes: sb });
  // The feed on "its own host": the URL form (HttpBulkFeed over a real socket), as a production Bereitstelldienst is configured.
  bulk = await startHarvestFixture({ sandboxes: sb, env: (s) => ({ PVOG_BULK_URL: `${s.urls.pvog}${PVOG_PATHS.bulk}` }) });
  sb.servers.pvog.resetCounts();
  expect((await perArs.harvest({ only: ['pvog', 'thavel'] })).status).toBe('complete');
  const perArsRequests = sb.servers.pvog.requestCount();
  sb.servers.pvog.resetCounts();
  expect((await bulk.harvest({ only: ['pvog', 'thavel'] })).status).toBe('complete');
  // The bulk harvest read the feed, and nothing per ARS.
  expect(sb.servers.pvog.requestCount('bereitstelldienst')).toBeGreaterThan(10);
  expect(sb.servers.pvog.requestCount('servicedescriptions.byArs') + sb.servers.pvog.requestCount('onlineservices')).toBe(0);
  expect(sb.servers.pvog.requestCount()).toBeLessThan(perArsRequests / 10);
  arsItems = await itemsOf(perArs);
  bulkItems = await itemsOf(bulk);
}, 600_000);
afterAll(async () => {
  await perArs?.close();
  await bulk?.close();
  await sb?.close();
});

describe('PVOG harvest from the bulk feed', () => {
  it('writes the same service items as the harvest per ARS (every municipality, every Leistung, same DTO)', () => {
    const a = ofKind(arsItems, 'service');
    const b = ofKind(bulkItems, 'service');
    expect(a.size).toBeGreaterThan(10_000);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const differing = [...a].filter(([k, p]) => JSON.stringify(b.get(k)) !== JSON.stringify(p)).map(([k]) => k);
    expect(differing).toEqual([]);
  });

  it('writes the same online items, except the LeiKa keys of the Onlinedienste whose Zuständigkeit names a Leistung the feed lacks (recorded as orphans)', () => {
    const a = ofKind(arsItems, 'online');
    const b = ofKind(bulkItems, 'online');
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const orphans = bulkItems.get('feed:orphans') as Extract<PvogItem, { kind: 'feed-orphans' }>;
    const orphanOnline = new Set(orphans.orphans.responsibilities.filter((r) => r.embeddedIn === 'onlinedienst').map((r) => r.id));
    // From the world: the PVOG-announced Onlinedienste carrying a key no Leistung of the world has.
    const ix = indexWorld(sb.world);
    const keyless = new Set(sb.world.onlineServices.filter((o) => o.announcedIn.pvog && o.leikaKeys.some((k) => !ix.serviceByKey.has(k))).map((o) => o.id));
    expect(keyless.size).toBeGreaterThan(0);
    expect(orphanOnline).toEqual(keyless);
    const differing = new Set(
      [...a].filter(([k, p]) => JSON.stringify(b.get(k)) !== JSON.stringify(p)).map(([, p]) => (p as Extract<PvogItem, { kind: 'online' }>).onlineService.id),
    );
    expect(differing).toEqual(keyless);
    for (const [k, p] of a) {
      if (p.kind !== 'online' || !keyless.has(p.onlineService.id)) continue;
      const q = b.get(k) as typeof p;
      expect(q.onlineService).toEqual({ ...p.onlineService, leikaKeys: p.onlineService.leikaKeys.filter((key) => ix.serviceByKey.has(key)) });
    }
  });

  it('resolves district- and Land-wide Zuständigkeiten to every municipality below them, with the roles of the world', () => {
    const ix = indexWorld(sb.world);
    // Wohngeld is a district-tier Leistung, declared in the feed once per district (a 5-digit gebietID).
    const wohngeld = sb.world.services.find((s) => s.leikaKey === '99107023037000')!;
    for (const m of sb.world.municipalities.filter((_, i) => i % 50 === 0)) {
      const truth = (ix.responsibilitiesByArs.get(m.ars) ?? []).filter((r) => r.serviceId === wohngeld.id).map((r) => `${r.role}:${r.unitId}`).sort();
      const item = bulkItems.get(`responsibility:${m.ars}:${wohngeld.id}`) as Extract<PvogItem, { kind: 'responsibility' }> | undefined;
      expect({ ars: m.ars, units: (item?.units ?? []).map((u) => `${u.role?.code}:${u.id}`).sort() }).toEqual({ ars: m.ars, units: truth });
    }
    const unit = bulkItems.get(`unit:${sb.world.organisationUnits[0].id}`) as Extract<PvogItem, { kind: 'unit' }>;
    expect(unit.unit).toMatchObject({ id: sb.world.organisationUnits[0].id, name: sb.world.organisationUnits[0].name });
  });

  it('gives the same availability answer for eWA as the harvest per ARS', async () => {
    const answer = async (f: HarvestFixture) => {
      const dir = municipalityDirectory();
      const { asOf, freshness, sources, ...rest } = (await new AvailabilityService(f.db, dir, new MunicipalityService(dir)).availability(EWA)) as unknown as Record<string, unknown>;
      void asOf, freshness, sources;
      return rest;
    };
    const a = await answer(perArs);
    const b = await answer(bulk);
    expect(a.total).toBe(605);
    expect(a.online).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('records the feed orphans: the planted Zuständigkeiten that point nowhere and the count of deletes of unknown ids', () => {
    const o = (bulkItems.get('feed:orphans') as Extract<PvogItem, { kind: 'feed-orphans' }>).orphans;
    const planted = sb.world.bulkFeed.orphanResponsibilities.map((z) => z.id).sort();
    expect(o.responsibilities.filter((r) => r.embeddedIn === null).map((r) => r.id)).toEqual(planted);
    expect(o.orphanDeletes).toBe(sb.world.bulkFeed.orphanDeleteIds.length);
    expect(o.orphanDeletesByClass).toEqual({ Zustaendigkeit: sb.world.bulkFeed.orphanDeleteIds.length });
  });

  it('a second bulk harvest of an unchanged feed writes no item row', async () => {
    const rows = await count(bulk.db, `select count(*)::int as n from harvest_item where upstream = 'pvog'`);
    expect((await bulk.harvest({ only: ['pvog'] })).status).toBe('complete');
    expect(await count(bulk.db, `select count(*)::int as n from harvest_item where upstream = 'pvog'`)).toBe(rows);
  }, 300_000);
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryHarvestLock } from '../../src/harvest/lock';
import { openDatabase } from '../../src/persistence/orm';
import { defaultWorld } from '../../src/sandbox/world';
import { parseCsv } from '../../src/util/csv';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { startHarvestFixture, type HarvestFixture } from '../harvest/helpers';

const EWA = '99999001001000';

interface Ref { ars: string; ags: string; name: string; district: string; districtName: string; population: number }

/** The shipped Destatis list, read from the CSV file itself. */
const reference = (): Ref[] =>
  parseCsv(readFileSync(join(__dirname, '../../data/thueringen-gemeinden.csv'), 'utf8')).map((r) => ({
    ars: r.ars, ags: r.ags, name: r.name, district: r.kreis_key, districtName: r.kreis_name, population: Number(r.population),
  }));

/**
 * Ground truth from the world data (not from the code under test): a municipality offers the Leistung online when the
 * world makes the Leistung relevant there (a responsibility at its ARS) and an online service with a link for the key,
 * announced to PVOG or the ThAVEL catalogue, lists the municipality in its areas.
 */
function worldOnline(key: string): Set<string> {
  const w = defaultWorld();
  const relevant = new Set(w.responsibilities.filter((r) => r.leikaKey === key).map((r) => r.areaArs));
  const online = new Set<string>();
  for (const o of w.onlineServices) {
    if (!o.leikaKeys.includes(key) || o.links.length === 0 || !(o.announcedIn.pvog || o.announcedIn.thavel)) continue;
    for (const a of o.areas) if (relevant.has(a)) online.add(a);
  }
  return online;
}

/** A keep-alive socket the server closed between two tests can reset once; the second attempt gets a fresh one. */
async function get(url: string): Promise<Response> {
  try {
    return await fetch(url);
  } catch {
    return fetch(url);
  }
}

const sizeClass = (p: number) => (p < 1000 ? 'UNDER_1000' : p <= 5000 ? 'FROM_1000_TO_5000' : 'OVER_5000');

const AVAILABILITY = `query($k: LeikaKey!, $scope: ARS, $first: Int) { availability(leikaKey: $k, scope: $scope) {
  leikaKey serviceName total online share asOf sources { source harvestedAt mode items }
  byDistrict { ars name total online share } bySizeClass { sizeClass total online share }
  missing(first: $first) { totalCount edges { node { ars name } } } } }`;

describe('availability over a full harvest of the sandbox world (PostgreSQL)', () => {
  let fx: HarvestFixture;
  let gw: TestGateway;
  let gw2: TestGateway;
  beforeAll(async () => {
    fx = await startHarvestFixture();
    gw = await startTestGateway(fx.env);
    // Before the first harvest: a typed error telling how to get a snapshot, and 503 from the reports.
    const before = await gw.raw(AVAILABILITY, { k: EWA });
    expect(before.errors?.[0].extensions?.code).toBe('SNAPSHOT_NOT_AVAILABLE');
    expect(before.errors?.[0].message).toContain('thuegate harvest');
    const csv = await fetch(`${gw.url}/reports/availability.csv?leikaKey=${EWA}`);
    expect(csv.status).toBe(503);
    const outcome = await fx.harvest({ concurrency: 12 });
    expect(outcome.status).toBe('complete');
  }, 1_800_000);
  afterAll(async () => {
    await gw2?.stop();
    await gw?.stop();
    await fx?.close();
  });

  it('eWA: total 605, the online count, every district, every size class and the missing list equal the world', async () => {
    const refs = reference();
    const online = worldOnline(EWA);
    const r = await gw.raw(AVAILABILITY, { k: EWA, first: 1000 });
    expect(r.errors).toBeUndefined();
    const a = r.data.availability;
    expect(a.total).toBe(605);
    expect(a.online).toBe(refs.filter((m) => online.has(m.ars)).length);
    expect(a.online).toBeGreaterThan(50);
    expect(a.serviceName).toBe(defaultWorld().services.find((s) => s.leikaKey === EWA)!.name);
    const districts = [...new Set(refs.map((m) => m.district))];
    expect(a.byDistrict).toHaveLength(districts.length);
    for (const d of districts) {
      const ms = refs.filter((m) => m.district === d);
      const n = ms.filter((m) => online.has(m.ars)).length;
      expect(a.byDistrict.find((x: { ars: string }) => x.ars === d), d).toEqual({ ars: d, name: ms[0].districtName, total: ms.length, online: n, share: n / ms.length });
    }
    for (const c of ['UNDER_1000', 'FROM_1000_TO_5000', 'OVER_5000']) {
      const ms = refs.filter((m) => sizeClass(m.population) === c);
      const n = ms.filter((m) => online.has(m.ars)).length;
      expect(a.bySizeClass.find((x: { sizeClass: string }) => x.sizeClass === c), c).toEqual({ sizeClass: c, total: ms.length, online: n, share: n / ms.length });
    }
    const missing = refs.filter((m) => !online.has(m.ars)).map((m) => m.ars).sort();
    expect(a.missing.totalCount).toBe(missing.length);
    expect(a.missing.edges.map((e: { node: { ars: string } }) => e.node.ars)).toEqual(missing);
    expect(new Set(a.sources.map((s: { source: string }) => s.source))).toEqual(new Set(['pvog', 'thavel', 'geomis', 'geoproxy', 'dvdv']));
  });

  it('agrees with the live municipality(ars){ onlineServices(leikaKey) } answer for a sample', async () => {
    const refs = reference();
    const online = worldOnline(EWA);
    const sample = [...refs.filter((m) => online.has(m.ars)).slice(0, 4), ...refs.filter((m) => !online.has(m.ars)).slice(0, 4), refs[0]];
    const matrix = await gw.raw(`query($k: [LeikaKey!]!) { availabilityMatrix(leikaKeys: $k) { ars online sizeClass population } }`, { k: [EWA] });
    expect(matrix.data.availabilityMatrix).toHaveLength(605);
    for (const m of sample) {
      const live = await gw.raw(`query($a: ARS!, $k: LeikaKey) { municipality(ars: $a) { onlineServices(leikaKey: $k) { totalCount edges { node { url } } } digitalOffer { onlineLeikaKeys } } }`, { a: m.ars, k: EWA });
      expect(live.errors, m.ars).toBeUndefined();
      const liveOnline = live.data.municipality.digitalOffer.onlineLeikaKeys.includes(EWA);
      expect(liveOnline, m.ars).toBe(online.has(m.ars)); // the sample holds both answers, by the world's data
      expect(liveOnline, m.ars).toBe(live.data.municipality.onlineServices.edges.some((e: { node: { url: string | null } }) => e.node.url) && liveOnline);
      const row = matrix.data.availabilityMatrix.find((x: { ars: string }) => x.ars === m.ars);
      expect(row.online, m.ars).toBe(liveOnline);
      expect(row.sizeClass).toBe(sizeClass(m.population));
    }
  });

  it('digitalOfferSummary answers per size class with shares from 0 to 1 and at most ten missing Leistungen', async () => {
    const r = await gw.raw(`{ digitalOfferSummary { asOf bySizeClass { sizeClass municipalities meanShare medianShare topMissing { leikaKey name missingIn } } } }`);
    expect(r.errors).toBeUndefined();
    const refs = reference();
    const s = r.data.digitalOfferSummary.bySizeClass;
    expect(s.map((c: { sizeClass: string }) => c.sizeClass)).toEqual(['UNDER_1000', 'FROM_1000_TO_5000', 'OVER_5000']);
    for (const c of s) {
      expect(c.municipalities).toBe(refs.filter((m) => sizeClass(m.population) === c.sizeClass).length);
      expect(c.meanShare).toBeGreaterThan(0);
      expect(c.meanShare).toBeLessThanOrEqual(1);
      expect(c.topMissing.length).toBeLessThanOrEqual(10);
    }
    // eWA is missing wherever it is relevant and not online: in OVER_5000 its count equals the world's.
    const w = defaultWorld();
    const relevant = new Set(w.responsibilities.filter((x) => x.leikaKey === EWA).map((x) => x.areaArs));
    const online = worldOnline(EWA);
    const big = refs.filter((m) => sizeClass(m.population) === 'OVER_5000' && relevant.has(m.ars) && !online.has(m.ars)).length;
    const entry = s[2].topMissing.find((t: { leikaKey: string }) => t.leikaKey === EWA);
    if (entry) expect(entry.missingIn).toBe(big);
  });

  it('serves the reports from the snapshot: CSV columns, SVG with the district labels, HTML page', async () => {
    const csv = await fetch(`${gw.url}/reports/availability.csv?leikaKey=${EWA}&scope=16070`);
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split('\n')[0].trim()).toBe('ars,ags,name,district_ars,population,size_class,leika_key,online');
    const rows = parseCsv(text);
    const online = worldOnline(EWA);
    expect(rows.length).toBe(reference().filter((m) => m.ars.startsWith('16070')).length);
    for (const row of rows) expect(row.online, row.ars).toBe(String(online.has(row.ars)));
    const svg = await (await fetch(`${gw.url}/reports/availability.svg?leikaKey=${EWA}`)).text();
    expect(svg).toContain('>Ilm-Kreis<');
    const page = await fetch(`${gw.url}/reports/availability?leikaKey=${EWA}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Ilm-Kreis');
  });

  it('history, harvestRuns and readiness report the snapshot', async () => {
    const h = await gw.raw(`query($k: LeikaKey!) { availabilityHistory(leikaKey: $k) { snapshotId asOf total online } harvestRuns(first: 10) { upstream status items added requests } }`, { k: EWA });
    expect(h.errors).toBeUndefined();
    expect(h.data.availabilityHistory).toHaveLength(1);
    expect(h.data.availabilityHistory[0].online).toBe(reference().filter((m) => worldOnline(EWA).has(m.ars)).length);
    expect(h.data.harvestRuns.map((r: { upstream: string }) => r.upstream).sort()).toEqual(['dvdv', 'geomis', 'geoproxy', 'pvog', 'thavel']);
    expect(h.data.harvestRuns.every((r: { status: string }) => r.status === 'succeeded')).toBe(true);
    const ready = (await (await get(`${gw.url}/readyz`)).json()) as { checks: { name: string; ok: boolean; snapshot?: number }[] };
    expect(ready.checks.find((c) => c.name === 'harvest')).toMatchObject({ ok: true });
    const metrics = await (await get(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/thuegate_harvest_snapshot_age_seconds\{[^}]*\} \d+/);
    expect(metrics).toMatch(/thuegate_harvest_last_outcome\{[^}]*status="complete"[^}]*\} 1/);
  });

  it('a second replica on the same database serves the same snapshot; a second harvester gets the lock holder and does nothing', async () => {
    gw2 = await startTestGateway(fx.env);
    const a = await gw.raw(AVAILABILITY, { k: EWA });
    const b = await gw2.raw(AVAILABILITY, { k: EWA });
    expect(b.data.availability.asOf).toBe(a.data.availability.asOf);
    expect(b.data.availability.online).toBe(a.data.availability.online);

    const other = await openDatabase({ databaseUrl: fx.pg.url });
    const lock = await tryHarvestLock(other);
    try {
      expect(lock).not.toBeNull();
      const before = await fx.db.orm.em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from harvest_snapshot`);
      const r = await fx.harvest();
      expect(r.status).toBe('locked');
      if (r.status === 'locked') expect(r.holder).toMatch(/PostgreSQL backend pid \d+/);
      const after = await fx.db.orm.em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from harvest_snapshot`);
      expect(after[0].n).toBe(before[0].n);
    } finally {
      await lock?.release();
      await other.close();
    }
  });
});

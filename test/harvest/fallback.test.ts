import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotStore, type SnapshotRow } from '../../src/harvest/store';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { startHarvestFixture, type HarvestFixture } from './helpers';

/**
 * Issue 11 item 6: an upstream that is down, with nothing in the caches, is answered from the latest harvest snapshot —
 * marked stale with the snapshot's harvest time and a response warning naming the upstream — except DVDV, whose live
 * answers never come from a snapshot. Real sockets throughout: sandbox upstreams with injected 503s, PostgreSQL.
 */

const EWA = '99999001001000';
const ADMIN_TOKEN = 'fallback-test-admin-token-0123456789abcdef';
const DOWN = '*=status:503';

interface Response {
  data?: any;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  extensions?: { warnings?: Record<string, unknown>[] };
}

async function post(gw: TestGateway, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as Response;
}

const PORTAL = `query($a: ARS!, $k: LeikaKey) { municipality(ars: $a) {
  services(first: 1000) { totalCount edges { node { pvogId name provenance { source fetchedAt stale } } } }
  onlineServices(leikaKey: $k) { totalCount edges { node { id url title provenance { source fetchedAt stale } } } }
  digitalOffer { onlineLeikaKeys servicesTotal } } }`;
const GEO = `query($id: ID!, $name: String!) {
  geoRecord(id: $id) { fileIdentifier title provenance { source fetchedAt stale } }
  geoWebService(name: $name) { name title layers { name } provenance { source fetchedAt stale } } }`;
// Everything the live PVOG loaders serve per Leistung: description (fees, texts, forms), responsibilities and their units.
const DETAIL = `query($a: ARS!) { municipality(ars: $a) { services(first: 1000) { edges { node { pvogId
  fees { description amount currency } legalReferences forms { url title } shortText { text } processingTime { description }
  responsibilities { organisationUnitId organisationUnitName role { code } provenance { source fetchedAt stale }
    organisationUnit { pvogId name shortName addresses { formatted } contact { email phone } openingHours { day opens closes } provenance { source fetchedAt stale } } }
  provenance { source fetchedAt stale } } } } } }`;
const UNIT = `query($id: ID!) { organisationUnit(id: $id) { pvogId name shortName lastUpdate addresses { formatted } contact { email phone fax website } provenance { source fetchedAt stale } } }`;
const DVDV = `query($k: DvdvOrganizationKey!) { directoryOrganizations(key: $k) { name } }`;

describe('live fields answered from the harvest snapshot while the upstream is down', () => {
  let fx: HarvestFixture;
  let snap: SnapshotRow;
  let live: TestGateway;
  const gateways: TestGateway[] = [];
  const gateway = async (env: Record<string, string>) => {
    const gw = await startTestGateway({ ADMIN_TOKEN, ...env });
    gateways.push(gw);
    return gw;
  };
  // A place where eWA is online (from the world's data): the answer to check has content.
  let ars: string;
  let recordId: string;

  beforeAll(async () => {
    fx = await startHarvestFixture();
    const outcome = await fx.harvest({ only: ['pvog', 'thavel', 'geomis', 'geoproxy'], concurrency: 12 });
    expect(outcome.status).toBe('complete');
    snap = (await new SnapshotStore(fx.db).current())!;
    const w = fx.sb.world;
    ars = w.onlineServices.find((o) => o.leikaKeys.includes(EWA) && o.links.length > 0 && o.announcedIn.pvog && o.areas.some((a) => a.length === 12))!.areas.find((a) => a.length === 12)!;
    recordId = w.geo.records.find((r) => r.title)!.fileIdentifier;
    // What the upstreams say while they are up: the answers the snapshot must reproduce (a gateway of its own, so the
    // gateway under test starts with empty caches).
    live = await gateway(fx.env);
  }, 1_800_000);
  afterAll(async () => {
    fx?.sb.setFaults(undefined);
    for (const gw of gateways) await gw.stop();
    await fx?.close();
  });

  it('PVOG services, online services (PVOG + ThAVEL), GeoMIS records and Geoproxy capabilities come from the snapshot, stale, with a warning per upstream', async () => {
    const before = await post(live, PORTAL, { a: ars, k: EWA });
    const geoBefore = await post(live, GEO, { id: recordId, name: 'DOP' });
    expect(before.errors).toBeUndefined();
    expect(geoBefore.errors).toBeUndefined();
    // Ground truth from the world: the Leistungen PVOG lists at the place are its responsibilities there.
    const worldServices = [...new Set(fx.sb.world.responsibilities.filter((r) => r.areaArs === ars).map((r) => r.serviceId))].sort();
    expect(before.data.municipality.services.edges.map((e: any) => e.node.pvogId).sort()).toEqual(worldServices);

    const gw = await gateway(fx.env);
    fx.sb.setFaults(DOWN);
    try {
      const r = await post(gw, PORTAL, { a: ars, k: EWA });
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      const m = r.data.municipality;
      expect(m.services.edges.map((e: any) => e.node.pvogId).sort()).toEqual(worldServices);
      expect(m.services.edges.map((e: any) => e.node.name)).toEqual(before.data.municipality.services.edges.map((e: any) => e.node.name));
      expect(m.onlineServices).toEqual({
        totalCount: before.data.municipality.onlineServices.totalCount,
        edges: before.data.municipality.onlineServices.edges.map((e: any) => ({ node: { ...e.node, provenance: expect.anything() } })),
      });
      expect(m.onlineServices.totalCount).toBeGreaterThan(0);
      expect(m.digitalOffer.onlineLeikaKeys).toEqual(before.data.municipality.digitalOffer.onlineLeikaKeys);
      expect(m.digitalOffer.onlineLeikaKeys).toContain(EWA);
      // Stale, and as old as the snapshot's harvest of each upstream.
      for (const e of m.services.edges) expect(e.node.provenance).toEqual({ source: 'pvog', fetchedAt: snap.counts.pvog.harvestedAt, stale: true });
      const oldest = [snap.counts.pvog.harvestedAt!, snap.counts.thavel.harvestedAt!].sort()[0];
      for (const e of m.onlineServices.edges) expect(e.node.provenance).toMatchObject({ fetchedAt: oldest, stale: true });

      const geo = await post(gw, GEO, { id: recordId, name: 'DOP' });
      expect(geo.errors, JSON.stringify(geo.errors)).toBeUndefined();
      expect(geo.data.geoRecord).toEqual({ ...geoBefore.data.geoRecord, provenance: { source: 'geomis', fetchedAt: snap.counts.geomis.harvestedAt, stale: true } });
      expect(geo.data.geoRecord.title).toBe(fx.sb.world.geo.records.find((x) => x.fileIdentifier === recordId)!.title);
      expect(geo.data.geoWebService).toEqual({ ...geoBefore.data.geoWebService, provenance: { source: 'geoproxy', fetchedAt: snap.counts.geoproxy.harvestedAt, stale: true } });
      expect(geo.data.geoWebService.layers.length).toBeGreaterThan(0);

      // The client is told: one warning per upstream, naming it, its outage and the snapshot's age.
      const warnings = [...(r.extensions?.warnings ?? []), ...(geo.extensions?.warnings ?? [])];
      expect(warnings.map((w) => w.upstream).sort()).toEqual(['geomis', 'geoproxy', 'pvog', 'thavel']);
      for (const w of warnings) {
        expect(w).toMatchObject({ code: 'UPSTREAM_SNAPSHOT_FALLBACK', snapshotId: snap.id, harvestedAt: snap.counts[w.upstream as string].harvestedAt });
        expect(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_CIRCUIT_OPEN']).toContain(w.cause);
        expect(w.message).toContain(`Upstream '${w.upstream}'`);
        expect(w.message).toContain('harvest snapshot');
        expect(w.ageSeconds).toBeGreaterThanOrEqual(0);
        expect(w.ageSeconds).toBeLessThan(3600);
      }
    } finally {
      fx.sb.setFaults(undefined);
    }
  }, 300_000);

  it('PVOG responsibilities, Organisationseinheiten and service descriptions come from the snapshot, stale, as the live answer gave them', async () => {
    const w = fx.sb.world;
    const before = await post(live, DETAIL, { a: ars });
    expect(before.errors, JSON.stringify(before.errors)).toBeUndefined();
    // Ground truth from the world: per Leistung at the place its units and roles, per unit its name and e-mail, per Leistung its fees.
    const unitOf = new Map(w.organisationUnits.map((u) => [u.id, u]));
    const expected = (nodes: any[]) =>
      nodes.map((n) => ({
        pvogId: n.pvogId,
        fees: w.services.find((x) => x.id === n.pvogId)!.fees.map((f) => f.description),
        units: w.responsibilities
          .filter((r) => r.areaArs === ars && r.serviceId === n.pvogId)
          .map((r) => ({ id: r.unitId, role: r.role, name: unitOf.get(r.unitId)!.name, email: unitOf.get(r.unitId)!.contact.email }))
          .sort((a, b) => a.role.localeCompare(b.role) || a.id.localeCompare(b.id)),
      }));
    const seen = (nodes: any[]) =>
      nodes.map((n) => ({
        pvogId: n.pvogId,
        fees: n.fees.map((f: any) => f.description),
        units: n.responsibilities
          .map((r: any) => ({ id: r.organisationUnitId, role: r.role.code, name: r.organisationUnit.name, email: r.organisationUnit.contact.email }))
          .sort((a: any, b: any) => a.role.localeCompare(b.role) || a.id.localeCompare(b.id)),
      }));
    const liveNodes = before.data.municipality.services.edges.map((e: any) => e.node);
    expect(seen(liveNodes)).toEqual(expected(liveNodes));
    expect(liveNodes.flatMap((n: any) => n.responsibilities).length).toBeGreaterThan(0);
    const unitId = liveNodes.flatMap((n: any) => n.responsibilities)[0].organisationUnitId;
    const unitBefore = await post(live, UNIT, { id: unitId });
    expect(unitBefore.errors).toBeUndefined();

    const gw = await gateway(fx.env);
    fx.sb.setFaults(DOWN);
    try {
      const r = await post(gw, DETAIL, { a: ars });
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      const nodes = r.data.municipality.services.edges.map((e: any) => e.node);
      expect(seen(nodes)).toEqual(expected(liveNodes));
      // Field by field what the live answer gave, apart from provenance (now stale, as old as the snapshot's PVOG harvest).
      const stale = { source: 'pvog', fetchedAt: snap.counts.pvog.harvestedAt, stale: true };
      const strip = (n: any) => ({ ...n, provenance: undefined, responsibilities: n.responsibilities.map((x: any) => ({ ...x, provenance: undefined, organisationUnit: { ...x.organisationUnit, provenance: undefined } })) });
      expect(nodes.map(strip)).toEqual(liveNodes.map(strip));
      for (const n of nodes) {
        for (const x of n.responsibilities) {
          expect(x.provenance).toEqual(stale);
          expect(x.organisationUnit.provenance).toEqual(stale);
        }
      }
      const unit = await post(gw, UNIT, { id: unitId });
      expect(unit.errors, JSON.stringify(unit.errors)).toBeUndefined();
      expect(unit.data.organisationUnit).toEqual({ ...unitBefore.data.organisationUnit, provenance: stale });
      expect(unit.data.organisationUnit.name).toBe(unitOf.get(unitId)!.name);
      for (const x of [...(r.extensions?.warnings ?? []), ...(unit.extensions?.warnings ?? [])]) expect(x).toMatchObject({ code: 'UPSTREAM_SNAPSHOT_FALLBACK', upstream: 'pvog', snapshotId: snap.id });
      expect(unit.extensions?.warnings?.length).toBe(1);
    } finally {
      fx.sb.setFaults(undefined);
    }
  }, 300_000);

  it('DVDV is never answered from the snapshot: a DVDV outage stays an error naming DVDV', async () => {
    // Even with DVDV rows in the snapshot (they feed conformance checks).
    expect((await fx.harvest({ only: ['dvdv'] })).status).toBe('complete');
    const ags = fx.sb.world.municipalities[0].ags;
    const gw = await gateway(fx.env);
    fx.sb.setFaults(DOWN);
    try {
      const r = await post(gw, DVDV, { k: `ags:${ags}` }, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect(r.errors?.[0]?.extensions).toMatchObject({ upstream: 'dvdv' });
      expect(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_CIRCUIT_OPEN']).toContain(r.errors?.[0]?.extensions?.code);
      expect(r.data?.directoryOrganizations ?? null).toBeNull();
      expect(r.extensions?.warnings).toBeUndefined();
    } finally {
      fx.sb.setFaults(undefined);
    }
  }, 300_000);

  it('without a snapshot the outage is the usual error naming the upstream', async () => {
    const { DATABASE_URL: _db, ...env } = fx.env; // an embedded database of its own: no harvest ever ran there
    const gw = await gateway(env);
    fx.sb.setFaults(DOWN);
    try {
      const r = await post(gw, PORTAL, { a: ars, k: EWA });
      const pvog = r.errors?.find((e) => e.path?.join('.') === 'municipality.services');
      expect(pvog?.extensions).toMatchObject({ upstream: 'pvog' });
      expect(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_CIRCUIT_OPEN']).toContain(pvog?.extensions?.code);
      expect(r.data?.municipality?.services ?? null).toBeNull();
      expect(r.extensions?.warnings).toBeUndefined();
    } finally {
      fx.sb.setFaults(undefined);
    }
  }, 300_000);
});

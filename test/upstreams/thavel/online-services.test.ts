import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MunicipalityOnlineDocument, OnlineServicesDocument, ServiceOnlineServicesDocument, UnitOnlineServicesDocument } from '../../../client/generated/graphql';
import { indexWorld, type OnlineService, type World } from '../../../src/sandbox/world';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

let gw: TestGateway;
let world: World;
beforeAll(async () => {
  gw = await startTestGateway();
  world = gw.sandboxes!.world;
}, 60_000);
afterAll(async () => gw?.stop());

const ANMELDUNG = '99999001001000'; // sandbox key of "Wohnsitz anmelden" (world services.ts: sandboxLeikaKey(1))
const listed = (o: OnlineService) => o.announcedIn.pvog || o.announcedIn.thavel;
/** What the world says is on offer online at a municipality (either catalogue). */
const worldOnlineAt = (ars: string) => (indexWorld(world).onlineServicesByArea.get(ars) ?? []).filter(listed);

async function municipalityOnline(ars: string) {
  const r = await gw.gql(MunicipalityOnlineDocument, { ars, first: 1000 });
  expect(r.errors).toBeUndefined();
  return r.data!.municipality!;
}

describe('online services per municipality', () => {
  it('a municipality with eWA and one without differ exactly as the world says', async () => {
    const offices = world.registrationOffices;
    const withEwa = offices.find((o) => o.ewaOnlineServiceId && o.servedArs.length === 1)!;
    const withoutEwa = offices.find((o) => !o.ewaOnlineServiceId && o.servedArs.length === 1)!;
    expect(offices.filter((o) => o.ewaOnlineServiceId).length).toBeGreaterThan(90);
    for (const [office, hasEwa] of [[withEwa, true], [withoutEwa, false]] as const) {
      const ars = office.servedArs[0];
      const m = await municipalityOnline(ars);
      const ids = m.onlineServices!.edges.map((e) => e.node.onlineServiceId);
      expect(ids).toEqual(worldOnlineAt(ars).map((o) => o.id).sort());
      expect(m.onlineServices!.totalCount).toBe(ids.length);
      const ewa = m.onlineServices!.edges.filter((e) => e.node.leikaKeys.includes(ANMELDUNG)).map((e) => e.node.onlineServiceId);
      expect(ewa).toEqual(hasEwa ? [office.ewaOnlineServiceId] : []);
      // eWA is an EfA service: PVOG only, and not a ThAVEL form, so no discrepancy is claimed.
      for (const e of m.onlineServices!.edges.filter((x) => x.node.leikaKeys.includes(ANMELDUNG))) {
        expect(e.node.sources.map((s) => s.source)).toEqual(['PVOG']);
        expect(e.node.discrepancies).toEqual([]);
        expect(e.node.provider).toBeNull();
      }
      expect(m.digitalOffer!.onlineLeikaKeys.includes(ANMELDUNG)).toBe(hasEwa);
      expect(m.digitalOffer!.missing.some((x) => x.leikaKey === ANMELDUNG)).toBe(!hasEwa);
    }
  });

  it('district-level forms (building application, vehicle registration) are inherited by every municipality of the district', async () => {
    const district = world.districts.find((d) => d.municipalityArs.length >= 3)!;
    const forms = world.onlineServices.filter((o) => o.scope.level === 'district' && o.scope.ars === district.ars && listed(o));
    expect(forms.some((o) => o.provider.kind === 'THAVEL')).toBe(true); // declared as the Kreis in the ThAVEL catalogue
    const members = [district.municipalityArs[0], district.municipalityArs.at(-1)!];
    for (const ars of members) {
      const m = await municipalityOnline(ars);
      const byId = new Map(m.onlineServices!.edges.map((e) => [e.node.onlineServiceId, e.node]));
      for (const f of forms) {
        expect(byId.has(f.id), `${f.id} at ${ars}`).toBe(true);
        if (f.announcedIn.thavel) expect(byId.get(f.id)!.areas).toEqual([district.ars]);
      }
    }
    // Not across the district border.
    const outside = world.municipalities.find((m) => m.districtArs !== district.ars)!;
    const other = await municipalityOnline(outside.ars);
    expect(other.onlineServices!.edges.filter((e) => forms.some((f) => f.id === e.node.onlineServiceId))).toEqual([]);
  });

  it('digitalOffer counts exactly the relevant Leistungen with an online form there', async () => {
    const ix = indexWorld(world);
    const sample = [world.registrationOffices[0].servedArs[0], world.registrationOffices[40].servedArs.at(-1)!, world.municipalities[300].ars];
    for (const ars of sample) {
      const relevant = [...new Set((ix.responsibilitiesByArs.get(ars) ?? []).map((r) => r.serviceId))].map((id) => ix.serviceById.get(id)!);
      const onlineKeys = new Set(worldOnlineAt(ars).filter((o) => o.links.length > 0).flatMap((o) => o.leikaKeys));
      const online = relevant.filter((s) => onlineKeys.has(s.leikaKey));
      const d = (await municipalityOnline(ars)).digitalOffer!;
      expect(d.servicesTotal).toBe(relevant.length);
      expect(d.servicesOnline).toBe(online.length);
      expect(d.onlineLeikaKeys).toEqual([...new Set(online.map((s) => s.leikaKey))].sort());
      expect(d.missing.map((x) => x.serviceId).sort()).toEqual(relevant.filter((s) => !onlineKeys.has(s.leikaKey)).map((s) => s.id).sort());
      expect(d.share).toBeCloseTo(online.length / relevant.length, 10);
      expect(d.onlineServiceCount).toBe(worldOnlineAt(ars).length);
    }
  });
});

describe('merge of ThAVEL catalogue and PVOG', () => {
  const defect = (kind: string) => world.defects.find((d) => d.kind === kind)!;
  const oneAt = async (id: string) => {
    const o = indexWorld(world).onlineServiceById.get(id)!;
    const ars = o.areas.find((a) => /^\d{12}$/.test(a))!;
    const r = await gw.gql(OnlineServicesDocument, { ars, first: 1000 });
    expect(r.errors).toBeUndefined();
    return { o, node: r.data!.onlineServices!.edges.find((e) => e.node.onlineServiceId === id)?.node };
  };

  it('planted disagreements are visible as data', async () => {
    const onlyThavel = await oneAt(defect('online-only-thavel').subject);
    expect(onlyThavel.node!.sources.map((s) => s.source)).toEqual(['THAVEL_CATALOGUE']);
    expect(onlyThavel.node!.discrepancies).toEqual(['NOT_IN_PVOG']);

    const onlyPvog = await oneAt(defect('online-only-pvog').subject);
    expect(onlyPvog.node!.sources.map((s) => s.source)).toEqual(['PVOG']);
    expect(onlyPvog.node!.discrepancies).toEqual(['NOT_IN_THAVEL_CATALOGUE']);
    expect(onlyPvog.node!.provider).toBe('ThAVEL'); // its link host is one the ThAVEL catalogue uses

    const mismatch = await oneAt(defect('online-title-mismatch').subject);
    expect(mismatch.node!.discrepancies).toEqual(['TITLE_DIFFERS']);
    expect(mismatch.node!.title).toBe(mismatch.o.thavelVariant!.title);
    expect(mismatch.node!.sources.map((s) => [s.source, s.title])).toEqual([
      ['THAVEL_CATALOGUE', mismatch.o.thavelVariant!.title],
      ['PVOG', mismatch.o.title],
    ]);
  });

  it('an agreeing ThAVEL form carries both sources and the catalogue-only fields', async () => {
    const planted = new Set(world.defects.map((d) => d.subject));
    const o = world.onlineServices.find((x) => x.provider.kind === 'THAVEL' && x.announcedIn.pvog && x.announcedIn.thavel && !planted.has(x.id) && x.payment)!;
    const { node } = await oneAt(o.id);
    expect(node).toMatchObject({
      title: o.title,
      url: o.links[0].url,
      trustLevel: { code: o.trustLevel!.code, listURI: o.trustLevel!.listURI },
      requiresLogin: true,
      loginMethods: o.login,
      payment: { required: o.payment!.required, methods: o.payment!.methods },
      leikaKeys: o.leikaKeys,
      provider: 'ThAVEL',
      operatorUnitId: o.operatorUnitId,
      validFrom: o.validFrom,
      discrepancies: [],
    });
    expect(node!.sources.map((s) => s.source)).toEqual(['THAVEL_CATALOGUE', 'PVOG']);
    expect(node!.provenance.source).toBe('thavel');
  });

  it('onlineServices(ars, leikaKey) filters and pages by id; AdministrativeService and OrganisationUnit expose theirs', async () => {
    const o = world.onlineServices.find((x) => x.provider.kind === 'THAVEL' && x.scope.level === 'district' && x.announcedIn.thavel && x.areas.length > 2)!;
    const ars = o.areas[1];
    const key = o.leikaKeys[0];
    const r = await gw.gql(OnlineServicesDocument, { ars, leikaKey: key, first: 1000 });
    expect(r.errors).toBeUndefined();
    const expected = worldOnlineAt(ars).filter((x) => x.leikaKeys.includes(key)).map((x) => x.id).sort();
    expect(r.data!.onlineServices!.edges.map((e) => e.node.onlineServiceId)).toEqual(expected);

    const all = worldOnlineAt(ars).map((x) => x.id).sort();
    const p1 = await gw.gql(OnlineServicesDocument, { ars, first: 2 });
    const p2 = await gw.gql(OnlineServicesDocument, { ars, first: 1000, after: p1.data!.onlineServices!.pageInfo.endCursor });
    expect([...p1.data!.onlineServices!.edges, ...p2.data!.onlineServices!.edges].map((e) => e.node.onlineServiceId)).toEqual(all);

    const svc = await gw.gql(ServiceOnlineServicesDocument, { leikaKey: key, ars });
    expect(svc.errors).toBeUndefined();
    expect(svc.data!.service!.onlineServices!.map((x) => x.onlineServiceId)).toEqual(expected);

    const unit = await gw.gql(UnitOnlineServicesDocument, { id: o.operatorUnitId! });
    expect(unit.errors).toBeUndefined();
    const byUnit = world.onlineServices.filter((x) => x.announcedIn.thavel && x.operatorUnitId === o.operatorUnitId).map((x) => x.id).sort();
    expect(unit.data!.organisationUnit!.onlineServices!.map((x) => x.onlineServiceId)).toEqual(byUnit);
  });

  it('Route.onlineServices is the merged list for the route’s Leistung and place', async () => {
    const o = world.onlineServices.find((x) => x.provider.kind === 'THAVEL' && x.scope.level === 'district' && x.announcedIn.thavel && x.announcedIn.pvog)!;
    const ars = o.areas[0];
    const key = o.leikaKeys[0];
    const r = await gw.raw('query R($k: LeikaKey!, $a: ARS!) { routes(leikaKey: $k, ars: $a) { destinationName onlineServices { onlineServiceId sources { source } } } }', { k: key, a: ars });
    expect(r.errors).toBeUndefined();
    expect(r.data.routes.length).toBeGreaterThan(0);
    const expected = worldOnlineAt(ars).filter((x) => x.leikaKeys.includes(key)).map((x) => x.id).sort();
    for (const route of r.data.routes) expect(route.onlineServices.map((x: { onlineServiceId: string }) => x.onlineServiceId)).toEqual(expected);
    expect(r.data.routes[0].onlineServices.find((x: { onlineServiceId: string }) => x.onlineServiceId === o.id).sources.map((s: { source: string }) => s.source)).toEqual(['THAVEL_CATALOGUE', 'PVOG']);
  });

  it('bad input names the argument; URLs stay data (the gateway never requests them)', async () => {
    const r = await gw.raw('{ onlineServices(ars: "1606") { totalCount } }');
    expect(r.errors?.[0].message).toMatch(/ARS/);
    const nf = await gw.raw('{ onlineServices(ars: "099999999999") { totalCount } }');
    expect(nf.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // No sandbox server saw a request for a form path.
    for (const s of Object.values(gw.sandboxes!.servers)) expect(s.requests().some((q) => q.path.startsWith('/govapp/'))).toBe(false);
  });
});

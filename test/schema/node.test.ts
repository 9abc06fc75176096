import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewaySchema } from '../../src/schema/build';
import { NODE_TYPES } from '../../src/schema/nodes';
import { startDvdvHarness, XMELD, type DvdvHarness } from '../upstreams/dvdv/gateway-helpers';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

/**
 * Relay Global Object Identification: every entity type implements Node, and `node(id:)` gives back the
 * object its own query returned (same type, same fields) — for every type, DVDV ones only for integrators.
 */
const FIELDS: Record<string, string> = {
  Municipality: 'ars ags name',
  District: 'ars name urban',
  Verband: 'ars name',
  AdministrativeService: 'pvogId leikaKey name ars',
  OrganisationUnit: 'pvogId name contact { phone email }',
  OnlineService: 'onlineServiceId title areas leikaKeys',
  Route: 'leikaKey ars destinationName organisationUnit { pvogId }',
  GeoRecord: 'fileIdentifier title type',
  GeoWebService: 'name kind title',
  OgcLayer: 'name serviceName title',
  DirectoryOrganization: 'key name category',
  OsciRoute: 'organizationKey serviceUri variant intermediaryUrl addresseeUri',
};
const sel = (type: string) => `__typename id ${FIELDS[type]}`;

const LAUSCHA = '160720011011';
const PERSONALAUSWEIS = '99008001012000';

const PUBLIC_SAMPLES = `
  query Samples($ars: ARS!, $leika: LeikaKey!) {
    municipality(ars: $ars) { ${sel('Municipality')} district { ${sel('District')} }
      onlineServices(first: 1) { edges { node { ${sel('OnlineService')} } } } }
    verbandMember: municipalities(filter: { namePrefix: "a" }, first: 100) { edges { node { verband { ${sel('Verband')} } } } }
    service(leikaKey: $leika, ars: $ars) { ${sel('AdministrativeService')} }
    routes(leikaKey: $leika, ars: $ars) { ${sel('Route')} organisationUnit { ${sel('OrganisationUnit')} } }
    geoRecords(first: 1) { edges { node { ${sel('GeoRecord')} } } }
    geoWebService(name: "DOP") { ${sel('GeoWebService')} layers { ${sel('OgcLayer')} } }
  }`;

const NODE = (type: string) => `query N($id: ID!) { node(id: $id) { __typename id ... on ${type} { ${FIELDS[type]} } } }`;

describe('node(id:) round-trips every entity type', () => {
  let gw: TestGateway;
  let dvdv: DvdvHarness;
  const samples = new Map<string, Record<string, unknown>>();

  beforeAll(async () => {
    [gw, dvdv] = await Promise.all([startTestGateway(), startDvdvHarness()]);
    const r = await gw.raw(PUBLIC_SAMPLES, { ars: LAUSCHA, leika: PERSONALAUSWEIS });
    expect(r.errors).toBeUndefined();
    const d = r.data;
    const { district, onlineServices, ...municipality } = d.municipality;
    samples.set('Municipality', municipality);
    samples.set('District', district);
    samples.set('OnlineService', onlineServices.edges[0]?.node);
    samples.set('Verband', d.verbandMember.edges.find((e: { node: { verband: unknown } }) => e.node.verband)?.node.verband);
    samples.set('AdministrativeService', d.service);
    const { organisationUnit, ...route } = d.routes[0];
    samples.set('Route', { ...route, organisationUnit: { pvogId: organisationUnit.pvogId } });
    samples.set('OrganisationUnit', organisationUnit);
    samples.set('GeoRecord', d.geoRecords.edges[0]?.node);
    const ws = d.geoWebService;
    const { layers, ...service } = ws;
    samples.set('GeoWebService', service);
    samples.set('OgcLayer', layers[0]);
    const restricted = await dvdv.exec(
      `query($key: DvdvOrganizationKey!, $uri: String!) {
        directoryOrganization(key: $key) { ${sel('DirectoryOrganization')} }
        directoryRoute(organizationKey: $key, serviceUri: $uri) { ${sel('OsciRoute')} } }`,
      'integrator',
      { key: 'ags:16051000', uri: XMELD },
    );
    expect(restricted.errors).toBeUndefined();
    samples.set('DirectoryOrganization', (restricted.data as any).directoryOrganization);
    samples.set('OsciRoute', (restricted.data as any).directoryRoute);
  }, 60_000);
  afterAll(async () => {
    await gw?.stop();
    await dvdv?.close();
  });

  it('the table of node types is exactly the set of schema types implementing Node', () => {
    const schema = gatewaySchema();
    const implementing = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Node'))
      .map((t) => t.name)
      .sort();
    expect(implementing).toEqual(Object.keys(NODE_TYPES).sort());
    expect(Object.keys(FIELDS).sort()).toEqual(implementing);
  });

  for (const type of Object.keys(NODE_TYPES)) {
    it(`${type}: node(id:) returns the object its own query returned`, async () => {
      const sample = samples.get(type);
      expect(sample, `a ${type} in the sandbox world`).toBeTruthy();
      expect(sample!.__typename).toBe(type);
      const id = sample!.id as string;
      const restricted = type.startsWith('Directory') || type === 'OsciRoute';
      const r = restricted ? await dvdv.exec(NODE(type), 'integrator', { id }) : await gw.raw(NODE(type), { id });
      expect(r.errors).toBeUndefined();
      expect((r.data as any).node).toEqual(sample);
    });
  }

  it('ids are opaque and globally unique: no native key shows through, no two objects of different types share one', () => {
    const ids = [...samples.values()].map((s) => s.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[A-Za-z0-9_-]+$/.test(id))).toBe(true);
    // Erfurt as a municipality and as its own (urban) district have different global ids.
    expect(samples.get('Municipality')!.id).not.toBe(samples.get('Municipality')!.ars);
    expect(samples.get('GeoRecord')!.id).not.toBe(samples.get('GeoRecord')!.fileIdentifier);
  });

  it('nodes(ids:) answers in order, with null and an error naming the position for an id it cannot use', async () => {
    const ids = ['Municipality', 'GeoRecord', 'OrganisationUnit'].map((t) => samples.get(t)!.id as string);
    const r = await gw.raw('query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids: [ids[0], 'not-an-id', ids[1], ids[2]] });
    expect(r.data.nodes.map((n: { __typename: string } | null) => n?.__typename ?? null)).toEqual(['Municipality', null, 'GeoRecord', 'OrganisationUnit']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'ids[1]' });
    expect(r.errors![0].path).toEqual(['nodes', 1]);
  });

  it('organisationUnit(id:) and geoRecord(id:) accept the global id and the native key alike', async () => {
    const unit = samples.get('OrganisationUnit')!;
    const rec = samples.get('GeoRecord')!;
    const q = 'query($u: ID!, $g: ID!) { organisationUnit(id: $u) { id pvogId } geoRecord(id: $g) { id fileIdentifier } }';
    const byGlobal = await gw.raw(q, { u: unit.id, g: rec.id });
    const byNative = await gw.raw(q, { u: unit.pvogId, g: rec.fileIdentifier });
    expect(byGlobal.errors).toBeUndefined();
    expect(byGlobal.data).toEqual(byNative.data);
    expect(byGlobal.data.organisationUnit).toEqual({ id: unit.id, pvogId: unit.pvogId });
    // A global id of another type is refused, not looked up as a native key.
    const wrong = await gw.raw('query($u: ID!) { organisationUnit(id: $u) { name } }', { u: rec.id });
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
  });

  it('restricted DVDV objects keep their authorization through node(id:): public callers get null + FORBIDDEN and nothing restricted', async () => {
    for (const type of ['DirectoryOrganization', 'OsciRoute']) {
      const sample = samples.get(type)!;
      const r = await dvdv.exec(NODE(type), 'public', { id: sample.id });
      expect((r.data as any).node).toBeNull();
      expect(r.errors!.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      const text = JSON.stringify(r);
      for (const v of Object.values(sample)) if (typeof v === 'string' && v !== type && v !== sample.id) expect(text).not.toContain(v);
      const many = await dvdv.exec('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', 'public', { ids: [sample.id] });
      expect((many.data as any).nodes).toEqual([null]);
      expect(many.errors!.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addClient, revokeClient } from '../../../src/services/clients';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { startDvdvHarness, XMELD, type DvdvHarness } from './gateway-helpers';

/**
 * Field-level authorization of DVDV data (DESIGN §6): integrator (and admin) only; everyone else gets
 * null + FORBIDDEN, through every syntactic route to the fields, and nothing restricted in errors or caches.
 */
const LOOKUPS = `
  fragment Endpoint on DirectoryServiceElement { uri cipherCertificate { fingerprint subject { text } } }
  query Lookups($key: DvdvOrganizationKey!, $uri: String!) {
    plain: directoryOrganization(key: $key) { name address services { elements { ...Endpoint } } }
    aliased: directoryOrganization(key: $key) { n: name t: __typename c: clientCertificates { f: fingerprint } }
    typenameOnly: directoryOrganization(key: $key) { __typename }
    route: directoryRoute(organizationKey: $key, serviceUri: $uri) { intermediaryUrl addresseeUri cipherCertificate { fingerprint validTo } }
    svc: directoryService(organizationKey: $key, serviceUri: $uri) { ... on DirectoryService { specificationUri elements { ...Endpoint } } }
    municipality(ags: "16051000") { name ...Dvdv }
  }
  fragment Dvdv on Municipality { offices: directoryOrganizations { name services { elements { uri } } } }`;
const VARS = { key: 'ags:16051000', uri: XMELD };
const RESTRICTED_FIELDS = ['plain', 'aliased', 'typenameOnly', 'route', 'svc'];

/** Everything restricted the world holds for Erfurt's Meldebehörde: none of it may appear in a denied answer. */
function restrictedStrings(world: DvdvHarness['sandboxes']['world']): string[] {
  const org = world.dvdv.organizations.find((o) => o.organizationKeys.includes('ags:16051000') && o.category === 'Meldebehörde')!;
  const elements = org.services.flatMap((s) => s.serviceElements);
  return [
    org.nameDe,
    org.postalAddress.split('\n')[0],
    ...org.clientCertificateFingerprints,
    ...elements.flatMap((e) => [e.serviceElementUri, e.cipherCertificateFingerprint]).filter((x): x is string => !!x),
  ];
}

function expectDenied(res: { data?: any; errors?: readonly any[] | null }, restricted: string[]) {
  for (const f of RESTRICTED_FIELDS) expect(res.data?.[f], f).toBeNull();
  expect(res.data.municipality.name).toBe('Erfurt, Stadt'); // public data still answers
  expect(res.data.municipality.offices).toBeNull();
  const forbidden = res.errors!.filter((e) => e.extensions?.code === 'FORBIDDEN');
  expect(forbidden.map((e) => e.path.join('.')).sort()).toEqual([...RESTRICTED_FIELDS, 'municipality.offices'].sort());
  expect(res.errors!.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
  const text = JSON.stringify(res);
  for (const s of restricted) expect(text).not.toContain(s);
}

function expectGranted(res: { data?: any; errors?: readonly any[] | null }, restricted: string[]) {
  expect(res.errors ?? []).toEqual([]);
  expect(res.data.plain.name).toBe(restricted[0]);
  expect(res.data.aliased.n).toBe(restricted[0]);
  expect(res.data.aliased.t).toBe('DirectoryOrganization');
  expect(res.data.route.intermediaryUrl).toMatch(/^https?:\/\//);
  expect(res.data.route.cipherCertificate.fingerprint).toMatch(/^[0-9a-f]{40}$/);
  expect(res.data.svc.elements.some((e: any) => e.uri)).toBe(true);
  expect(res.data.municipality.offices.map((o: any) => o.name)).toContain(restricted[0]);
}

describe('field-level authorization (schema execution with the role the authenticator yields)', () => {
  let h: DvdvHarness;
  let restricted: string[];
  beforeAll(async () => {
    h = await startDvdvHarness();
    restricted = restrictedStrings(h.sandboxes.world);
  });
  afterAll(() => h?.close());
  beforeEach(() => h.sandboxes.servers.dvdv.resetCounts());

  it('public: every DVDV field is null with FORBIDDEN, via aliases, fragments, inline fragments and __typename; no upstream call', async () => {
    const res = await h.exec(LOOKUPS, 'public', VARS);
    expectDenied(res, restricted);
    expect(h.sandboxes.servers.dvdv.requestCount()).toBe(0);
  });

  it('integrator and admin get endpoint and certificate data', async () => {
    expectGranted(await h.exec(LOOKUPS, 'integrator', VARS), restricted);
    expectGranted(await h.exec(LOOKUPS, 'admin', VARS), restricted);
  });

  it('data cached for an integrator is not served to a public caller afterwards', async () => {
    await h.exec(LOOKUPS, 'integrator', VARS);
    const res = await h.exec(LOOKUPS, 'public', VARS);
    expectDenied(res, restricted);
  });

  it('the FORBIDDEN error names only the role, even for a key that does not exist', async () => {
    const res = await h.exec(`{ directoryOrganization(key: "ags:16999999") { name } }`, 'public');
    expect(res.errors![0].message).toBe('This field requires the integrator role');
    expect(res.errors![0].extensions).toEqual({ code: 'FORBIDDEN', requiredRole: 'integrator' });
  });

  it('every DVDV type is PRIVATE for the response cache', async () => {
    const { gatewaySchema } = await import('../../../src/schema/build');
    const schema = gatewaySchema();
    for (const t of ['DirectoryOrganization', 'DirectoryService', 'DirectoryServiceElement', 'DirectoryCertificate', 'OsciRoute', 'DistinguishedName']) {
      const node = schema.getType(t)!.astNode!;
      const cc = node.directives!.find((d) => d.name.value === 'cacheControl')!;
      expect(cc.arguments!.find((a) => a.name.value === 'scope')!.value).toMatchObject({ value: 'PRIVATE' });
    }
  });
});

/** Over HTTP with real API keys stored (hashed) by the gateway's own database. */
describe('over HTTP with API keys', () => {
  let gw: TestGateway;
  let restricted: string[];
  let integratorKey: string;
  let publicKey: string;
  let revokedKey: string;
  beforeAll(async () => {
    gw = await startTestGateway();
    restricted = restrictedStrings(gw.sandboxes!.world);
    integratorKey = (await addClient(gw.db, { name: 'integrator', role: 'integrator' })).key;
    publicKey = (await addClient(gw.db, { name: 'public', role: 'public' })).key;
    const revoked = await addClient(gw.db, { name: 'revoked', role: 'integrator' });
    await revokeClient(gw.db, revoked.id);
    revokedKey = revoked.key;
  });
  afterAll(() => gw?.stop());

  it('integrator key: endpoint and certificate data for Erfurt', async () => {
    const res = await gw.raw(LOOKUPS, VARS, { 'x-api-key': integratorKey });
    expect(res.status).toBe(200);
    expectGranted(res, restricted);
    const viaAuthorization = await gw.raw(LOOKUPS, VARS, { authorization: `ApiKey ${integratorKey}` });
    expectGranted(viaAuthorization, restricted);
  });

  it('anonymous and public keys: FORBIDDEN, also after an integrator filled the caches', async () => {
    await gw.raw(LOOKUPS, VARS, { 'x-api-key': integratorKey });
    expectDenied(await gw.raw(LOOKUPS, VARS), restricted);
    expectDenied(await gw.raw(LOOKUPS, VARS, { 'x-api-key': publicKey }), restricted);
  });

  it('unknown and revoked keys are rejected with 401 UNAUTHENTICATED, not treated as public', async () => {
    for (const key of [revokedKey, `tg_${'A'.repeat(43)}`]) {
      const res = await gw.raw('{ municipality(ags: "16051000") { name } }', {}, { 'x-api-key': key });
      expect(res.status).toBe(401);
      expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    }
  });
});

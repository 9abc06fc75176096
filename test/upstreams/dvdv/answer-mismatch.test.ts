import { afterEach, describe, expect, it } from 'vitest';
import { codes, craftedDvdv, dvdvGraph, FLENSBURG, flensburg, fixture, type Answer, type DvdvCall } from './helpers';

// Issue 16 item 10: an answer about another organisation (another key, another category) or another service
// than asked is an error, not data under the key asked for. The operator here answers every lookup with the
// OpenAPI's Flensburg Passbehörde (psb:01001000_00), whatever was asked.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => void (await Promise.all(closers.splice(0).map((c) => c()))));

async function graphOver(answer: (call: DvdvCall) => Answer) {
  const upstream = await craftedDvdv(answer);
  const graph = dvdvGraph(upstream.url);
  closers.push(upstream.close, graph.close);
  return { graph, upstream };
}
const always = (body: unknown) => () => ({ status: 200, body });

const ORG = `query($k: DvdvOrganizationKey!, $c: String) { directoryOrganization(key: $k, category: $c) { key keys name category } }`;

function expectMismatch(r: { errors?: readonly any[]; data?: any }, field: string) {
  expect(codes(r)).toEqual(['UPSTREAM_BAD_RESPONSE']);
  expect(r.errors![0].extensions).toMatchObject({ upstream: 'dvdv', reason: 'ANSWER_MISMATCH', field });
}

describe('findauthoritydescription', () => {
  it('the organisation asked for, in the category asked for, is data (control)', async () => {
    const { graph } = await graphOver(always(flensburg()));
    const r = await graph.exec(ORG, { k: FLENSBURG.key, c: FLENSBURG.category });
    expect(r.errors).toBeUndefined();
    expect((r.data as any).directoryOrganization).toMatchObject({ key: FLENSBURG.key, keys: [FLENSBURG.key], category: FLENSBURG.category });
  });

  it('an answer carrying other keys is an error, not Flensburg under the key asked for', async () => {
    const { graph } = await graphOver(always(flensburg()));
    const r = await graph.exec(ORG, { k: 'psb:16051000_00', c: 'Passbehörde' });
    expect((r.data as any).directoryOrganization).toBeNull();
    expectMismatch(r, 'organizationDescription.organization.organizationKeys');
  });

  it('an answer of another category is an error', async () => {
    const { graph } = await graphOver(always(flensburg()));
    const r = await graph.exec(ORG, { k: FLENSBURG.key, c: 'Personalausweisbehörde' });
    expect((r.data as any).directoryOrganization).toBeNull();
    expectMismatch(r, 'organizationDescription.organization.category');
  });

  it('in the batch form, an entry for another organisation than its request item is an error', async () => {
    // Two lookups in one tick go out as one batch POST; the operator answers both with Flensburg.
    const { graph, upstream } = await graphOver((call) => ({ status: 200, body: (call.request as unknown[]).map(() => flensburg()) }));
    const r = await graph.exec(`{ a: directoryOrganization(key: "${FLENSBURG.key}", category: "Passbehörde") { key } b: directoryOrganization(key: "psb:16051000_00", category: "Passbehörde") { key } }`);
    expect(upstream.calls.map((c) => c.fn)).toEqual(['batch/findauthoritydescription']);
    expect((r.data as any).b).toBeNull();
    expect(codes(r)).toContain('UPSTREAM_BAD_RESPONSE');
    expect(r.errors!.some((e) => e.extensions?.reason === 'ANSWER_MISMATCH' && e.extensions?.field === '[1].organization.organizationKeys')).toBe(true);
  });
});

describe('findauthoritydescriptions', () => {
  it('an organisation in the list that does not carry the key is an error', async () => {
    const { graph } = await graphOver(always([flensburg()]));
    const r = await graph.exec(`{ directoryOrganizations(key: "ags:16051000") { key name } }`);
    expect((r.data as any).directoryOrganizations).toBeNull();
    expectMismatch(r, '[0].organization.organizationKeys');
  });
});

describe('findservicedescription', () => {
  const ASKED = 'http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl';
  const OTHER = 'http://www.bsi.de/trxhd/1.5/wsdl/xhd15Dh2BehServiceOsci.wsdl';
  const service = (uri: string) => ({ ...fixture('zustellix-test-resources/ServiceDescription.json'), serviceSpecificationUri: uri });
  const Q = `query($u: String!) { directoryService(organizationKey: "${FLENSBURG.key}", serviceUri: $u) { specificationUri } }`;

  it('the service asked for is data (control)', async () => {
    const { graph } = await graphOver(always(service(ASKED)));
    const r = await graph.exec(Q, { u: ASKED });
    expect(r.errors).toBeUndefined();
    expect((r.data as any).directoryService.specificationUri).toBe(ASKED);
  });

  it('another service than asked is an error', async () => {
    const { graph } = await graphOver(always(service(OTHER)));
    const r = await graph.exec(Q, { u: ASKED });
    expect((r.data as any).directoryService).toBeNull();
    expectMismatch(r, 'service.serviceSpecificationUri');
  });
});

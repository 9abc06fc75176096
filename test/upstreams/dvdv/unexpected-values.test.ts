import { afterEach, describe, expect, it } from 'vitest';
import { codes, craftedDvdv, dvdvGraph, fixture, FLENSBURG, flensburg, type Answer } from './helpers';

// Issue 16 item 9: values of unexpected form from DVDV — invalid dates, numbers that are no integers, keys and
// lists in other shapes — become UPSTREAM_BAD_RESPONSE naming dvdv and the field, never INTERNAL_SERVER_ERROR
// (DateTime/Int serialisation failures) and never a silently empty list. Each body is the OpenAPI's Flensburg
// example (or zustellix' recorded service) with one value changed.

const closers: (() => Promise<void>)[] = [];
afterEach(async () => void (await Promise.all(closers.splice(0).map((c) => c()))));

async function ask(answer: Answer, query: string, variables: Record<string, unknown> = { k: FLENSBURG.key, c: FLENSBURG.category }) {
  const upstream = await craftedDvdv(() => answer);
  const graph = dvdvGraph(upstream.url);
  closers.push(upstream.close, graph.close);
  return graph.exec(query, variables);
}

const ORG = `query($k: DvdvOrganizationKey!, $c: String) { directoryOrganization(key: $k, category: $c) {
  name keys stateId validFrom validTo services { specificationUri validFrom } clientCertificates { validTo daysUntilExpiry status revocationDate } } }`;

function expectBadField(r: Awaited<ReturnType<typeof ask>>, field: string) {
  expect(codes(r)).not.toContain('INTERNAL_SERVER_ERROR');
  expect(r.errors).toHaveLength(1);
  expect(r.errors![0].extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'dvdv', field });
  expect(r.errors![0].message).toContain(field);
}

describe('an organisation whose values are not of the documented form', () => {
  it('reads the unchanged example (control)', async () => {
    const r = await ask({ status: 200, body: flensburg() }, ORG);
    expect(r.errors).toBeUndefined();
    expect((r.data as any).directoryOrganization).toMatchObject({ name: flensburg().organization.nameDe, keys: [FLENSBURG.key], stateId: 1 });
  });

  it.each([
    ['an invalid date of the organisation', (b: any) => (b.organization.validFrom = '31.12.2026'), 'organizationDescription.organization.validFrom'],
    ['an invalid date of a service', (b: any) => (b.organization.services[1].validTo = 'unbefristet'), 'organizationDescription.organization.services[1].validTo'],
    ['an invalid expiry of a client certificate (daysUntilExpiry would be NaN)', (b: any) => {
      delete b.organization.clientCertificates[0].content; // the directory's own fields, not the DER, are read
      b.organization.clientCertificates[0].validTo = 'bald';
    }, 'organizationDescription.organization.clientCertificates[0].validTo'],
    ['a revocation date that is no date', (b: any) => {
      delete b.organization.clientCertificates[0].content;
      b.organization.clientCertificates[0].revocationDate = 'ja';
    }, 'organizationDescription.organization.clientCertificates[0].revocationDate'],
    ['a fractional Länderschlüssel', (b: any) => (b.organization.locationStateId = 1.5), 'organizationDescription.organization.locationStateId'],
    ['a key that is a number', (b: any) => (b.organization.organizationKeys = [FLENSBURG.key, 1001000]), 'organizationDescription.organization.organizationKeys[1]'],
    ['a key without a prefix', (b: any) => (b.organization.organizationKeys = [FLENSBURG.key, 'Stadt Flensburg']), 'organizationDescription.organization.organizationKeys[1]'],
    ['services as an object instead of a list', (b: any) => (b.organization.services = { xhd: b.organization.services[0] }), 'organizationDescription.organization.services'],
  ])('%s → UPSTREAM_BAD_RESPONSE naming the field', async (_what, change, field) => {
    const body = flensburg();
    change(body);
    expectBadField(await ask({ status: 200, body }, ORG), field);
  });
});

describe('a service whose values are not of the documented form', () => {
  const URI = 'http://www.dvdv.de/2005/09/dvdvQuery.wsdl';
  const SERVICE = `query($k: DvdvOrganizationKey!, $u: String!) { directoryService(organizationKey: $k, serviceUri: $u) { specificationUri validFrom validTo } }`;
  const service = () => ({ ...fixture('zustellix-test-resources/ServiceDescription.json'), serviceSpecificationUri: URI });

  it('reads the recorded service (control)', async () => {
    const r = await ask({ status: 200, body: service() }, SERVICE, { k: FLENSBURG.key, u: URI });
    expect(r.errors).toBeUndefined();
    expect((r.data as any).directoryService.specificationUri).toBe(URI);
  });

  it('an invalid validFrom → UPSTREAM_BAD_RESPONSE naming service.validFrom', async () => {
    expectBadField(await ask({ status: 200, body: { ...service(), validFrom: 'gestern' } }, SERVICE, { k: FLENSBURG.key, u: URI }), 'service.validFrom');
  });

  it('service elements as a string instead of a list → UPSTREAM_BAD_RESPONSE, not a route-less service', async () => {
    const r = await ask({ status: 200, body: { ...service(), serviceElements: 'OSCI' } }, SERVICE.replace('validTo }', 'validTo elements { uri } }'), { k: FLENSBURG.key, u: URI });
    expectBadField(r, 'service.serviceElements');
  });
});

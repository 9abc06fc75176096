import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { certificateStatus, daysUntilExpiry, parseCertificate } from '../../../src/upstreams/dvdv/mapper/certificates';
import { decodeRfc2047, mapOrganizationDescription, mapService, mapSpecificationUris } from '../../../src/upstreams/dvdv/mapper/directory';
import { rfc2047 } from '../../../src/upstreams/dvdv/sandbox';

// Field-by-field reading of recorded DVDV v2 bodies (test/fixtures/dvdv, see SOURCES.md).
const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/dvdv', name), 'utf8')) as any;

describe('OrganizationDescription (Stadt Flensburg example from the official OpenAPI, real DOI-CA certificate)', () => {
  const raw = fixture('example-OrganizationDescription-flensburg-psb.from-openapi.json');
  // Mapped in beforeEach, not in the describe body: Stryker activates a mutant after the test files are collected
  // (docs/mutation-testing.md).
  let org: ReturnType<typeof mapOrganizationDescription>;
  beforeEach(() => {
    org = mapOrganizationDescription(raw);
  });

  it('reads the organisation fields', () => {
    expect(org).toMatchObject({ id: raw.organization.id, name: raw.organization.nameDe, category: 'Passbehörde', keys: raw.organization.organizationKeys, locationStateId: raw.organization.locationStateId, postalAddress: raw.organization.postalAddress });
    expect(org.keys).toContain('psb:01001000_00');
    expect(org.services.map((s) => s.specificationUri)).toEqual(raw.organization.services.map((s: any) => s.serviceSpecificationUri));
    expect(org.services[0]).toMatchObject({ descriptionName: 'xhd14Dh2BehServiceOsci', validTo: '2019-12-01T22:59:59.000Z', specificationType: 'WSDL_OSCI' });
  });

  it('parses the DER certificate itself and agrees with the directory fields', () => {
    const c = org.clientCertificates[0];
    const dir = raw.organization.clientCertificates[0];
    expect(c.parsedFromContent).toBe(true);
    expect(c.fingerprint).toBe(createHash('sha1').update(Buffer.from(dir.content, 'base64')).digest('hex'));
    expect(c.fingerprintMatchesContent).toBe(dir.fingerprint === c.fingerprint);
    expect(c.serialHex).toBe(dir.serialHex.toLowerCase());
    expect(c.serial).toBe(dir.serial);
    expect(c.subject.commonName).toBe(dir.nameSubject);
    expect(c.subject.organizationalUnit).toBe(dir.ouSubject);
    expect(c.issuer).toMatchObject({ commonName: dir.nameIssuer, organization: dir.organizationIssuer, organizationalUnit: dir.ouIssuer });
    expect(c.validFrom).toBe(dir.validFrom);
    expect(c.validTo).toBe(dir.validTo);
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation', 'keyEncipherment']);
    expect(certificateStatus(c)).toBe('EXPIRED'); // ended 2022-05-15
    expect(daysUntilExpiry(c)!).toBeLessThan(0);
  });

  it('computes the client fingerprint from a certificate PEM (credentials from files)', async () => {
    const { credentialsFromPem } = await import('../../../src/upstreams/dvdv/token');
    const content: string = raw.organization.clientCertificates[0].content;
    const pem = `-----BEGIN CERTIFICATE-----\n${content.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
    expect(credentialsFromPem('unused', pem).fingerprint).toBe(createHash('sha1').update(Buffer.from(content, 'base64')).digest('hex'));
  });

  it('falls back to the directory fields when content is not X.509, and says so', () => {
    const c = parseCertificate({ ...raw.organization.clientCertificates[0], content: 'bm90IGEgY2VydA==' })!;
    expect(c.parsedFromContent).toBe(false);
    expect(c.subject.commonName).toBe('GRP: Stadt Flensburg XhD-T');
  });
});

describe('certificate status', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  const base = { validFrom: '2025-01-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z', revocationDate: null, revocationReason: null };
  it('flags expired, soon-expiring, not-yet-valid and revoked (revocation wins)', () => {
    expect(certificateStatus(base, now)).toBe('VALID');
    expect(certificateStatus({ ...base, validTo: '2026-06-20T00:00:00.000Z' }, now)).toBe('EXPIRING_SOON');
    expect(certificateStatus({ ...base, validTo: '2026-05-31T23:59:59.000Z' }, now)).toBe('EXPIRED');
    expect(certificateStatus({ ...base, validFrom: '2026-07-01T00:00:00.000Z' }, now)).toBe('NOT_YET_VALID');
    expect(certificateStatus({ ...base, revocationReason: 'KEY_COMPROMISE' }, now)).toBe('REVOKED');
    expect(certificateStatus({ ...base, revocationDate: '2026-01-01T00:00:00.000Z' }, now)).toBe('REVOKED');
  });
});

describe('zustellix recorded bodies', () => {
  it('Service with a TEXT element and null ids', () => {
    const raw = fixture('zustellix-test-resources/ServiceDescription.json');
    const s = mapService(raw);
    expect(s).toMatchObject({ id: 4711, name: 'test-servicename', descriptionName: raw.serviceDescriptionName, organizationName: 'test-organame' });
    expect(s.elements[0]).toMatchObject({ type: 'TEXT', text: 'test-sle-text', required: true, id: null, providerName: 'test-provide-name-0', cipherCertificate: null });
  });

  it('Service with a custom element type', () => {
    const raw = fixture('zustellix-test-resources/ServiceDescription-mit-Custom.json');
    const s = mapService(raw);
    expect(s.specificationUri).toBe('urn:dummy:1');
    expect(s.elements.map((e) => e.customType)).toEqual(raw.serviceElements.map((e: any) => e.customServiceElementType ?? null));
  });

  it('OrganizationDescription and the batch form with null for no hit', () => {
    const raw = fixture('zustellix-test-resources/OrganizationDescription.json');
    const single = mapOrganizationDescription(raw);
    expect(single).toMatchObject({ id: null, name: 'der-orga-name', nameEn: 'the-orga-name', category: '', postalAddress: 'Postalischer Weg', keys: [] });
    expect(single.services.map((x) => x.descriptionName)).toEqual(raw.organization.services.map((x: any) => x.serviceDescriptionName));
    expect(single.clientCertificates).toHaveLength(raw.organization.clientCertificates.length);
    expect(single.representatives[0]).toMatchObject({ id: null, name: 'the-repr-name', dvdv1Id: 'the-repr-dvdv1id', validTo: '2018-12-06T01:00:00.000Z' });
    const batch = fixture('zustellix-test-resources/batchFindServiceDescription.json') as unknown[];
    const mapped = batch.map((x) => (x === null ? null : mapService(x)));
    expect(mapped[0]!.id).toBe((batch[0] as any).id);
    expect(mapped[1]).toBeNull();
  });

  it('URIs by category: plain strings (real bodies) and ServiceBase objects (the spec) both read', () => {
    const uris = fixture('zustellix-test-resources/findUrisByCategory_Aufnahmeeinrichtung.json');
    expect(mapSpecificationUris(uris)).toEqual(uris);
    expect(mapSpecificationUris([{ id: 1, serviceDescriptionName: 'x', serviceSpecificationType: 'WSDL_OSCI', serviceSpecificationUri: uris[0] }])).toEqual([uris[0]]);
  });

  it('rejects a body without the required organisation fields, naming the field', () => {
    expect(() => mapOrganizationDescription({ organization: { id: 1, category: 'x', organizationKeys: [] } })).toThrow(/organization\.nameDe.*a string/);
    expect(() => mapService({ id: 1, serviceSpecificationUri: 'urn:x' })).toThrow(/service\.serviceDescriptionName/);
  });
});

describe('dvdv-warning-msg (RFC 2047)', () => {
  it('decodes B and Q encoded words', () => {
    expect(decodeRfc2047(rfc2047('Dienst ist nicht mehr gültig'))).toBe('Dienst ist nicht mehr gültig');
    expect(decodeRfc2047('=?ISO-8859-1?Q?Dienst_ung=FCltig?=')).toBe('Dienst ungültig');
    expect(decodeRfc2047('plain text')).toBe('plain text');
  });
});

import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../../src/upstreams/dvdv/mapper/certificates';
import { mapCategories, mapCategoryNames, mapService, mapSpecificationUris } from '../../../src/upstreams/dvdv/mapper/directory';
import { bool, dateTime, DvdvShapeError, id, int, keysOf, list, obj, optList } from '../../../src/upstreams/dvdv/mapper/values';
import { osciRoutes, toCertificate, toDirectoryService, toOrganization } from '../../../src/upstreams/dvdv/mapper/views';
import { UpstreamError } from '../../../src/upstreams/runtime/errors';

/**
 * DVDV v2 field readers and views at the edges of their documented forms (docs/upstreams/dvdv.md; the OpenAPI in
 * test/fixtures/dvdv): GraphQL Int is 32-bit signed (GraphQL spec §3.5.1), ids int64 kept only when exact in a
 * JSON number, date-times `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, keys `prefix:id` of at most 255 characters. Keys and
 * names are of the sandbox range.
 */

const shape = (fn: () => unknown): { field: string; expected: string; reason: string; message: string } => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DvdvShapeError);
    const s = e as DvdvShapeError;
    return { field: s.field, expected: s.expected, reason: s.reason, message: s.message };
  }
  throw new Error('expected a DvdvShapeError');
};

describe('value readers', () => {
  it('Int: the 32-bit range of GraphQL Int; absent is null; fractions, strings and larger numbers name the field', () => {
    expect(int({ n: 2_147_483_647 }, 'n', 'o')).toBe(2_147_483_647);
    expect(int({ n: -2_147_483_647 }, 'n', 'o')).toBe(-2_147_483_647);
    expect(int({ n: 0 }, 'n', 'o')).toBe(0);
    expect(int({}, 'n', 'o')).toBeNull();
    expect(int({ n: null }, 'n', 'o')).toBeNull();
    for (const bad of [2_147_483_648, -2_147_483_649, 1.5, '1', true]) {
      expect(shape(() => int({ n: bad }, 'n', 'org'))).toEqual({ field: 'org.n', expected: 'an integer', reason: 'BAD_VALUE', message: 'DVDV response field "org.n": expected an integer' });
    }
  });

  it('ids: any exact integer (int64 as far as JSON carries it exactly); absent is null', () => {
    expect(id({ id: 9_007_199_254_740_991 }, 'id', 'o')).toBe(9_007_199_254_740_991);
    expect(id({ id: 3_000_000_000 }, 'id', 'o')).toBe(3_000_000_000);
    expect(id({ id: null }, 'id', 'o')).toBeNull();
    expect(id({}, 'id', 'o')).toBeNull();
    for (const bad of [9_007_199_254_740_992, 2.5, '17']) expect(shape(() => id({ id: bad }, 'id', 'svc')).field).toBe('svc.id');
    expect(shape(() => id({ id: '17' }, 'id', 'svc')).expected).toBe('an integer id');
  });

  it('date-times: normalised to ISO 8601 UTC; empty is null; only values starting with a calendar date are dates', () => {
    expect(dateTime({ d: '2026-01-31T00:00:00.000Z' }, 'd', 'o')).toBe('2026-01-31T00:00:00.000Z');
    expect(dateTime({ d: '2026-01-31T01:30:00+01:00' }, 'd', 'o')).toBe('2026-01-31T00:30:00.000Z');
    expect(dateTime({ d: '2026-01-31' }, 'd', 'o')).toBe('2026-01-31T00:00:00.000Z');
    expect(dateTime({ d: '' }, 'd', 'o')).toBeNull();
    expect(dateTime({ d: null }, 'd', 'o')).toBeNull();
    expect(dateTime({}, 'd', 'o')).toBeNull();
    // Date.parse would read some of these; the documented form starts yyyy-MM-dd
    for (const bad of ['31.01.2026', 'Jan 31 2026', '2026-1-31', ' 2026-01-31', '2026-13-45T00:00:00Z', 1_769_817_600_000]) {
      expect(shape(() => dateTime({ d: bad }, 'd', 'cert'))).toMatchObject({ field: 'cert.d', expected: 'a date-time such as 2026-01-31T00:00:00.000Z' });
    }
  });

  it('booleans are JSON booleans only', () => {
    expect(bool({ b: false }, 'b', 'o')).toBe(false);
    expect(bool({ b: true }, 'b', 'o')).toBe(true);
    expect(bool({}, 'b', 'o')).toBeNull();
    for (const bad of ['true', 1, 0]) expect(shape(() => bool({ b: bad }, 'b', 'el'))).toMatchObject({ field: 'el.b', expected: 'a boolean' });
  });

  it('objects and lists: the wrong container is named; an optional list may be absent or null, not another value', () => {
    expect(shape(() => obj([], 'x')).expected).toBe('an object');
    expect(shape(() => obj(null, 'x')).expected).toBe('an object');
    expect(shape(() => obj('x', 'x')).expected).toBe('an object');
    expect(obj({ a: 1 }, 'x')).toEqual({ a: 1 });
    expect(shape(() => list({ 0: 'a' }, 'l'))).toMatchObject({ field: 'l', expected: 'an array' });
    expect(list(['a'], 'l')).toEqual(['a']);
    expect(optList(undefined, 'l')).toEqual([]);
    expect(optList(null, 'l')).toEqual([]);
    expect(optList(['a'], 'l')).toEqual(['a']);
    expect(shape(() => optList('a', 'l')).expected).toBe('an array');
    expect(shape(() => optList(0, 'l')).expected).toBe('an array');
  });

  it('keys: well-formed ones kept, strings of another form kept apart with their field, non-strings and overlong strings fail', () => {
    const max = `ags:${'1'.repeat(251)}`; // 255 characters, the documented maximum
    expect(keysOf({ k: ['ags:16051000', 'Stadt Flensburg', max, 'psb:16051000_00'] }, 'k', 'org')).toEqual({
      keys: ['ags:16051000', max, 'psb:16051000_00'],
      malformed: [{ key: 'Stadt Flensburg', field: 'org.k[1]' }],
    });
    expect(keysOf({}, 'k', 'org')).toEqual({ keys: [], malformed: [] });
    expect(shape(() => keysOf({ k: ['ags:16051000', `${max}1`] }, 'k', 'org'))).toMatchObject({ field: 'org.k[1]', expected: 'an organisation key "prefix:id", e.g. "ags:16051000"' });
    expect(shape(() => keysOf({ k: [16051000] }, 'k', 'org')).field).toBe('org.k[0]');
  });
});

describe('category and URI lists', () => {
  it('categories nest; a category without a name is named by its path', () => {
    expect(mapCategories([{ name: 'Meldebehörde', prefix: 'ags', children: [{ name: 'Einwohnermeldeamt' }] }, { name: 'Passbehörde' }])).toEqual([
      { name: 'Meldebehörde', prefix: 'ags', children: [{ name: 'Einwohnermeldeamt', prefix: null, children: [] }] },
      { name: 'Passbehörde', prefix: null, children: [] },
    ]);
    expect(shape(() => mapCategories([{ name: 'A', children: [{ prefix: 'x' }] }])).field).toBe('categories[0].children[0].name');
    expect(shape(() => mapCategories({})).field).toBe('categories');
  });

  it('leaf category names must be strings; URIs may be strings or ServiceBase objects, empty ones dropped', () => {
    expect(mapCategoryNames(['Meldebehörde', 'Passbehörde'])).toEqual(['Meldebehörde', 'Passbehörde']);
    expect(shape(() => mapCategoryNames(['Meldebehörde', 7]))).toMatchObject({ field: 'categories[1]', expected: 'a category name' });
    expect(mapSpecificationUris(['urn:a', { serviceSpecificationUri: 'urn:b' }, { serviceSpecificationUri: null }, ''])).toEqual(['urn:a', 'urn:b']);
    expect(shape(() => mapSpecificationUris(['urn:a', 5])).field).toBe('serviceSpecificationUris[1]');
  });
});

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const cert = (fields: Record<string, unknown>) =>
  parseCertificate({ fingerprint: 'AB12', serial: '1', nameSubject: 'GRP: Sandbox OSCI', validFrom: '2025-01-01T00:00:00.000Z', ...fields })!;

describe('views', () => {
  it('certificate flags follow the status at the given instant; days until expiry are whole days', () => {
    const valid = toCertificate(cert({ validTo: '2027-06-01T00:00:00.000Z' }), NOW)!;
    expect(valid).toMatchObject({ status: 'VALID', expired: false, expiringSoon: false, revoked: false, daysUntilExpiry: 365, fingerprint: 'ab12', serialNumber: '1' });
    expect(valid.validTo).toEqual(new Date('2027-06-01T00:00:00.000Z'));
    expect(valid.validFrom).toEqual(new Date('2025-01-01T00:00:00.000Z'));
    expect(valid.revocationDate).toBeNull();
    expect(toCertificate(cert({ validTo: '2026-06-10T12:00:00.000Z' }), NOW)).toMatchObject({ status: 'EXPIRING_SOON', expiringSoon: true, expired: false, daysUntilExpiry: 9 });
    expect(toCertificate(cert({ validTo: '2026-05-01T00:00:00.000Z' }), NOW)).toMatchObject({ status: 'EXPIRED', expired: true, expiringSoon: false, daysUntilExpiry: -31 });
    const revoked = toCertificate(cert({ validTo: '2027-06-01T00:00:00.000Z', revocationDate: '2026-02-01T00:00:00.000Z', revocationReason: 'KEY_COMPROMISE' }), NOW)!;
    expect(revoked).toMatchObject({ status: 'REVOKED', revoked: true, expired: false, revocationReason: 'KEY_COMPROMISE' });
    expect(revoked.revocationDate).toEqual(new Date('2026-02-01T00:00:00.000Z'));
    expect(toCertificate(null)).toBeNull();
  });

  it('a service is currently valid only between its dates (open ends allowed)', () => {
    const svc = (validFrom: string | null, validTo: string | null) =>
      toDirectoryService({ id: 1, name: 'XhD', descriptionName: 'xhd', specificationType: 'WSDL_OSCI', specificationUri: 'urn:xhd', validFrom, validTo }, 'psb:16051000_00');
    expect(svc(null, null).currentlyValid).toBe(true);
    expect(svc('2000-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')).toMatchObject({ currentlyValid: true, organizationKey: 'psb:16051000_00', specificationUri: 'urn:xhd', name: 'XhD' });
    expect(svc('2999-01-01T00:00:00.000Z', null).currentlyValid).toBe(false);
    expect(svc(null, '2000-01-01T00:00:00.000Z').currentlyValid).toBe(false);
    expect(svc('2000-01-01T00:00:00.000Z', null).validFrom).toEqual(new Date('2000-01-01T00:00:00.000Z'));
    expect(svc(null, null).validTo).toBeNull();
  });

  const p = { source: 'dvdv' as const, fetchedAt: new Date('2026-06-01T00:00:00.000Z'), stale: false };
  const org = (keys: string[], malformedKeys: { key: string; field: string }[] = []) => ({
    id: null, keys, malformedKeys, name: 'Stadt Sandbox', nameEn: null, description: null, category: 'Passbehörde', postalAddress: null,
    locationStateId: 16, dvdv1Id: null, validFrom: null, validTo: null, clientCertificates: [], services: [], representatives: [],
  });

  it('an organisation listing a malformed key is UPSTREAM_BAD_RESPONSE naming dvdv and the field', () => {
    let err: unknown;
    try {
      toOrganization(org(['psb:16051000_00'], [{ key: 'Stadt Sandbox', field: 'organizationDescription.organization.organizationKeys[1]' }]), 'psb:16051000_00', p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'dvdv', field: 'organizationDescription.organization.organizationKeys[1]', reason: 'MALFORMED_KEY' });
    expect((err as UpstreamError).message).toContain('field "organizationDescription.organization.organizationKeys[1]"');
    const ok = toOrganization(org(['psb:16051000_00']), 'psb:16051000_00', p);
    expect(ok).toMatchObject({ id: '', key: 'psb:16051000_00', name: 'Stadt Sandbox', stateId: 16, services: [], clientCertificates: [] });
    expect(ok.provenance).toEqual({ source: 'dvdv', fetchedAt: p.fetchedAt, stale: false });
  });

  it('OSCI routes pair intermediary and addressee by network variant, the cipher certificate from the addressee’s element', () => {
    const c = (cn: string) => ({ nameSubject: cn, validFrom: '2025-01-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z' });
    const s = mapService({
      serviceDescriptionName: 'xhd', serviceSpecificationUri: 'urn:xhd',
      serviceElements: [
        { serviceElementType: 'OSCI_INTERMEDIARY', serviceElementDescriptionName: 'TESTAIntermediär', serviceElementUri: 'https://im-a.sandbox.example', cipherCertificate: c('IM A') },
        { serviceElementType: 'OSCI_INTERMEDIARY', serviceElementDescriptionName: 'NdBIntermediär', serviceElementUri: 'https://im-b.sandbox.example' },
        { serviceElementType: 'OSCI_INTERMEDIARY', serviceElementDescriptionName: 'Sonder', serviceElementUri: 'https://im-c.sandbox.example' },
        { serviceElementType: 'OSCI_ADDRESSEE', serviceElementDescriptionName: 'NdBEmpfänger', serviceElementUri: 'urn:addr-b' },
        { serviceElementType: 'OSCI_ADDRESSEE', serviceElementDescriptionName: 'TESTAEmpfänger', serviceElementUri: 'urn:addr-a', cipherCertificate: c('ADDR A') },
        { serviceElementType: 'CIPHER_CERTIFICATE', serviceElementDescriptionName: 'TESTAEmpfänger', cipherCertificate: c('NOT USED') },
        { serviceElementType: 'CIPHER_CERTIFICATE', serviceElementDescriptionName: 'NdBEmpfänger', cipherCertificate: c('CIPHER B') },
        { serviceElementType: 'CIPHER_CERTIFICATE', serviceElementDescriptionName: 'Sonder', cipherCertificate: c('NO ADDRESSEE') },
      ],
    });
    const routes = osciRoutes(s, 'psb:16051000_00', { source: 'dvdv', fetchedAt: new Date(0), stale: true });
    expect(routes.map((r) => [r.variant, r.intermediaryUrl, r.addresseeUri, r.cipherCertificate?.subject.commonName ?? null, r.intermediaryCipherCertificate?.subject.commonName ?? null])).toEqual([
      ['TESTA', 'https://im-a.sandbox.example', 'urn:addr-a', 'ADDR A', 'IM A'],
      ['NdB', 'https://im-b.sandbox.example', 'urn:addr-b', 'CIPHER B', null],
      // a description name without the suffix is its own variant; no addressee, so no cipher certificate
      ['Sonder', 'https://im-c.sandbox.example', null, null, null],
    ]);
    expect(routes[0]).toMatchObject({ organizationKey: 'psb:16051000_00', serviceUri: 'urn:xhd', intermediarySignatureCertificate: null, provenance: { source: 'dvdv', stale: true } });
  });
});

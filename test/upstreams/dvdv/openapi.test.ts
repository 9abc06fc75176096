import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type SandboxWorld } from '../../../src/sandbox';
import { buildClientAssertion } from '../../../src/upstreams/dvdv/token';
import { SANDBOX_CLIENT_FINGERPRINT, SANDBOX_CLIENT_PRIVATE_KEY_PEM } from '../../../src/upstreams/dvdv/sandbox-credentials';
import { checkResponse, spec } from './openapi';

// Every sandbox DVDV route, every documented status, validated against the official OpenAPI with ajv.
let sb: SandboxWorld;
let base: string;
let token: string;
const ENTRY = 'extern/standaloneauth/directory';
const XMELD = 'http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl';
const XHD15 = 'http://www.bsi.de/trxhd/1.5/wsdl/xhd15Dh2BehServiceOsci.wsdl';

beforeAll(async () => {
  sb = await startSandboxes({ only: ['dvdv'] });
  base = sb.servers.dvdv.url;
  const assertion = buildClientAssertion({ privateKeyPem: SANDBOX_CLIENT_PRIVATE_KEY_PEM, fingerprint: SANDBOX_CLIENT_FINGERPRINT, audience: `${base}/extern/standaloneauth/token` });
  const res = await fetch(`${base}/extern/standaloneauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
  });
  const body = (await res.json()) as { access_token: string };
  expect(checkResponse('/extern/standaloneauth/token', 'post', res.status, res.headers.get('content-type'), body)).toEqual({ ok: true, errors: [] });
  token = body.access_token;
});
afterAll(() => sb?.close());

type Call = { fn: string; request?: unknown; batch?: unknown[]; auth?: boolean; raw?: string };

async function call(c: Call) {
  const path = c.batch ? `/${ENTRY}/v2/batch/${c.fn}` : `/${ENTRY}/v2/${c.fn}`;
  const query = c.raw !== undefined ? `?request_json=${encodeURIComponent(c.raw)}` : c.request ? `?request_json=${encodeURIComponent(JSON.stringify(c.request))}` : '';
  const res = await fetch(base + path + query, {
    method: c.batch ? 'POST' : 'GET',
    headers: { ...(c.auth === false ? {} : { authorization: `EmbeddedBearer ${token}` }), ...(c.batch ? { 'content-type': 'application/json; charset=utf-8' } : {}) },
    body: c.batch ? JSON.stringify(c.batch) : undefined,
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  const template = c.batch ? `/{entryPath}/v2/batch/${c.fn}` : `/{entryPath}/v2/${c.fn}`;
  return { status: res.status, body, headers: res.headers, check: checkResponse(template, c.batch ? 'post' : 'get', res.status, res.headers.get('content-type'), body) };
}

describe('DVDV sandbox conforms to the official OpenAPI', () => {
  const erfurtMelde = () => sb.world.dvdv.organizations.find((o) => o.organizationKeys.includes('ags:16051000') && o.category === 'Meldebehörde')!;
  const invalidServiceKey = () => sb.world.defects.find((d) => d.kind === 'dvdv-service-not-valid')!.subject;
  const fpOf = () => erfurtMelde().clientCertificateFingerprints[0];

  const cases: [string, () => Call, number][] = [
    ['categories', () => ({ fn: 'categories' }), 200],
    ['intermediaries', () => ({ fn: 'intermediaries' }), 200],
    ['version', () => ({ fn: 'version' }), 200],
    ['findauthoritydescription hit', () => ({ fn: 'findauthoritydescription', request: { organizationKey: 'ags:16051000', category: 'Meldebehörde' } }), 200],
    ['findauthoritydescription miss', () => ({ fn: 'findauthoritydescription', request: { organizationKey: 'ags:16999999', category: 'Meldebehörde' } }), 404],
    ['findauthoritydescription bad json', () => ({ fn: 'findauthoritydescription', raw: '{Nonsense-Eingabe' }), 400],
    ['findauthoritydescriptions', () => ({ fn: 'findauthoritydescriptions', request: { organizationKey: 'psb:16051000_00' } }), 200],
    ['findauthoritydescriptions bad', () => ({ fn: 'findauthoritydescriptions', request: {} }), 400],
    ['findservicedescription hit', () => ({ fn: 'findservicedescription', request: { organizationKey: 'ags:16051000', serviceSpecificationUri: XMELD } }), 200],
    ['findservicedescription invalid → 204', () => ({ fn: 'findservicedescription', request: { organizationKey: invalidServiceKey(), serviceSpecificationUri: XHD15 } }), 204],
    ['findservicedescription miss', () => ({ fn: 'findservicedescription', request: { organizationKey: 'ags:16051000', serviceSpecificationUri: XHD15 } }), 404],
    ['findservicedescription bad key', () => ({ fn: 'findservicedescription', request: { organizationKey: 'nokey', serviceSpecificationUri: XMELD } }), 400],
    ['findcategories', () => ({ fn: 'findcategories', request: { organizationKey: 'ags:16051000', fingerPrint: fpOf() } }), 200],
    ['findcategories bad', () => ({ fn: 'findcategories', raw: '[]' }), 400],
    ['findServiceSpecificationUrisByCategory', () => ({ fn: 'findServiceSpecificationUrisByCategory', request: { category: 'Passbehörde' } }), 200],
    ['verifycategory', () => ({ fn: 'verifycategory', request: { fingerPrint: fpOf(), category: 'Meldebehörde' } }), 200],
    ['verifycategory bad', () => ({ fn: 'verifycategory', request: { category: 'Meldebehörde' } }), 400],
    ['findCertificateByFingerprint', () => ({ fn: 'findCertificateByFingerprint', request: { fingerPrint: fpOf() } }), 200],
    ['findCertificateByFingerprint miss', () => ({ fn: 'findCertificateByFingerprint', request: { fingerPrint: '0'.repeat(40) } }), 404],
    ['categories without token', () => ({ fn: 'categories', auth: false }), 401],
    ['batch findauthoritydescription', () => ({ fn: 'findauthoritydescription', batch: [{ organizationKey: 'ags:16051000', category: 'Meldebehörde' }, { organizationKey: 'ags:16999999', category: 'Meldebehörde' }] }), 200],
    ['batch findservicedescription', () => ({ fn: 'findservicedescription', batch: [{ organizationKey: 'ags:16051000', serviceSpecificationUri: XMELD }, { organizationKey: invalidServiceKey(), serviceSpecificationUri: XHD15 }] }), 200],
    ['batch findcategories', () => ({ fn: 'findcategories', batch: [{ organizationKey: 'ags:16051000' }, { organizationKey: 'ags:16999999' }] }), 200],
    ['batch findServiceSpecificationUrisByCategory', () => ({ fn: 'findServiceSpecificationUrisByCategory', batch: [{ category: 'Meldebehörde' }, { category: 'Keine' }] }), 200],
    ['batch verifycategory', () => ({ fn: 'verifycategory', batch: [{ fingerPrint: fpOf(), category: 'Meldebehörde' }, { fingerPrint: fpOf(), category: 'Passbehörde' }] }), 200],
  ];

  it.each(cases)('%s', async (_name, make, status) => {
    const r = await call(make());
    expect(r.status).toBe(status);
    expect(r.check.errors).toEqual([]);
    expect(r.check.ok).toBe(true);
  });

  it('covers every spec operation the sandbox serves (all but findOrganizationsByServiceElement)', () => {
    const served = new Set(cases.map(([, make]) => { const c = make(); return c.batch ? `batch/${c.fn}` : c.fn; }));
    const inSpec = Object.keys(spec.paths).filter((p) => p.startsWith('/{entryPath}')).map((p) => p.replace('/{entryPath}/v2/', ''));
    expect(inSpec.filter((p) => !served.has(p)).sort()).toEqual(['batch/findOrganizationsByServiceElement', 'findOrganizationsByServiceElement']);
  });

  it('answers 204 with an RFC 2047 dvdv-warning-msg for a no-longer-valid service', async () => {
    const r = await call({ fn: 'findservicedescription', request: { organizationKey: invalidServiceKey(), serviceSpecificationUri: XHD15 } });
    expect(r.headers.get('dvdv-warning-msg')).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
  });

  it('the check can fail: deliberately wrong bodies are rejected', async () => {
    const good = (await call({ fn: 'findservicedescription', request: { organizationKey: 'ags:16051000', serviceSpecificationUri: XMELD } })).body as Record<string, any>;
    const T = '/{entryPath}/v2/findservicedescription';
    const CT = 'application/json; charset=utf-8';
    expect(checkResponse(T, 'get', 200, CT, good).ok).toBe(true);
    const { serviceSpecificationDocument: _d, ...missingRequired } = good;
    expect(checkResponse(T, 'get', 200, CT, missingRequired).errors.join()).toMatch(/serviceSpecificationDocument/);
    expect(checkResponse(T, 'get', 200, CT, { ...good, serviceSpecificationType: 'SOAP' }).ok).toBe(false);
    const badCert = structuredClone(good);
    badCert.serviceElements.find((e: any) => e.cipherCertificate).cipherCertificate.fingerprint = 'xyz';
    expect(checkResponse(T, 'get', 200, CT, badCert).ok).toBe(false);
    const badDate = { ...good, validFrom: '2024-01-01' };
    expect(checkResponse(T, 'get', 200, CT, badDate).ok).toBe(false);
    expect(checkResponse(T, 'get', 200, 'text/html', good).ok).toBe(false);
    expect(checkResponse('/{entryPath}/v2/batch/findservicedescription', 'post', 200, CT, [good, { id: 'x' }]).ok).toBe(false);
    expect(checkResponse('/{entryPath}/v2/batch/findservicedescription', 'post', 200, CT, good).ok).toBe(false);
  });
});

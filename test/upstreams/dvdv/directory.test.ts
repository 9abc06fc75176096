import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDvdvHarness, XHD15, XMELD, type DvdvHarness } from './gateway-helpers';

// DVDV through the gateway schema with an integrator context: lookups, routes, certificates, batching, 204.
let h: DvdvHarness;
beforeAll(async () => {
  h = await startDvdvHarness();
});
afterAll(() => h?.close());
beforeEach(() => h.sandboxes.servers.dvdv.resetCounts());

const ORG = `query Org($key: DvdvOrganizationKey!) {
  directoryOrganization(key: $key) {
    key keys name category address stateId provenance { source stale }
    services { specificationUri currentlyValid elements { type descriptionName uri cipherCertificate { fingerprint status } } }
    clientCertificates { fingerprint subject { commonName email } issuer { commonName organization } serialHex validTo keyUsage status expired expiringSoon revoked daysUntilExpiry }
  }
}`;

describe('directory lookups (integrator)', () => {
  it('finds the Erfurt Meldebehörde with endpoint and certificate data, matching the sandbox world', async () => {
    const r = await h.exec(ORG, 'integrator', { key: 'ags:16051000' });
    expect(r.errors).toBeUndefined();
    const org = (r.data as any).directoryOrganization;
    const world = h.sandboxes.world.dvdv.organizations.find((o) => o.organizationKeys.includes('ags:16051000') && o.category === 'Meldebehörde')!;
    expect(org).toMatchObject({ key: 'ags:16051000', name: world.nameDe, category: 'Meldebehörde', address: world.postalAddress, stateId: world.locationStateId, provenance: { source: 'dvdv', stale: false } });
    expect(org.keys).toEqual(world.organizationKeys);
    const svc = org.services.find((s: any) => s.specificationUri === XMELD);
    const intermediary = svc.elements.find((e: any) => e.type === 'OSCI_INTERMEDIARY' && e.descriptionName === 'InternetIntermediär');
    const worldIm = world.services.find((s) => s.serviceSpecificationUri === XMELD)!.serviceElements.find((e) => e.serviceElementDescriptionName === 'InternetIntermediär')!;
    expect(intermediary.uri).toBe(worldIm.serviceElementUri);
    expect(intermediary.cipherCertificate.fingerprint).toBe(worldIm.cipherCertificateFingerprint);
    const cert = org.clientCertificates[0];
    const worldCert = h.sandboxes.world.dvdv.certificates.find((c) => c.fingerprint === world.clientCertificateFingerprints[0])!;
    expect(cert).toMatchObject({ fingerprint: worldCert.fingerprint, serialHex: worldCert.serialHex, validTo: worldCert.validTo });
    expect(cert.subject.commonName).toBe(worldCert.nameSubject);
    expect(cert.issuer).toEqual({ commonName: worldCert.nameIssuer, organization: worldCert.organizationIssuer });
    expect(cert.keyUsage).toEqual(['digitalSignature', 'nonRepudiation', 'keyEncipherment']); // x509KeyUsage 7
    expect(cert.daysUntilExpiry).toBe(Math.floor((Date.parse(worldCert.validTo) - Date.now()) / 86_400_000));
  });

  it('resolves the OSCI route by description name per network variant, cipher certificate included', async () => {
    const world = h.sandboxes.world.dvdv.organizations.find((o) => o.organizationKeys.includes('ags:16051000') && o.category === 'Meldebehörde')!;
    const elems = world.services.find((s) => s.serviceSpecificationUri === XMELD)!.serviceElements;
    const r = await h.exec(
      `query($k: DvdvOrganizationKey!, $u: String!) { directoryRoutes(organizationKey: $k, serviceUri: $u) { variant intermediaryUrl addresseeUri cipherCertificate { fingerprint } intermediaryCipherCertificate { fingerprint } } }`,
      'integrator',
      { k: 'ags:16051000', u: XMELD },
    );
    expect(r.errors).toBeUndefined();
    const routes = (r.data as any).directoryRoutes;
    const variants = elems.filter((e) => e.serviceElementType === 'OSCI_INTERMEDIARY').map((e) => e.serviceElementDescriptionName.replace('Intermediär', ''));
    expect(routes.map((x: any) => x.variant)).toEqual(variants);
    for (const route of routes) {
      const addressee = elems.find((e) => e.serviceElementType === 'OSCI_ADDRESSEE' && e.serviceElementDescriptionName === `${route.variant}Empfänger`)!;
      const cipher = addressee.cipherCertificateFingerprint ?? elems.find((e) => e.serviceElementType === 'CIPHER_CERTIFICATE' && e.serviceElementDescriptionName === addressee.serviceElementDescriptionName)!.cipherCertificateFingerprint;
      expect(route.addresseeUri).toBe(addressee.serviceElementUri);
      expect(route.cipherCertificate.fingerprint).toBe(cipher);
    }
  });

  it('reports a no-longer-valid service as null plus DVDV_SERVICE_NOT_VALID with the decoded warning', async () => {
    const key = h.sandboxes.world.defects.find((d) => d.kind === 'dvdv-service-not-valid')!.subject;
    const r = await h.exec(`query($k: DvdvOrganizationKey!, $u: String!) { directoryService(organizationKey: $k, serviceUri: $u) { specificationUri } }`, 'integrator', { k: key, u: XHD15 });
    expect((r.data as any).directoryService).toBeNull();
    expect(r.errors![0].extensions).toMatchObject({ code: 'DVDV_SERVICE_NOT_VALID' });
    expect(String(r.errors![0].extensions!.warning)).toMatch(/nicht mehr gültig/);
    const none = await h.exec(`{ directoryService(organizationKey: "ags:16051000", serviceUri: "${XHD15}") { specificationUri } }`, 'integrator');
    expect(none.errors).toBeUndefined();
    expect((none.data as any).directoryService).toBeNull();
  });

  it('flags expired, expiring and revoked certificates planted in the world', async () => {
    const defects = h.sandboxes.world.defects;
    const revokedFp = defects.find((d) => d.kind === 'dvdv-cert-revoked')!.subject;
    const expiredFp = defects.find((d) => d.kind === 'dvdv-cert-expired')!.subject;
    const owner = (fp: string) => h.sandboxes.world.dvdv.organizations.find((o) => o.clientCertificateFingerprints.includes(fp) && o.organizationKeys.some((k) => k.includes(':')));
    let checked = 0;
    for (const [fp, expected] of [[revokedFp, 'REVOKED'], [expiredFp, 'EXPIRED']] as const) {
      const o = owner(fp);
      if (!o) continue; // an intermediary certificate: not a client certificate of an organisation
      checked++;
      const r = await h.exec(`query($k: DvdvOrganizationKey!, $c: String) { directoryOrganization(key: $k, category: $c) { clientCertificates { fingerprint status revoked expired } } }`, 'integrator', { k: o.organizationKeys.find((k) => /^[a-z]+:/.test(k)), c: o.category });
      const c = (r.data as any).directoryOrganization.clientCertificates.find((x: any) => x.fingerprint === fp);
      expect(c.status).toBe(expected);
      expect(c.revoked).toBe(expected === 'REVOKED');
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('fetches 50 municipalities’ registration offices in batch requests, not 50 single ones', async () => {
    const q = `{ municipalities(first: 50) { edges { node { ags directoryOrganizations(categories: ["Meldebehörde"]) { key name services { specificationUri elements { uri } } } } } } }`;
    const r = await h.exec(q, 'integrator');
    expect(r.errors).toBeUndefined();
    const nodes = (r.data as any).municipalities.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(50);
    const withOffice = nodes.filter((n: any) => n.directoryOrganizations.length === 1);
    expect(withOffice.length).toBeGreaterThan(40);
    expect(withOffice.every((n: any) => n.directoryOrganizations[0].services[0].elements.length > 0)).toBe(true);
    const dvdv = h.sandboxes.servers.dvdv;
    expect(dvdv.requestCount('findauthoritydescription')).toBe(0);
    expect(dvdv.requestCount('findservicedescription')).toBe(0);
    expect(dvdv.requestCount('batch/findauthoritydescription')).toBe(1);
    expect(dvdv.requestCount('batch/findservicedescription')).toBe(1);
  });
});

import { DVDV_CATEGORY, SANDBOX_ORIGINS, SPEC_URI, instantOffset } from './constants';
import { sandboxUuid, type Rng } from './prng';
import type { RegionModel } from './regions';
import type { UnitsResult } from './units';
import type {
  DvdvCategory,
  DvdvCertificate,
  DvdvIntermediary,
  DvdvOrganization,
  DvdvRequirement,
  DvdvService,
  DvdvServiceElement,
  DvdvWorld,
  OrganisationUnit,
  WorldMunicipality,
} from './types';

export const DVDV_ISSUER = { nameIssuer: 'SANDBOX DOI CA 1', organizationIssuer: 'PKI-1-Verwaltung (Sandbox)', ouIssuer: 'DOI' };

/** Organisation key the world uses for a requirement in a municipality (mirrors the reviewed mapping of conformance D-2). */
export function dvdvKeyFor(req: Pick<DvdvRequirement, 'keyPrefix' | 'keyScope'>, m: Pick<WorldMunicipality, 'ags' | 'districtArs'>): string {
  if (req.keyScope === 'municipality') return req.keyPrefix === 'ags' ? `ags:${m.ags}` : `${req.keyPrefix}:${m.ags}_00`;
  if (req.keyPrefix === 'azr') return `azr:16_999${m.districtArs.slice(2)}`; // sandbox range of AZR keys
  return `${req.keyPrefix}:${m.districtArs.padEnd(12, '0')}`; // FITKO form: 12 digits, first two = Land
}

const CATEGORIES: DvdvCategory[] = [
  {
    name: 'Öffentliche Verwaltung (Sandbox)',
    prefix: null,
    children: [
      {
        name: 'Inneres',
        prefix: null,
        children: [
          { name: DVDV_CATEGORY.melde, prefix: 'ags', children: [] },
          { name: DVDV_CATEGORY.pass, prefix: 'psb', children: [] },
          { name: DVDV_CATEGORY.pa, prefix: 'pab', children: [] },
          { name: DVDV_CATEGORY.abh, prefix: 'azr', children: [] },
        ],
      },
      { name: 'Bauwesen', prefix: null, children: [{ name: DVDV_CATEGORY.ubb, prefix: 'ubb', children: [] }] },
    ],
  },
];

const INTERMEDIARY_PROVIDER = 'Sandbox-Intermediärsbetreiber Thüringen';

export interface DvdvResult {
  dvdv: DvdvWorld;
  /** unit id → fingerprint of the unit's own (addressee/client) certificate */
  certificateOfUnit: Map<string, string>;
}

export function buildDvdv(rng: Rng, asOf: number, regions: RegionModel, u: UnitsResult): DvdvResult {
  const certificates: DvdvCertificate[] = [];
  const unitById = new Map(u.units.map((x) => [x.id, x]));
  let orgId = 169900001;
  let serviceId = 169800001;
  let elementId = 169700001;

  const certificate = (subject: string, email: string, ou: string): DvdvCertificate => {
    const remaining = rng.range(60, 1000); // valid; defects.ts shortens some of these
    const serialHex = `5a4db0c5${rng.hex(8)}`;
    const cert: DvdvCertificate = {
      fingerprint: rng.hex(40),
      serial: BigInt(`0x${serialHex}`).toString(10),
      serialHex,
      emailSubject: email,
      algorithm: 'SHA256withRSA',
      ...DVDV_ISSUER,
      nameSubject: subject,
      organizationSubject: 'Oeffentliche Verwaltung',
      ouSubject: ou,
      validFrom: instantOffset(asOf, remaining - 1095, rng.int(86_400)),
      validTo: instantOffset(asOf, remaining, 86_399),
      x509KeyUsage: 7,
      revocationDate: null,
      revocationReason: null,
    };
    certificates.push(cert);
    return cert;
  };

  // ---- intermediaries (shared by all organisations)
  const intermediaries: DvdvIntermediary[] = [
    { variant: 'Internet', uri: `${SANDBOX_ORIGINS.intermediary}/osci-manager-entry/externalentry` },
    { variant: 'TESTA', uri: `${SANDBOX_ORIGINS.intermediaryTesta}/osci-manager-entry/externalentry` },
  ].map((v, i) => ({
    id: 169500001 + i,
    orgaProvId: 169600001 + i,
    provider: INTERMEDIARY_PROVIDER,
    orgaProvName: `${INTERMEDIARY_PROVIDER} (${v.variant})`,
    orgaProvAddress: 'Musterweg 1\n99084 Erfurt',
    selName: `${v.variant}Intermediär`,
    selDescription: `OSCI-Intermediär im ${v.variant === 'TESTA' ? 'TESTA-Netz' : 'Internet'} (Sandbox)`,
    uri: v.uri,
    cipherCertificateFingerprint: certificate(`GRP: ${INTERMEDIARY_PROVIDER} ${v.variant} Verschluesselung`, 'intermediaer@osci.example.org', 'DOI-OSCI').fingerprint,
    signatureCertificateFingerprint: certificate(`GRP: ${INTERMEDIARY_PROVIDER} ${v.variant} Signatur`, 'intermediaer@osci.example.org', 'DOI-OSCI').fingerprint,
  }));

  const certificateOfUnit = new Map<string, string>();
  const unitCert = (unit: OrganisationUnit) => {
    let fp = certificateOfUnit.get(unit.id);
    if (!fp) {
      fp = certificate(`GRP: ${unit.name} OSCI`, unit.contact.email, 'DOI-OSCI').fingerprint;
      certificateOfUnit.set(unit.id, fp);
    }
    return fp;
  };

  const elements = (org: { id: number; nameDe: string; slug: string }, unitFp: string, testa: boolean, separateCipher: boolean): DvdvServiceElement[] => {
    const out: DvdvServiceElement[] = [];
    for (const im of testa ? intermediaries : intermediaries.slice(0, 1)) {
      const variant = im.selName.replace('Intermediär', '');
      out.push({
        serviceElementId: elementId++,
        providerId: im.orgaProvId,
        providerNameDe: im.orgaProvName,
        serviceElementName: 'Intermediär',
        serviceElementDescription: im.selDescription,
        serviceElementDescriptionName: im.selName,
        serviceElementType: 'OSCI_INTERMEDIARY',
        serviceElementUri: im.uri,
        serviceElementText: null,
        cipherCertificateFingerprint: im.cipherCertificateFingerprint,
        signatureCertificateFingerprint: im.signatureCertificateFingerprint,
        required: true,
      });
      const addressee = `${variant}Empfänger`;
      out.push({
        serviceElementId: elementId++,
        providerId: org.id,
        providerNameDe: org.nameDe,
        serviceElementName: 'Empfänger',
        serviceElementDescription: `OSCI-Empfänger (${variant})`,
        serviceElementDescriptionName: addressee,
        serviceElementType: 'OSCI_ADDRESSEE',
        serviceElementUri: `${SANDBOX_ORIGINS.osci}/empfaenger/${org.slug}/${variant.toLowerCase()}`,
        serviceElementText: null,
        cipherCertificateFingerprint: separateCipher ? null : unitFp,
        signatureCertificateFingerprint: null,
        required: true,
      });
      if (separateCipher) {
        // Valid alternative form: the content cipher certificate as its own element with the same description name.
        out.push({
          serviceElementId: elementId++,
          providerId: org.id,
          providerNameDe: org.nameDe,
          serviceElementName: 'Verschlüsselungszertifikat',
          serviceElementDescription: `Inhaltsverschlüsselung (${variant})`,
          serviceElementDescriptionName: addressee,
          serviceElementType: 'CIPHER_CERTIFICATE',
          serviceElementUri: null,
          serviceElementText: null,
          cipherCertificateFingerprint: unitFp,
          signatureCertificateFingerprint: null,
          required: true,
        });
      }
    }
    return out;
  };

  const service = (
    org: { id: number; nameDe: string; slug: string },
    unitFp: string,
    spec: { uri: string; name: string },
    validity: { from: string | null; to: string | null },
  ): DvdvService => {
    const id = serviceId++;
    return {
      id,
      validFrom: validity.from,
      validTo: validity.to,
      nameDe: spec.name,
      descriptionDe: null,
      dvdv1Uuid: sandboxUuid(`dvdv:service:${id}`).toUpperCase(),
      serviceDescriptionName: spec.name,
      serviceSpecificationType: 'WSDL_OSCI',
      serviceSpecificationUri: spec.uri,
      serviceElements: elements(org, unitFp, rng.chance(0.25), rng.chance(0.1)),
    };
  };

  const organizations: DvdvOrganization[] = [];
  const organization = (
    unit: OrganisationUnit,
    category: string,
    keys: string[],
    dvdv1Id: string | null,
    specs: { uri: string; name: string; history?: { uri: string; name: string } }[],
  ) => {
    const fp = unitCert(unit);
    const id = orgId++;
    const org = { id, nameDe: unit.name, slug: `${id}` };
    const services: DvdvService[] = [];
    for (const s of specs) {
      const since = rng.range(200, 2500);
      if (s.history && rng.chance(0.3)) {
        // superseded predecessor, as in real entries (not a defect: a valid successor exists)
        services.push(service(org, fp, s.history, { from: instantOffset(asOf, -since - 1800), to: instantOffset(asOf, -since, -1) }));
      }
      services.push(service(org, fp, s, { from: instantOffset(asOf, -since), to: null }));
    }
    organizations.push({
      id,
      validFrom: instantOffset(asOf, -rng.range(400, 4000)),
      validTo: null,
      nameDe: unit.name,
      descriptionDe: `${category} (Sandbox-Eintrag)`,
      postalAddress: `${unit.address.street} ${unit.address.houseNumber}\n${unit.address.postalCode} ${unit.address.city}`,
      locationStateId: 16,
      dvdv1Id,
      category,
      organizationKeys: keys,
      clientCertificateFingerprints: [fp],
      services,
      unitId: unit.id,
    });
  };

  const xmeld = { uri: SPEC_URI.xmeld, name: 'xmeld2605Personensuche' };
  const xhd = { uri: SPEC_URI.xhd15, name: 'xhd15Dh2BehServiceOsci', history: { uri: SPEC_URI.xhd14, name: 'xhd14Dh2BehServiceOsci' } };
  const municipalityByArs = new Map<string, Pick<WorldMunicipality, 'ags' | 'districtArs'>>();
  for (const m of regions.municipalities) municipalityByArs.set(m.ars, { ags: m.ags, districtArs: m.district.ars });
  const keysFor = (req: Pick<DvdvRequirement, 'keyPrefix' | 'keyScope'>, served: string[]) =>
    served.map((a) => dvdvKeyFor(req, municipalityByArs.get(a)!));

  for (const office of u.registrationOffices) {
    const unit = unitById.get(office.unitId)!;
    const seatAgs = unit.address.ags;
    organization(unit, DVDV_CATEGORY.melde, keysFor({ keyPrefix: 'ags', keyScope: 'municipality' }, office.servedArs), seatAgs, [xmeld]);
    organization(unit, DVDV_CATEGORY.pass, keysFor({ keyPrefix: 'psb', keyScope: 'municipality' }, office.servedArs), `${seatAgs}_00`, [xhd]);
    organization(unit, DVDV_CATEGORY.pa, keysFor({ keyPrefix: 'pab', keyScope: 'municipality' }, office.servedArs), `${seatAgs}_00`, [xhd]);
  }
  for (const d of u.districts) {
    const first = municipalityByArs.get(d.municipalityArs[0])!;
    const ubb = unitById.get(d.departmentUnitIds['building-authority'])!;
    organization(ubb, DVDV_CATEGORY.ubb, [dvdvKeyFor({ keyPrefix: 'ubb', keyScope: 'district' }, first)], null, [
      { uri: SPEC_URI.xbauSandbox, name: 'xbau22Baugenehmigung' },
    ]);
    const abh = unitById.get(d.departmentUnitIds.foreigners)!;
    organization(abh, DVDV_CATEGORY.abh, [dvdvKeyFor({ keyPrefix: 'azr', keyScope: 'district' }, first)], null, [
      { uri: SPEC_URI.xauslaender, name: 'xauslaender1100ABHABH' },
    ]);
  }

  return { dvdv: { categories: structuredClone(CATEGORIES), organizations, certificates, intermediaries }, certificateOfUnit };
}

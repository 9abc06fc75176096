import type { CertificateStatus, DirectoryCertificate, DirectoryOrganization, DirectoryService, DirectoryServiceElement, OsciRoute } from '../../../schema/types/dvdv';
import type { Provenance } from '../../../schema/types/provenance';
import { UpstreamError } from '../../runtime/errors';
import { provenanceOf } from '../../runtime/source';
import type { ProvenanceInfo } from '../../runtime/source';
import { certificateStatus, daysUntilExpiry, type CertificateDto } from './certificates';
import type { OrganizationDto, ServiceDto, ServiceElementDto } from './directory';

/**
 * The DVDV DTOs (validated in directory.ts/certificates.ts) as the GraphQL types present them: dates as
 * Date, certificate status computed at read time, OSCI routes assembled per network variant.
 */

const date = (s: string | null) => (s ? new Date(s) : null);
const provenance = (p: ProvenanceInfo): Provenance => provenanceOf(p);

export function toCertificate(c: CertificateDto | null, now = Date.now()): DirectoryCertificate | null {
  if (!c) return null;
  const status = certificateStatus(c, now) as CertificateStatus;
  return {
    fingerprint: c.fingerprint,
    serialNumber: c.serial,
    serialHex: c.serialHex,
    algorithm: c.algorithm,
    subject: c.subject,
    issuer: c.issuer,
    validFrom: date(c.validFrom),
    validTo: date(c.validTo),
    keyUsage: c.keyUsage,
    revocationDate: date(c.revocationDate),
    revocationReason: c.revocationReason,
    status,
    expired: status === 'EXPIRED',
    expiringSoon: status === 'EXPIRING_SOON',
    revoked: status === 'REVOKED',
    daysUntilExpiry: daysUntilExpiry(c, now),
    parsedFromContent: c.parsedFromContent,
    fingerprintMatchesContent: c.fingerprintMatchesContent,
    contentBase64: c.contentBase64,
  };
}

const isValidNow = (s: { validFrom: string | null; validTo: string | null }, now = Date.now()) =>
  (!s.validFrom || Date.parse(s.validFrom) <= now) && (!s.validTo || Date.parse(s.validTo) > now);

export function toDirectoryService(s: ServiceDto | OrganizationDto['services'][number], organizationKey: string): DirectoryService {
  return {
    organizationKey,
    specificationUri: s.specificationUri,
    descriptionName: s.descriptionName,
    name: s.name,
    specificationType: s.specificationType,
    validFrom: date(s.validFrom),
    validTo: date(s.validTo),
    currentlyValid: isValidNow(s),
  };
}

export function toOrganization(o: OrganizationDto, key: string, p: ProvenanceInfo): DirectoryOrganization {
  const bad = o.malformedKeys?.[0];
  if (bad) {
    throw new UpstreamError({
      code: 'UPSTREAM_BAD_RESPONSE',
      upstream: 'dvdv',
      message: `Upstream 'dvdv' sent a value of an unexpected form: field "${bad.field}", expected an organisation key "prefix:id", e.g. "ags:16051000".`,
      extensions: { field: bad.field, reason: 'MALFORMED_KEY' },
    });
  }
  return {
    id: String(o.id ?? ''),
    key,
    keys: o.keys,
    name: o.name,
    category: o.category,
    description: o.description,
    address: o.postalAddress,
    stateId: o.locationStateId,
    validFrom: date(o.validFrom),
    validTo: date(o.validTo),
    services: o.services.map((s) => toDirectoryService(s, key)),
    clientCertificates: o.clientCertificates.map((c) => toCertificate(c)!),
    provenance: provenance(p),
  };
}

export function toElement(e: ServiceElementDto): DirectoryServiceElement {
  return {
    type: e.type,
    customType: e.customType,
    name: e.name,
    descriptionName: e.descriptionName,
    description: e.description,
    uri: e.uri,
    text: e.text,
    required: e.required,
    providerName: e.providerName,
    cipherCertificate: toCertificate(e.cipherCertificate),
    signatureCertificate: toCertificate(e.signatureCertificate),
  };
}

/**
 * OSCI routes of a service, one per network variant. Elements are matched by description name
 * (`<Variant>Intermediär` ↔ `<Variant>Empfänger`), never first-of-type (TR-03132 §5.3.3); a missing inline
 * content cipher certificate is taken from the CIPHER_CERTIFICATE element with the addressee's description name.
 */
export function osciRoutes(s: ServiceDto, organizationKey: string, p: ProvenanceInfo): OsciRoute[] {
  const variantOf = (name: string | null, suffix: string) => (name && name.endsWith(suffix) ? name.slice(0, -suffix.length) : null);
  const intermediaries = s.elements.filter((e) => e.type === 'OSCI_INTERMEDIARY');
  return intermediaries.map((im) => {
    const variant = variantOf(im.descriptionName, 'Intermediär') ?? im.descriptionName ?? '';
    const addressee = s.elements.find((e) => e.type === 'OSCI_ADDRESSEE' && variantOf(e.descriptionName, 'Empfänger') === variant) ?? null;
    const cipher =
      addressee?.cipherCertificate ??
      s.elements.find((e) => e.type === 'CIPHER_CERTIFICATE' && addressee && e.descriptionName === addressee.descriptionName)?.cipherCertificate ??
      null;
    return {
      organizationKey,
      serviceUri: s.specificationUri,
      variant,
      intermediaryUrl: im.uri,
      intermediaryCipherCertificate: toCertificate(im.cipherCertificate),
      intermediarySignatureCertificate: toCertificate(im.signatureCertificate),
      addresseeUri: addressee?.uri ?? null,
      cipherCertificate: toCertificate(cipher),
      provenance: provenance(p),
    };
  });
}


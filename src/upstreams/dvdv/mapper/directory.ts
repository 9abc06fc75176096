import { parseCertificate, type CertificateDto } from './certificates';

/** Our DTOs for DVDV v2 bodies (plain JSON: they are cached). Field names follow our schema, not DVDV's. */
export interface ServiceBaseDto {
  id: number | null;
  name: string | null;
  descriptionName: string;
  specificationType: string | null;
  specificationUri: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface ServiceElementDto {
  /** Required by the spec, yet null in recorded bodies (zustellix): read leniently. */
  id: number | null;
  providerId: number | null;
  providerName: string | null;
  type: string | null;
  customType: string | null;
  name: string | null;
  description: string | null;
  descriptionName: string | null;
  uri: string | null;
  text: string | null;
  required: boolean | null;
  cipherCertificate: CertificateDto | null;
  signatureCertificate: CertificateDto | null;
}

export interface ServiceDto extends ServiceBaseDto {
  organizationName: string | null;
  locationStateId: number | null;
  elements: ServiceElementDto[];
}

export interface OrganizationDto {
  /**
   * The spec requires id and category, but recorded bodies (zustellix) carry null for both: read leniently
   * (null / ''), and require only what the gateway cannot work without — the name.
   */
  id: number | null;
  keys: string[];
  name: string;
  nameEn: string | null;
  description: string | null;
  category: string;
  postalAddress: string | null;
  locationStateId: number | null;
  dvdv1Id: string | null;
  validFrom: string | null;
  validTo: string | null;
  clientCertificates: CertificateDto[];
  services: ServiceBaseDto[];
  representatives: OrganizationDto[];
}

export interface CategoryDto {
  name: string;
  prefix: string | null;
  children: CategoryDto[];
}

export class DvdvShapeError extends Error {
  constructor(readonly field: string, expected: string) {
    super(`DVDV response field "${field}": expected ${expected}`);
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown, field: string): Obj => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new DvdvShapeError(field, 'an object');
  return v as Obj;
};
const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const reqNum = (o: Obj, f: string, path: string): number => {
  const v = n(o[f]);
  if (v === null) throw new DvdvShapeError(`${path}.${f}`, 'a number');
  return v;
};
const reqStr = (o: Obj, f: string, path: string): string => {
  const v = s(o[f]);
  if (v === null) throw new DvdvShapeError(`${path}.${f}`, 'a string');
  return v;
};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function mapServiceBase(raw: unknown, path = 'service'): ServiceBaseDto {
  const o = obj(raw, path);
  return {
    id: n(o.id),
    name: s(o.nameDe),
    descriptionName: reqStr(o, 'serviceDescriptionName', path),
    specificationType: s(o.serviceSpecificationType),
    // zustellix' recorded body has null here; the spec requires it — keep the record, mark the gap with ''.
    specificationUri: s(o.serviceSpecificationUri) ?? '',
    validFrom: s(o.validFrom),
    validTo: s(o.validTo),
  };
}

export function mapServiceElement(raw: unknown, path: string): ServiceElementDto {
  const o = obj(raw, path);
  return {
    id: n(o.serviceElementId),
    providerId: n(o.providerId),
    providerName: s(o.providerNameDe),
    type: s(o.serviceElementType),
    customType: s(o.customServiceElementType),
    name: s(o.serviceElementName),
    description: s(o.serviceElementDescription),
    descriptionName: s(o.serviceElementDescriptionName),
    uri: s(o.serviceElementUri),
    text: s(o.serviceElementText),
    required: typeof o.required === 'boolean' ? o.required : null,
    cipherCertificate: parseCertificate(o.cipherCertificate),
    signatureCertificate: parseCertificate(o.signatureCertificate),
  };
}

export function mapService(raw: unknown, path = 'service'): ServiceDto {
  const o = obj(raw, path);
  return {
    ...mapServiceBase(o, path),
    organizationName: s(o.organizationNameDe),
    locationStateId: n(o.locationStateId),
    elements: arr(o.serviceElements).map((e, i) => mapServiceElement(e, `${path}.serviceElements[${i}]`)),
  };
}

function mapOrganization(raw: unknown, path: string, representatives: OrganizationDto[]): OrganizationDto {
  const o = obj(raw, path);
  const keys = arr(o.organizationKeys).filter((k): k is string => typeof k === 'string');
  return {
    id: n(o.id),
    keys,
    name: reqStr(o, 'nameDe', path),
    nameEn: s(o.nameEn),
    description: s(o.descriptionDe),
    category: s(o.category) ?? '',
    postalAddress: s(o.postalAddress),
    locationStateId: n(o.locationStateId),
    dvdv1Id: s(o.dvdv1Id),
    validFrom: s(o.validFrom),
    validTo: s(o.validTo),
    clientCertificates: arr(o.clientCertificates).map(parseCertificate).filter((c): c is CertificateDto => c !== null),
    services: arr(o.services).map((x, i) => mapServiceBase(x, `${path}.services[${i}]`)),
    representatives,
  };
}

/** `OrganizationDescription` → organisation with its representatives (Stellvertreter/Clearingstellen). */
export function mapOrganizationDescription(raw: unknown, path = 'organizationDescription'): OrganizationDto {
  const o = obj(raw, path);
  const reps = arr(o.representatives).map((r, i) => mapOrganization(r, `${path}.representatives[${i}]`, []));
  return mapOrganization(o.organization, `${path}.organization`, reps);
}

export function mapCategories(raw: unknown): CategoryDto[] {
  return arr(raw).map((c, i) => {
    const o = obj(c, `categories[${i}]`);
    return { name: reqStr(o, 'name', `categories[${i}]`), prefix: s(o.prefix), children: mapCategories(o.children) };
  });
}

/** The spec types this as ServiceBase[]; real bodies are plain URI strings. Both are read. */
export function mapSpecificationUris(raw: unknown): string[] {
  return arr(raw)
    .map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' ? s((x as Obj).serviceSpecificationUri) : null))
    .filter((x): x is string => !!x);
}

/** Decodes RFC 2047 encoded-words (`=?UTF-8?B?…?=`, `=?…?Q?…?=`) of the `dvdv-warning-msg` header. */
export function decodeRfc2047(header: string): string {
  return header.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    try {
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    } catch {
      return bytes.toString('utf8');
    }
  }).replace(/\?=\s+=\?/g, '?==?');
}

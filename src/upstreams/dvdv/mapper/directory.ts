import { parseCertificate, type CertificateDto } from './certificates';
import { bool, dateTime, DvdvShapeError, id, int, keysOf, list, obj, optList, reqStr, s } from './values';

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
  /** Strings the directory lists as keys that are not of the `prefix:id` form (conformance rule D-1). */
  malformedKeys: { key: string; field: string }[];
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

export { DvdvShapeError };

export function mapServiceBase(raw: unknown, path = 'service'): ServiceBaseDto {
  const o = obj(raw, path);
  return {
    id: id(o, 'id', path),
    name: s(o.nameDe),
    descriptionName: reqStr(o, 'serviceDescriptionName', path),
    specificationType: s(o.serviceSpecificationType),
    // zustellix' recorded body has null here; the spec requires it — keep the record, mark the gap with ''.
    specificationUri: s(o.serviceSpecificationUri) ?? '',
    validFrom: dateTime(o, 'validFrom', path),
    validTo: dateTime(o, 'validTo', path),
  };
}

export function mapServiceElement(raw: unknown, path: string): ServiceElementDto {
  const o = obj(raw, path);
  return {
    id: id(o, 'serviceElementId', path),
    providerId: id(o, 'providerId', path),
    providerName: s(o.providerNameDe),
    type: s(o.serviceElementType),
    customType: s(o.customServiceElementType),
    name: s(o.serviceElementName),
    description: s(o.serviceElementDescription),
    descriptionName: s(o.serviceElementDescriptionName),
    uri: s(o.serviceElementUri),
    text: s(o.serviceElementText),
    required: bool(o, 'required', path),
    cipherCertificate: parseCertificate(o.cipherCertificate, `${path}.cipherCertificate`),
    signatureCertificate: parseCertificate(o.signatureCertificate, `${path}.signatureCertificate`),
  };
}

export function mapService(raw: unknown, path = 'service'): ServiceDto {
  const o = obj(raw, path);
  return {
    ...mapServiceBase(o, path),
    organizationName: s(o.organizationNameDe),
    locationStateId: int(o, 'locationStateId', path),
    elements: optList(o.serviceElements, `${path}.serviceElements`).map((e, i) => mapServiceElement(e, `${path}.serviceElements[${i}]`)),
  };
}

function mapOrganization(raw: unknown, path: string, representatives: OrganizationDto[]): OrganizationDto {
  const o = obj(raw, path);
  const k = keysOf(o, 'organizationKeys', path);
  return {
    id: id(o, 'id', path),
    keys: k.keys,
    malformedKeys: k.malformed,
    name: reqStr(o, 'nameDe', path),
    nameEn: s(o.nameEn),
    description: s(o.descriptionDe),
    category: s(o.category) ?? '',
    postalAddress: s(o.postalAddress),
    locationStateId: int(o, 'locationStateId', path),
    dvdv1Id: s(o.dvdv1Id),
    validFrom: dateTime(o, 'validFrom', path),
    validTo: dateTime(o, 'validTo', path),
    clientCertificates: optList(o.clientCertificates, `${path}.clientCertificates`)
      .map((c, i) => parseCertificate(c, `${path}.clientCertificates[${i}]`))
      .filter((c): c is CertificateDto => c !== null),
    services: optList(o.services, `${path}.services`).map((x, i) => mapServiceBase(x, `${path}.services[${i}]`)),
    representatives,
  };
}

/** `OrganizationDescription` → organisation with its representatives (Stellvertreter/Clearingstellen). */
export function mapOrganizationDescription(raw: unknown, path = 'organizationDescription'): OrganizationDto {
  const o = obj(raw, path);
  const reps = optList(o.representatives, `${path}.representatives`).map((r, i) => mapOrganization(r, `${path}.representatives[${i}]`, []));
  return mapOrganization(o.organization, `${path}.organization`, reps);
}

/**
 * The answer must be about the organisation asked for: its keys (when the directory lists any — recorded
 * bodies carry none) include the key, and its category (when given) is the category asked.
 */
export function checkOrganization(o: OrganizationDto, asked: { organizationKey: string; category?: string }, path = 'organizationDescription'): OrganizationDto {
  if (o.keys.length > 0 && !o.keys.includes(asked.organizationKey)) {
    throw new DvdvShapeError(`${path}.organization.organizationKeys`, `the key asked for (${asked.organizationKey})`, 'ANSWER_MISMATCH');
  }
  if (asked.category !== undefined && o.category !== '' && o.category !== asked.category) {
    throw new DvdvShapeError(`${path}.organization.category`, `the category asked for (${asked.category})`, 'ANSWER_MISMATCH');
  }
  return o;
}

/** The answer must be the service asked for (when the directory names its URI — recorded bodies may not). */
export function checkService(svc: ServiceDto, asked: { serviceUri: string }, path = 'service'): ServiceDto {
  if (svc.specificationUri !== '' && svc.specificationUri !== asked.serviceUri) {
    throw new DvdvShapeError(`${path}.serviceSpecificationUri`, `the service asked for (${asked.serviceUri})`, 'ANSWER_MISMATCH');
  }
  return svc;
}

export function mapCategories(raw: unknown, path = 'categories'): CategoryDto[] {
  return list(raw, path).map((c, i) => {
    const o = obj(c, `${path}[${i}]`);
    return { name: reqStr(o, 'name', `${path}[${i}]`), prefix: s(o.prefix), children: mapCategories(o.children ?? [], `${path}[${i}].children`) };
  });
}

/** The spec types this as ServiceBase[]; real bodies are plain URI strings. Both are read. */
export function mapSpecificationUris(raw: unknown, path = 'serviceSpecificationUris'): string[] {
  return list(raw, path)
    .map((x, i) => (typeof x === 'string' ? x : s(obj(x, `${path}[${i}]`).serviceSpecificationUri)))
    .filter((x): x is string => !!x);
}

/** `findcategories`: leaf category names. */
export function mapCategoryNames(raw: unknown, path = 'categories'): string[] {
  return list(raw, path).map((x, i) => {
    if (typeof x !== 'string') throw new DvdvShapeError(`${path}[${i}]`, 'a category name');
    return x;
  });
}

/**
 * Decodes RFC 2047 encoded-words (`=?UTF-8?B?…?=`, `=?…?Q?…?=`) of the `dvdv-warning-msg` header. White space
 * between two adjacent encoded-words is dropped before decoding (RFC 2047 §6.2): a long message split into
 * several words reads as one text.
 */
export function decodeRfc2047(header: string): string {
  return header.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    try {
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    } catch {
      return bytes.toString('utf8');
    }
  });
}

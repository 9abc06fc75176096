import { X509Certificate, createHash } from 'node:crypto';
import { dateTime, int, obj } from './values';

/** X.509 KeyUsage bits as DVDV's 16-bit `x509KeyUsage` numbers them (RFC 5280 order, bit 0 = digitalSignature). */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export interface DistinguishedName {
  commonName: string | null;
  organization: string | null;
  organizationalUnit: string | null;
  email: string | null;
  /** One-line form, e.g. `CN=GRP: Stadt Erfurt OSCI, OU=DOI-OSCI, O=Oeffentliche Verwaltung`. */
  text: string;
}

/** A certificate from a DVDV response, as plain JSON (cacheable). Status flags are computed at read time. */
export interface CertificateDto {
  fingerprint: string | null;
  serial: string | null;
  serialHex: string | null;
  algorithm: string | null;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  validFrom: string | null;
  validTo: string | null;
  keyUsage: string[];
  keyUsageBits: number | null;
  revocationDate: string | null;
  revocationReason: string | null;
  /** Base64 DER as delivered, when the directory sent it. */
  contentBase64: string | null;
  /** True when `content` was present and parsed as X.509 (values then come from the certificate itself). */
  parsedFromContent: boolean;
  /** False when the directory's fingerprint is not the SHA-1 of the delivered DER; null without content. */
  fingerprintMatchesContent: boolean | null;
}

export type CertificateStatus = 'VALID' | 'EXPIRING_SOON' | 'EXPIRED' | 'NOT_YET_VALID' | 'REVOKED';
export const EXPIRING_SOON_DAYS = 30;

const str = (v: unknown): string | null => (typeof v === 'string' && v.length ? v : null);

function dn(parts: { cn?: string | null; o?: string | null; ou?: string | null; email?: string | null }): DistinguishedName {
  const text = [
    parts.cn && `CN=${parts.cn}`,
    parts.ou && `OU=${parts.ou}`,
    parts.o && `O=${parts.o}`,
    parts.email && `E=${parts.email}`,
  ]
    .filter(Boolean)
    .join(', ');
  return { commonName: parts.cn ?? null, organization: parts.o ?? null, organizationalUnit: parts.ou ?? null, email: parts.email ?? null, text };
}

/** Node prints names one `KEY=value` per line; multi-valued RDNs are rare in DOI certificates. */
function parseNodeDn(s: string): DistinguishedName {
  const get = (k: string) => {
    const line = s.split('\n').find((l) => l.startsWith(`${k}=`));
    return line ? line.slice(k.length + 1) : null;
  };
  return dn({ cn: get('CN'), o: get('O'), ou: get('OU'), email: get('emailAddress') });
}

function usageFromBits(bits: number | null): string[] {
  if (bits === null) return [];
  // DVDV's bitmap follows Java's boolean[] getKeyUsage(): index 0 is the lowest bit.
  return KEY_USAGE_BITS.filter((_, i) => (bits & (1 << i)) !== 0);
}

const iso = (d: string) => new Date(d).toISOString();

/**
 * Reads a DVDV `Certificate` field by field. With `content` (Base64 DER) the X.509 itself is authoritative
 * for subject, issuer, serial and validity; the directory's own fields fill what DER does not carry
 * (revocation from the CRL check, the 16-bit key usage number) and anything missing.
 */
export function parseCertificate(raw: unknown, path = 'certificate'): CertificateDto | null {
  if (raw == null) return null;
  const c = obj(raw, path);
  const bits = int(c, 'x509KeyUsage', path);
  const out: CertificateDto = {
    fingerprint: str(c.fingerprint)?.toLowerCase() ?? null,
    serial: str(c.serial),
    serialHex: str(c.serialHex)?.toLowerCase() ?? null,
    algorithm: str(c.algorithm),
    subject: dn({ cn: str(c.nameSubject), o: str(c.organizationSubject), ou: str(c.ouSubject), email: str(c.emailSubject) }),
    issuer: dn({ cn: str(c.nameIssuer), o: str(c.organizationIssuer), ou: str(c.ouIssuer) }),
    validFrom: dateTime(c, 'validFrom', path),
    validTo: dateTime(c, 'validTo', path),
    keyUsage: usageFromBits(bits),
    keyUsageBits: bits,
    revocationDate: dateTime(c, 'revocationDate', path),
    revocationReason: str(c.revocationReason),
    contentBase64: str(c.content),
    parsedFromContent: false,
    fingerprintMatchesContent: null,
  };
  if (out.contentBase64) {
    try {
      const der = Buffer.from(out.contentBase64, 'base64');
      const x = new X509Certificate(der);
      const sha1 = createHash('sha1').update(der).digest('hex');
      const subject = parseNodeDn(x.subject);
      out.subject = { ...subject, email: subject.email ?? out.subject.email, text: subject.text || out.subject.text };
      out.issuer = parseNodeDn(x.issuer);
      out.serialHex = x.serialNumber.toLowerCase().replace(/^0+(?=.)/, '');
      out.serial = BigInt(`0x${x.serialNumber}`).toString(10);
      out.validFrom = iso(x.validFrom);
      out.validTo = iso(x.validTo);
      if (x.keyUsage?.length && bits === null) out.keyUsage = x.keyUsage;
      out.parsedFromContent = true;
      out.fingerprintMatchesContent = out.fingerprint ? out.fingerprint === sha1 : null;
      out.fingerprint ??= sha1;
    } catch {
      // Undecodable content: keep the directory's fields; the flag tells the reader they are unverified.
      out.parsedFromContent = false;
    }
  }
  return out;
}

/** Revocation wins over dates (fail closed, docs/upstreams/dvdv.md §6); "soon" = within `soonDays` of `now`. */
export function certificateStatus(c: Pick<CertificateDto, 'validFrom' | 'validTo' | 'revocationDate' | 'revocationReason'>, now = Date.now(), soonDays = EXPIRING_SOON_DAYS): CertificateStatus {
  if (c.revocationDate || c.revocationReason) return 'REVOKED';
  if (c.validFrom && Date.parse(c.validFrom) > now) return 'NOT_YET_VALID';
  if (c.validTo) {
    const to = Date.parse(c.validTo);
    if (to <= now) return 'EXPIRED';
    if (to - now <= soonDays * 86_400_000) return 'EXPIRING_SOON';
  }
  return 'VALID';
}

/** Whole days until `validTo` (negative once expired); null without an end date. */
export function daysUntilExpiry(c: Pick<CertificateDto, 'validTo'>, now = Date.now()): number | null {
  return c.validTo ? Math.floor((Date.parse(c.validTo) - now) / 86_400_000) : null;
}

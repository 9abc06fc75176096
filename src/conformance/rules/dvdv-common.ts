import type { CertificateDto } from '../../upstreams/dvdv/mapper/certificates';
import type { CategoryDto, OrganizationDto } from '../../upstreams/dvdv/mapper/directory';
import type { DvdvInput } from '../input';

/** Organisations found by the lookups, once each, with the places they were asked for. */
export function organisationsOf(d: DvdvInput): { org: OrganizationDto; ars: string }[] {
  const seen = new Map<string, { org: OrganizationDto; ars: string }>();
  for (const a of d.authorities) {
    if (!a.organization) continue;
    const id = String(a.organization.id ?? `${a.organization.category}|${a.organization.keys.join(',')}`);
    if (!seen.has(id)) seen.set(id, { org: a.organization, ars: a.ars[0] ?? '16' });
  }
  return [...seen.values()];
}

export const subjectOf = (o: OrganizationDto) => o.keys[0] ?? o.name;

export function prefixesOf(categories: CategoryDto[]): Set<string> {
  const out = new Set<string>();
  const walk = (cs: CategoryDto[]) => cs.forEach((c) => (c.prefix && out.add(c.prefix), walk(c.children)));
  walk(categories);
  return out;
}

/** Every certificate the routing data carries (service elements, organisations' client certificates), by fingerprint. */
export function certificatesOf(d: DvdvInput): Map<string, { cert: CertificateDto; usedBy: string[]; ars: string }> {
  const out = new Map<string, { cert: CertificateDto; usedBy: string[]; ars: string }>();
  const arsOfKey = new Map<string, string>();
  for (const a of d.authorities) if (a.organization) for (const k of a.organization.keys) arsOfKey.set(k, a.ars[0] ?? '16');
  const add = (c: CertificateDto | null, by: string, ars: string) => {
    if (!c?.fingerprint) return;
    const e = out.get(c.fingerprint) ?? { cert: c, usedBy: [], ars };
    if (!e.usedBy.includes(by)) e.usedBy.push(by);
    out.set(c.fingerprint, e);
  };
  for (const { org, ars } of organisationsOf(d)) for (const c of org.clientCertificates) add(c, subjectOf(org), ars);
  for (const s of d.services) {
    for (const e of s.service?.elements ?? []) {
      add(e.cipherCertificate, s.organizationKey, arsOfKey.get(s.organizationKey) ?? '16');
      add(e.signatureCertificate, s.organizationKey, arsOfKey.get(s.organizationKey) ?? '16');
    }
  }
  return out;
}

import type { FindingDraft, Rule } from '../types';

export const d4: Rule = {
  id: 'D-4',
  severity: 'error',
  scope: 'record',
  upstream: 'dvdv',
  title: 'OSCI intermediary and addressee with cipher certificates',
  description:
    'The Service has an `OSCI_INTERMEDIARY` with `serviceElementUri` and cipher certificate and an `OSCI_ADDRESSEE` with cipher certificate (inline or a same-named `CIPHER_CERTIFICATE` element), per network variant in use.',
  source: 'DVDV data model, BSI TR-03132 §5.3.3 [published]',
  check: ({ input }) => {
    if (!input.dvdv) return { notEvaluated: 'DVDV not collected' };
    const arsOf = new Map(input.dvdv.authorities.flatMap((a) => (a.organization?.keys ?? []).map((k) => [k, a.ars[0]] as const)));
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const s of input.dvdv.services) {
      if (!s.service || seen.has(s.organizationKey)) continue;
      const els = s.service.elements;
      const cipherByName = new Set(els.filter((e) => e.type === 'CIPHER_CERTIFICATE' && e.cipherCertificate).map((e) => e.descriptionName ?? e.name));
      const problems: string[] = [];
      const intermediaries = els.filter((e) => e.type === 'OSCI_INTERMEDIARY');
      const addressees = els.filter((e) => e.type === 'OSCI_ADDRESSEE');
      if (!intermediaries.length) problems.push('no OSCI_INTERMEDIARY');
      for (const e of intermediaries) {
        if (!e.uri) problems.push(`OSCI_INTERMEDIARY ${e.descriptionName ?? e.name} has no serviceElementUri`);
        if (!e.cipherCertificate && !cipherByName.has(e.descriptionName ?? e.name)) problems.push(`OSCI_INTERMEDIARY ${e.descriptionName ?? e.name} has no cipher certificate`);
      }
      if (!addressees.length) problems.push('no OSCI_ADDRESSEE');
      for (const e of addressees) if (!e.cipherCertificate && !cipherByName.has(e.descriptionName ?? e.name)) problems.push(`OSCI_ADDRESSEE ${e.descriptionName ?? e.name} has no content cipher certificate`);
      if (problems.length) {
        seen.add(s.organizationKey);
        out.push({ subject: s.organizationKey, message: `${s.service.organizationName ?? s.organizationKey} (${s.serviceUri}): ${problems.join('; ')}.`, evidence: { serviceUri: s.serviceUri, problems }, ars: arsOf.get(s.organizationKey) });
      }
    }
    return out;
  },
};

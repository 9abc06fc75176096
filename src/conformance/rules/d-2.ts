import type { Rule } from '../types';

export const d2: Rule = {
  id: 'D-2',
  severity: 'error',
  scope: 'municipality',
  upstream: 'dvdv',
  net: false,
  title: 'Responsible authority has its DVDV entry',
  description:
    'For every (Leistung of the reviewed mapping, ARS) the portal offers, the responsible authority has an organisation entry: `findauthoritydescription(category, key)` → 200 (key derived from the AGS/Kreis, src/conformance/dvdv-mapping.ts).',
  source: '[adopted], from the DVDV data model',
  check: ({ input }) => {
    if (!input.dvdv) return { notEvaluated: 'DVDV not collected' };
    return input.dvdv.authorities
      .filter((a) => !a.organization)
      .map((a) => ({
        subject: a.organizationKey,
        message: `No DVDV entry in category ${a.category} for key ${a.organizationKey} (needed for Leistung ${a.leikaKeys.join(', ')} in ${a.ars.join(', ')}).`,
        evidence: { category: a.category, organizationKey: a.organizationKey, leikaKeys: a.leikaKeys, ars: a.ars },
        ars: a.ars[0],
      }));
  },
};

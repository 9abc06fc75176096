import type { FindingDraft, Rule } from '../types';
import { organisationsOf, subjectOf } from './dvdv-common';

export const d6: Rule = {
  id: 'D-6',
  severity: 'warning',
  scope: 'record',
  upstream: 'dvdv',
  title: 'Thuringian entries say so',
  description: 'Thuringian organisations have `locationStateId = 16`, and their AGS-based key ids start with `16`.',
  source: 'DVDV data model [published]; rule [adopted]',
  check: ({ input }) => {
    if (!input.dvdv) return { notEvaluated: 'DVDV not collected' };
    const out: FindingDraft[] = [];
    for (const { org, ars } of organisationsOf(input.dvdv)) {
      const foreignKeys = org.keys.filter((k) => /^(ags|psb|pab|ubb):/.test(k) && !/^[a-z]+:16/.test(k));
      if (org.locationStateId !== 16 || foreignKeys.length) {
        out.push({
          subject: subjectOf(org),
          message: `Thuringian entry ${org.name}${org.locationStateId !== 16 ? ` has locationStateId ${org.locationStateId}` : ''}${foreignKeys.length ? ` carries keys outside Thüringen (${foreignKeys.join(', ')})` : ''}.`,
          evidence: { locationStateId: org.locationStateId, foreignKeys },
          ars,
        });
      }
    }
    return out;
  },
};

import type { Rule } from '../types';

export const p4: Rule = {
  id: 'P-4',
  severity: 'warning',
  scope: 'record',
  upstream: 'thavel',
  title: 'Online services state their trust level',
  description: 'Every Onlinedienst has a `vertrauensniveau` with a code and the `listURI` of its code list.',
  source: 'XZuFi 2.2 [published]; rule [adopted]',
  check: ({ input }) => {
    const cat = input.thavel?.catalogue;
    if (!cat) return { notEvaluated: 'ThAVEL catalogue not collected' };
    return cat.entries
      .filter((e) => !e.trustLevel?.code || !e.trustLevel.listURI)
      .map((e) => ({
        subject: e.id,
        message: e.trustLevel ? `Vertrauensniveau of "${e.title}" lacks its listURI.` : `Onlinedienst "${e.title}" has no Vertrauensniveau.`,
        evidence: { trustLevel: e.trustLevel },
        ars: e.areas[0],
      }));
  },
};

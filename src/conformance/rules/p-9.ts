import { ARS_CHANGES } from '../../reference/ars-changes';
import type { FindingDraft, Rule } from '../types';
import { classifyArs, declaredKeys } from './portal-ars';

export const p9: Rule = {
  id: 'P-9',
  severity: 'warning',
  scope: 'record',
  upstream: 'thavel',
  title: 'No regional keys that left the register',
  description:
    'No ARS that is no longer in the current register because the area changed (municipal mergers, a town becoming kreisfrei — e.g. Hanau `064350014014` → `064150000000`); the finding names the successor key. Changes come from the reviewed list src/reference/ars-changes.ts.',
  source: '[adopted] (docs/upstreams/portal-pvog.md §6, "ARS change over time")',
  check: ({ input, ix }) => {
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const k of declaredKeys(input)) {
      if (k.kind !== 'ars' || seen.has(k.subject)) continue;
      const c = classifyArs(k.value, input, ix);
      if (c.kind !== 'former') continue;
      seen.add(k.subject);
      out.push({
        subject: k.subject,
        message: `${k.field} ${k.value} left the register on ${c.change.effective} (${c.change.note}); use ${c.change.current}.`,
        evidence: { field: k.field, value: k.value, current: c.change.current, effective: c.change.effective, source: c.change.source, changesKnown: ARS_CHANGES.length },
        ars: c.change.current.startsWith('16') ? c.change.current : undefined,
      });
    }
    return out;
  },
};

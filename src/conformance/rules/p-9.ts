import { ARS_CHANGES } from '../../reference/ars-changes';
import type { FindingDraft, Rule } from '../types';
import { firstKeysOfClass } from './portal-ars';

export const p9: Rule = {
  id: 'P-9',
  severity: 'warning',
  scope: 'record',
  upstream: 'thavel',
  title: 'No regional keys that left the register',
  description:
    'No ARS that is no longer in the current register because the area changed (municipal mergers, a town becoming kreisfrei — e.g. Hanau `064350014014` → `064150000000`); the finding names the successor key. Changes come from the reviewed list src/reference/ars-changes.ts.',
  source: '[adopted] (docs/upstreams/portal-pvog.md §6, "ARS change over time")',
  check: ({ input, ix }) =>
    firstKeysOfClass(input, ix, 'former').map(({ key: k, class: { change } }): FindingDraft => ({
      subject: k.subject,
      message: `${k.field} ${k.value} left the register on ${change.effective} (${change.note}); use ${change.current}.`,
      evidence: { field: k.field, value: k.value, current: change.current, effective: change.effective, source: change.source, changesKnown: ARS_CHANGES.length },
      ars: change.current.startsWith('16') ? change.current : undefined,
    })),
};

import type { FindingDraft, Rule } from '../types';
import { firstKeysOfClass } from './portal-ars';

export const p8: Rule = {
  id: 'P-8',
  severity: 'warning',
  scope: 'record',
  upstream: 'thavel',
  title: 'Regional keys in canonical form',
  description:
    'A 12-digit ARS carries the Gemeindeverband part (digits 6–9) the register gives the municipality: padding an AGS with `0000` (`ags[0..5] + 0000 + ags[5..8]`) invents a Verband part, which is right only for kreisfreie Städte and municipalities outside any Verband.',
  source: 'ARS padding rule, docs/upstreams/portal-pvog.md §6 [adopted]',
  check: ({ input, ix }) =>
    firstKeysOfClass(input, ix, 'wrong-verband').map(({ key: k, class: { municipality: m } }): FindingDraft => ({
      subject: k.subject,
      message: `${k.field} ${k.value} has Gemeindeverband part ${k.value.slice(5, 9)}; the register gives ${m.name} the ARS ${m.ars}${k.value.slice(5, 9) === '0000' ? ' (the key looks padded from the AGS)' : ''}.`,
      evidence: { field: k.field, value: k.value, expected: m.ars, ags: m.ags, municipality: m.name },
      ars: m.ars,
    })),
};

import { REFERENCE_SOURCE } from '../../reference/municipalities';
import type { FindingDraft, Rule } from '../types';
import { classifyAgs, classifyArs, declaredKeys } from './portal-ars';

export const p6: Rule = {
  id: 'P-6',
  severity: 'error',
  scope: 'record',
  upstream: 'thavel',
  title: 'Regional keys are Thuringian and in the register',
  description:
    'Every ARS/AGS in Thuringian scope (ThAVEL Onlinedienst areas, PVOG OE address coding) starts with `16` — except the Bund key `000000000000` of inherited services — and exists in the configured Destatis register (municipality, Verband, district or Land, padded or not). Keys the register lost through a recorded change are P-9, keys whose Gemeindeverband part is wrong are P-8.',
  source: `Destatis register (${REFERENCE_SOURCE}) [published]; scope [adopted]`,
  check: ({ input, ix }) => {
    const bad = new Map<string, { values: { field: string; value: string; reason: string }[]; ars?: string }>();
    for (const k of declaredKeys(input)) {
      const c = k.kind === 'ars' ? classifyArs(k.value, input, ix) : classifyAgs(k.value, ix);
      if (c.kind !== 'foreign' && c.kind !== 'unknown') continue;
      const e = bad.get(k.subject) ?? { values: [] };
      e.values.push({ field: k.field, value: k.value, reason: c.kind === 'foreign' ? 'outside Thüringen (does not start with 16)' : 'not in the register' });
      e.ars ??= k.ars && ix.municipalityByArs.has(k.ars) ? k.ars : undefined;
      bad.set(k.subject, e);
    }
    const out: FindingDraft[] = [];
    for (const [subject, { values, ars }] of bad) {
      out.push({
        subject,
        message: `${values.map((v) => `${v.field} ${v.value} is ${v.reason}`).join('; ')}.`,
        evidence: { values, register: REFERENCE_SOURCE },
        ars,
      });
    }
    return out;
  },
};

import type { FindingDraft, Rule } from '../types';
import { organisationsOf, prefixesOf } from './dvdv-common';

/** Prefixes of the legacy DVDV key table that may be absent from `/categories`. */
const LEGACY_PREFIXES = ['ags', 'psb', 'pab', 'azr', 'ubb', 'dvdv'];

export const d1: Rule = {
  id: 'D-1',
  severity: 'error',
  scope: 'record',
  upstream: 'dvdv',
  title: 'Organisation keys are well-formed',
  description: 'Every organisation key parses as `<prefix>:<id>`, 6..255 characters, with a prefix known from `/categories` or the legacy table.',
  source: 'DVDV specification + FITKO key rule [published]',
  check: ({ input }) => {
    if (!input.dvdv) return { notEvaluated: 'DVDV not collected' };
    const known = new Set([...prefixesOf(input.dvdv.categories), ...LEGACY_PREFIXES]);
    const out: FindingDraft[] = [];
    for (const { org, ars } of organisationsOf(input.dvdv)) {
      for (const key of [...org.keys, ...(org.malformedKeys ?? []).map((m) => m.key)]) {
        const m = /^([a-z0-9]+):(.+)$/i.exec(key);
        const reason = !m ? 'has no <prefix>: part' : key.length < 6 || key.length > 255 ? `has ${key.length} characters (6..255)` : !known.has(m[1].toLowerCase()) ? `uses the unknown prefix "${m[1]}"` : null;
        if (reason) out.push({ subject: key, message: `DVDV entry of ${org.name} carries the key "${key}", which ${reason}.`, evidence: { organization: org.keys[0], category: org.category, key }, ars });
      }
    }
    return out;
  },
};

import { isArs } from '../../reference/municipalities';
import type { FindingDraft, Rule } from '../types';

const AGS = /^(\d{2}|\d{3}|\d{5}|\d{8})$/;
const DROPPED_AREA = /gebietID "([^"]*)" is not an ARS/;

export const p5: Rule = {
  id: 'P-5',
  severity: 'error',
  scope: 'record',
  upstream: 'thavel',
  title: 'ARS and AGS have a valid length',
  description: 'Every ARS matches `^(\\d{2}|\\d{3}|\\d{5}|\\d{9}|\\d{12})$`, every AGS `^(\\d{2}|\\d{3}|\\d{5}|\\d{8})$`.',
  source: 'FIT-Connect specification [published]',
  check: ({ input }) => {
    const out: FindingDraft[] = [];
    for (const w of input.thavel?.catalogue.warnings ?? []) {
      const v = DROPPED_AREA.exec(w.reason)?.[1];
      if (w.id && v !== undefined) out.push({ subject: w.id, message: `Onlinedienst area ${JSON.stringify(v)} is not an ARS of 2, 3, 5, 9 or 12 digits.`, evidence: { gebietID: v } });
    }
    for (const u of input.pvog.units) {
      for (const a of u.addresses) {
        const bad = [a.ars !== null && !isArs(a.ars) ? `ARS ${JSON.stringify(a.ars)}` : null, a.ags !== null && !AGS.test(a.ags) ? `AGS ${JSON.stringify(a.ags)}` : null].filter(Boolean);
        if (bad.length) out.push({ subject: u.id, message: `Address of ${u.name}: ${bad.join(' and ')} malformed.`, evidence: { address: a } });
      }
    }
    return out;
  },
};

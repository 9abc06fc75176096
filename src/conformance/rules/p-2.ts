import { isLeikaKey } from '../../reference/leika';
import type { Rule } from '../types';


export const p2: Rule = {
  id: 'P-2',
  severity: 'error',
  scope: 'record',
  upstream: 'thavel',
  title: 'Online service responsibilities point to a Leistung the portal offers there',
  description:
    'Every Onlinedienst Zuständigkeit (leistungID × gebietID) refers to a Leistung whose referenzLeiKa key passes P-1 and that the portal lists for that ARS (inherited Bund/Land descriptions count).',
  source: 'XZuFi 2.2 structure [published]; portal lookup [adopted]',
  check: ({ input, ix }) => {
    const cat = input.thavel?.catalogue;
    if (!cat) return { notEvaluated: 'ThAVEL catalogue not collected' };
    const out = [];
    for (const e of cat.entries) {
      const failing: { leikaKey: string; area: string; missingIn: string[] }[] = [];
      for (const k of e.leikaKeys.filter(isLeikaKey)) {
        for (const area of e.areas) {
          const places = area.length === 12 ? [area] : input.municipalities.filter((m) => m.ars.startsWith(area)).map((m) => m.ars);
          const missingIn = places.filter((a) => ix.offered.has(a) && !ix.offered.get(a)!.has(k));
          if (missingIn.length) failing.push({ leikaKey: k, area, missingIn: missingIn.slice(0, 20) });
        }
      }
      if (failing.length) {
        const f = failing[0];
        out.push({
          subject: e.id,
          message: `Onlinedienst "${e.title}" claims Leistung ${f.leikaKey} for area ${f.area}, but the portal does not offer it ${f.missingIn.length === 1 && f.missingIn[0] === f.area ? 'there' : `in ${f.missingIn.join(', ')}`}.`,
          evidence: { failing },
          ars: f.area,
        });
      }
    }
    return out;
  },
};

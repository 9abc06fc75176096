import { isLeikaKey } from '../../reference/leika';
import type { Rule } from '../types';

const URN = /^urn:de:fim:leika:leistung:(\d+)$/;
const MALFORMED_REF = /referenzLeiKa\/code "([^"]*)" is not a 14-digit LeiKa key/;
const UNRESOLVED = /leistungID "([^"]*)" has no LeiKa key/;

export const p1: Rule = {
  id: 'P-1',
  severity: 'error',
  scope: 'record',
  upstream: 'thavel',
  title: 'LeiKa keys are 14 digits',
  description: 'Every LeiKa key is 14 digits `^99\\d{12}$` (URN form `urn:de:fim:leika:leistung:<key>` accepted); 8-digit values are rejected.',
  source: 'FIT-Connect specification, `leikaKey` [published]',
  check: ({ input }) => {
    const out = [];
    const bad = (k: string) => !isLeikaKey(URN.exec(k)?.[1] ?? k);
    for (const { ars, services } of input.pvog.servicesByArs) {
      for (const s of services) if (s.leikaKey !== null && bad(s.leikaKey)) out.push({ subject: s.leikaKey, message: `Leistung ${s.id} has LeiKa key ${JSON.stringify(s.leikaKey)}, not 14 digits starting with 99.`, evidence: { leistungId: s.id, ars, leikaKey: s.leikaKey }, ars });
    }
    const cat = input.thavel?.catalogue;
    if (cat) {
      for (const e of cat.entries) for (const k of e.leikaKeys) if (bad(k)) out.push({ subject: e.id, message: `Onlinedienst refers to ${JSON.stringify(k)}, not a 14-digit LeiKa key.`, evidence: { leikaKey: k } });
      // The catalogue reader drops a Leistung whose referenzLeiKa is malformed; the Onlinedienst referring to it is the subject.
      const malformed = cat.warnings.map((w) => MALFORMED_REF.exec(w.reason)?.[1]).filter((v): v is string => v !== undefined);
      if (malformed.length) {
        for (const w of cat.warnings) {
          const ref = UNRESOLVED.exec(w.reason)?.[1];
          if (w.element === 'onlinedienst' && w.id && ref) {
            out.push({ subject: w.id, message: `Onlinedienst refers to Leistung ${ref}, whose referenzLeiKa is not a 14-digit LeiKa key.`, evidence: { leistungId: ref, malformedKeysInCatalogue: malformed } });
          }
        }
      }
    }
    return out;
  },
};

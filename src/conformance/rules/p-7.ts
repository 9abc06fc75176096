import type { FindingDraft, Rule } from '../types';

export const p7: Rule = {
  id: 'P-7',
  severity: 'error',
  scope: 'record',
  upstream: 'pvog',
  title: 'ARS and AGS agree',
  description: 'Wherever an ARS and an AGS occur together (OE address coding, DVDV `ags:` keys), `ags == ars[0..5] + ars[9..12]`.',
  source: 'ARS/AGS composition [published definition]',
  check: ({ input }) => {
    const out: FindingDraft[] = [];
    for (const u of input.pvog.units) {
      for (const a of u.addresses) {
        if (!a.ars || !a.ags || a.ars.length !== 12 || a.ags.length !== 8) continue;
        const expected = a.ars.slice(0, 5) + a.ars.slice(9, 12);
        if (expected !== a.ags) {
          out.push({ subject: u.id, message: `Address coding of ${u.name}: gemeindeschluessel ${a.ags} does not match regionalschluessel ${a.ars} (expected ${expected}).`, evidence: { ars: a.ars, ags: a.ags, expectedAgs: expected }, ars: a.ars });
        }
      }
    }
    return out;
  },
};

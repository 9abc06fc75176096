import type { Rule } from '../types';

/** Active content a sanitiser must remove (scripts, event handlers, javascript: URLs, embedded frames). */
const UNSAFE = [
  { re: /<script\b/i, what: '<script> element' },
  { re: /<(iframe|object|embed)\b/i, what: 'embedded frame/object' },
  { re: /\son[a-z]+\s*=/i, what: 'event handler attribute' },
  { re: /(href|src)\s*=\s*["']?\s*javascript:/i, what: 'javascript: URL' },
];

export const p11: Rule = {
  id: 'P-11',
  severity: 'info',
  scope: 'record',
  upstream: 'pvog',
  title: 'Leistung texts complete and safe',
  description: 'A Leistung has a name module `03` (or `02`) and a text module `05`/`06`; its HTML needs no sanitising beyond formatting (no scripts, event handlers or javascript: links).',
  source: 'LeiKa text-module code list [published]; rule [adopted]',
  check: ({ input }) => {
    const out = [];
    for (const d of input.pvog.details) {
      if (!d.leikaKey) continue;
      const codes = new Set(d.textModules.map((t) => t.code));
      const problems: { module: string | null; issue: string }[] = [];
      if (!codes.has('03') && !codes.has('02')) problems.push({ module: null, issue: 'no name module 03/02' });
      if (!codes.has('05') && !codes.has('06')) problems.push({ module: null, issue: 'neither Kurztext (05) nor Volltext (06)' });
      for (const t of d.textModules) for (const u of UNSAFE) if (u.re.test(t.html)) problems.push({ module: t.code, issue: u.what });
      if (problems.length) {
        out.push({
          subject: d.leikaKey,
          message: `Leistung "${d.name}": ${problems.map((p) => (p.module ? `module ${p.module} contains ${p.issue}` : p.issue)).join('; ')}.`,
          evidence: { leistungId: d.id, problems },
        });
      }
    }
    return out;
  },
};

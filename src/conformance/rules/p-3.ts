import type { Rule } from '../types';

export const p3: Rule = {
  id: 'P-3',
  severity: 'error',
  scope: 'record',
  upstream: 'thavel',
  title: 'Online services link to an https address',
  description: 'Every Onlinedienst has at least one `link` with an absolute https URL.',
  source: '[adopted] (XZuFi 2.2 link structure)',
  check: ({ input }) => {
    const cat = input.thavel?.catalogue;
    if (!cat) return { notEvaluated: 'ThAVEL catalogue not collected' };
    return cat.entries
      .filter((e) => !e.links.some((l) => /^https:\/\/[^/\s]+/i.test(l.url)))
      .map((e) => ({
        subject: e.id,
        message: e.links.length ? `Onlinedienst "${e.title}" has no https link (${e.links.map((l) => l.url).join(', ')}).` : `Onlinedienst "${e.title}" has no link.`,
        evidence: { links: e.links.map((l) => l.url) },
        ars: e.areas[0],
      }));
  },
};

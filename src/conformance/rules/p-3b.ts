import type { FindingDraft, Rule } from '../types';

export const p3b: Rule = {
  id: 'P-3b',
  severity: 'warning',
  scope: 'record',
  upstream: 'thavel',
  net: true,
  title: 'Online service links resolve',
  description:
    'Every `link` of an Onlinedienst resolves, in the classes of R14: 2xx ok, 3xx followed, 401/403 = protected (not a failure), else broken. Only links on configured upstream hosts or hosts in CONFORMANCE_PROBE_HOSTS are probed; others are skipped, never reported.',
  source: '[adopted] (link classes of R14: INSPIRE ETS resolvability [published], classes [adopted])',
  check: async ({ input, probe }) => {
    if (!probe) return { notEvaluated: 'live probes are off' };
    const cat = input.thavel?.catalogue;
    if (!cat) return { notEvaluated: 'ThAVEL catalogue not collected' };
    const checked = await Promise.all(
      cat.entries.map(async (e) => ({ e, results: await Promise.all(e.links.filter((l) => /^https?:\/\//i.test(l.url)).map((l) => probe.check(l.url))) })),
    );
    const out: FindingDraft[] = [];
    for (const { e, results } of checked) {
      const broken = results.filter((r) => r.class === 'broken');
      if (!broken.length) continue;
      out.push({
        subject: e.id,
        message: `${broken.length} link(s) of Onlinedienst "${e.title}" do not resolve: ${broken.map((b) => `${b.url} (${b.reason})`).join('; ')}.`,
        evidence: { broken: broken.map((b) => ({ url: b.url, requested: b.requested, status: b.status, reason: b.reason })) },
        ars: e.areas.find((a) => a.startsWith('16')),
      });
    }
    return out;
  },
};

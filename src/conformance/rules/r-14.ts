import type { FindingDraft, Rule } from '../types';
import { namedLayers } from './util';

export const r14: Rule = {
  id: 'R14',
  severity: 'warning',
  scope: 'record',
  upstream: 'geomis',
  net: true,
  title: 'Links resolve',
  description:
    'Every `gmd:linkage/gmd:URL`, `operatesOn/@xlink:href`, `graphicOverview` and layer `MetadataURL` resolves: 2xx ok, 3xx followed, 401/403 = protected (expected for WAS-protected Geoproxy services), else broken; a GetRecordById answer without a record is broken. Only URLs on configured upstream hosts or hosts in CONFORMANCE_PROBE_HOSTS are probed.',
  source: 'INSPIRE ETS metadata 2.0 resolvability (1.8, 3.6) [published]; classes [adopted]',
  check: async ({ input, probe }) => {
    if (!probe) return { notEvaluated: 'live probes are off' };
    const links: { subject: string; url: string; kind: string }[] = [];
    for (const r of input.geomis?.records ?? []) {
      for (const o of r.onlineResources) links.push({ subject: r.fileIdentifier, url: o.url, kind: 'linkage' });
      for (const o of r.service?.operatesOn ?? []) if (o.href) links.push({ subject: r.fileIdentifier, url: o.href, kind: 'operatesOn' });
      for (const g of r.browseGraphics) links.push({ subject: r.fileIdentifier, url: g, kind: 'graphicOverview' });
    }
    for (const s of input.geoproxy?.services ?? []) for (const l of namedLayers(s)) for (const m of l.metadataUrls) links.push({ subject: `${s.name}#${l.name}`, url: m.url, kind: 'MetadataURL' });
    const results = await Promise.all(links.map(async (l) => ({ ...l, result: await probe.check(l.url) })));
    const bySubject = new Map<string, typeof results>();
    for (const r of results) if (r.result.class === 'broken') bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), r]);
    const out: FindingDraft[] = [];
    for (const [subject, broken] of bySubject) {
      out.push({
        subject,
        message: `${broken.length} link(s) do not resolve: ${broken.map((b) => `${b.kind} ${b.url} (${b.result.reason})`).join('; ')}.`,
        evidence: { broken: broken.map((b) => ({ kind: b.kind, url: b.url, requested: b.result.requested, status: b.result.status, reason: b.result.reason })) },
      });
    }
    return out;
  },
};

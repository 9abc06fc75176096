import type { FindingDraft, Rule } from '../types';
import { coupledServiceRecord, endpointKey, isGetCapabilitiesUrl, kvp } from './util';

export const xg3: Rule = {
  id: 'XG3',
  severity: 'warning',
  scope: 'record',
  upstream: 'geomis',
  title: 'Service record points to the Geoproxy endpoint',
  description:
    'The service record of a Geoproxy endpoint (named by its ExtendedCapabilities MetadataUrl, else found by URL): its `transferOptions` GetCapabilities URLs and `containsOperations` connect points address that endpoint — same scheme, host and path, and a `SERVICE` parameter (key case-insensitive) of the endpoint\'s kind.',
  source: 'GDI-DE coupling chain [published]; normalisation [adopted]',
  check: ({ input, ix }) => {
    if (!input.geoproxy || !input.geomis) return { notEvaluated: 'Geoproxy capabilities or GeoMIS catalogue not collected' };
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const s of input.geoproxy.services) {
      const rec = coupledServiceRecord(s, input, ix);
      if (!rec?.service || seen.has(rec.fileIdentifier)) continue;
      seen.add(rec.fileIdentifier);
      const endpoint = endpointKey(s.url, input);
      const urls = [
        ...rec.onlineResources.filter((o) => isGetCapabilitiesUrl(o.url)).map((o) => ({ where: 'transferOptions', url: o.url })),
        ...rec.service.operations.flatMap((op) => op.urls.map((url) => ({ where: `connectPoint ${op.name}`, url }))),
      ];
      const elsewhere = urls.filter((u) => {
        const service = kvp(u.url, 'SERVICE');
        return endpointKey(u.url, input) !== endpoint || (service !== null && service.toUpperCase() !== s.kind);
      });
      if (!elsewhere.length) continue;
      out.push({
        subject: rec.fileIdentifier,
        message: `Service record "${rec.title}" of ${s.name} points elsewhere: ${elsewhere.map((e) => `${e.where} ${e.url}`).join('; ')}.`,
        evidence: { service: s.name, endpoint: s.url, kind: s.kind, elsewhere },
      });
    }
    return out;
  },
};

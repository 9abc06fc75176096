import type { FindingDraft, Rule } from '../types';
import { serviceRecordOf } from './util';

const KIND_OF_TYPE: Record<string, string[]> = { view: ['WMS', 'WMTS'], download: ['WFS', 'WCS', 'ATOM'] };

export const xg6: Rule = {
  id: 'XG6',
  severity: 'warning',
  scope: 'record',
  upstream: 'geomis',
  title: 'Service type matches the endpoint',
  description: 'The service record\'s `serviceType` is consistent with the endpoint (`view` ↔ WMS/WMTS, `download` ↔ WFS/WCS/Atom).',
  source: '[adopted]',
  check: ({ input }) => {
    if (!input.geoproxy || !input.geomis) return { notEvaluated: 'Geoproxy capabilities or GeoMIS catalogue not collected' };
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const s of input.geoproxy.services) {
      const rec = serviceRecordOf(s, input);
      const type = rec?.service?.serviceType?.toLowerCase();
      if (!rec || !type || seen.has(rec.fileIdentifier) || !KIND_OF_TYPE[type]) continue;
      seen.add(rec.fileIdentifier);
      if (!KIND_OF_TYPE[type].includes(s.kind)) {
        out.push({ subject: rec.fileIdentifier, message: `Service record "${rec.title}" declares serviceType "${type}" for the ${s.kind} ${s.name}.`, evidence: { service: s.name, kind: s.kind, serviceType: type } });
      }
    }
    return out;
  },
};

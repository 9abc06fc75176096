import type { FindingDraft, Rule } from '../types';
import { namedLayers, recordOfReference } from './util';

export const r16: Rule = {
  id: 'R16',
  severity: 'error',
  scope: 'record',
  upstream: 'geoproxy',
  title: 'Layer MetadataURL points to a dataset record',
  description:
    'Each named WMS Layer / WFS FeatureType `MetadataURL` points to an existing GeoMIS dataset record: a GetRecordById URL (`id` = fileIdentifier) or a resource identifier URI equal to a record\'s resource identifier code.',
  source: 'GDI-DE Daten-Dienste-Kopplung ("GetRecordById verbindet WMS und Metadaten") [published]',
  check: ({ input, ix }) => {
    if (!input.geoproxy || !input.geomis) return { notEvaluated: 'Geoproxy capabilities or GeoMIS catalogue not collected' };
    const out: FindingDraft[] = [];
    for (const s of input.geoproxy.services) {
      for (const l of namedLayers(s)) {
        if (!l.metadataUrls.length) continue; // XG1's finding
        const targets = l.metadataUrls.map((m) => ({ url: m.url, record: recordOfReference(ix, { href: m.url }) }));
        if (targets.some((t) => t.record && (t.record.type === 'dataset' || t.record.type === 'series'))) continue;
        out.push({
          subject: `${s.name}#${l.name}`,
          message: `MetadataURL of layer ${l.name} (${s.name}) points to ${targets.map((t) => t.url).join(', ')}, which is no dataset record of the catalogue.`,
          evidence: { metadataUrls: targets.map((t) => ({ url: t.url, resolvedTo: t.record ? { fileIdentifier: t.record.fileIdentifier, hierarchyLevel: t.record.type } : null })) },
        });
      }
    }
    return out;
  },
};

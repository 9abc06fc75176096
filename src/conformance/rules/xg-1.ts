import type { FindingDraft, Rule } from '../types';
import { namedLayers } from './util';

export const xg1: Rule = {
  id: 'XG1',
  severity: 'warning',
  scope: 'record',
  upstream: 'geoproxy',
  title: 'Every layer names its metadata',
  description: 'Every named layer / feature type in the Geoproxy capabilities has at least one `MetadataURL` (WFS 1.1.0: text content; 2.0.0: `@xlink:href`; WMS: `OnlineResource/@xlink:href`).',
  source: 'GDI-DE coupling guide [published]',
  check: ({ input }) => {
    if (!input.geoproxy) return { notEvaluated: 'Geoproxy capabilities not collected' };
    const out: FindingDraft[] = [];
    for (const s of input.geoproxy.services) {
      for (const l of namedLayers(s)) {
        // A WMS group layer whose children carry the metadata is not a data layer of its own.
        const children = s.capabilities!.layers.filter((c) => c.parent === l.name);
        if (!l.metadataUrls.length && children.length === 0) out.push({ subject: `${s.name}#${l.name}`, message: `Layer ${l.name} of ${s.name} has no MetadataURL.`, evidence: { service: s.name, kind: s.kind, version: s.version, layer: l.name } });
      }
    }
    return out;
  },
};

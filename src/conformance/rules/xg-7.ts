import { unionBBox, type IsoBBox } from '../../formats/iso19139/iso19139';
import type { FindingDraft, Rule } from '../types';
import { coupledServiceRecord, namedLayers } from './util';

const overlaps = (a: IsoBBox, b: IsoBBox) => a.west <= b.east && a.east >= b.west && a.south <= b.north && a.north >= b.south;

export const xg7: Rule = {
  id: 'XG7',
  severity: 'info',
  scope: 'record',
  upstream: 'geomis',
  title: 'Capabilities extent overlaps the service record extent',
  description:
    'The extent of the named layers / feature types in the capabilities (WMS `EX_GeographicBoundingBox`, WFS `ows:WGS84BoundingBox`, WGS84) overlaps the bounding box of the service record.',
  source: '[adopted]',
  check: ({ input, ix }) => {
    if (!input.geoproxy || !input.geomis) return { notEvaluated: 'Geoproxy capabilities or GeoMIS catalogue not collected' };
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const s of input.geoproxy.services) {
      if (!s.capabilities) continue;
      const rec = coupledServiceRecord(s, input, ix);
      if (!rec || seen.has(rec.fileIdentifier)) continue;
      seen.add(rec.fileIdentifier);
      const caps = unionBBox(namedLayers(s).flatMap((l) => (l.bbox ? [l.bbox] : [])));
      const record = rec.bbox ?? unionBBox(rec.bboxes);
      if (!caps || !record) continue; // nothing to compare (R9 reports a record without bbox)
      if (overlaps(caps, record)) continue;
      out.push({
        subject: rec.fileIdentifier,
        message: `Extent of ${s.name} (W ${caps.west}, E ${caps.east}, S ${caps.south}, N ${caps.north}) does not overlap the bounding box of its service record "${rec.title}" (W ${record.west}, E ${record.east}, S ${record.south}, N ${record.north}).`,
        evidence: { service: s.name, capabilitiesBbox: caps, recordBbox: record },
      });
    }
    return out;
  },
};

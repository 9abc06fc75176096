import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

export const r9: Rule = {
  id: 'R9',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Geographic bounding box',
  description: 'At least one `EX_GeographicBoundingBox` (in `gmd:extent` and `srv:extent`), with −180 ≤ W ≤ E ≤ 180 and −90 ≤ S ≤ N ≤ 90.',
  source: 'INSPIRE ETS metadata 2.0, C.19 [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      if (r.bboxes.length === 0) return { message: `Record ${label(r)} has no EX_GeographicBoundingBox.`, evidence: { bboxes: [] } };
      const bad = r.bboxes.filter((b) => !(b.west >= -180 && b.west <= b.east && b.east <= 180 && b.south >= -90 && b.south <= b.north && b.north <= 90));
      return bad.length > 0 && { message: `Bounding box of ${label(r)} is out of range (W ${bad[0].west}, E ${bad[0].east}, S ${bad[0].south}, N ${bad[0].north}).`, evidence: { bboxes: bad } };
    }),
};

import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

/** Plausibility box of Thüringen (docs/conformance-rules.md, R9b). */
export const THURINGIA = { west: 9.8, east: 12.7, south: 50.2, north: 51.7 };

export const r9b: Rule = {
  id: 'R9b',
  severity: 'warning',
  scope: 'record',
  upstream: 'geomis',
  title: 'Bounding box in Thüringen',
  description: 'The bounding box intersects Thüringen (≈ 9.8–12.7 E, 50.2–51.7 N).',
  source: '[adopted] plausibility',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      const b = r.bbox;
      if (!b) return null; // R9's finding
      const hits = b.west <= THURINGIA.east && b.east >= THURINGIA.west && b.south <= THURINGIA.north && b.north >= THURINGIA.south;
      return !hits && { message: `Bounding box of ${label(r)} (W ${b.west}, E ${b.east}, S ${b.south}, N ${b.north}) lies outside Thüringen.`, evidence: { bbox: b, thuringia: THURINGIA } };
    }),
};

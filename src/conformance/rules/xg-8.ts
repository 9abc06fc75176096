import type { FindingDraft, Rule } from '../types';

const ETRS89 = ['EPSG:25832', 'EPSG:25833', 'EPSG:4258'];

export const xg8: Rule = {
  id: 'XG8',
  severity: 'warning',
  scope: 'record',
  upstream: 'geoproxy',
  title: 'ETRS89 coordinate reference system offered',
  description: 'A Thuringian endpoint offers EPSG:25832 or another ETRS89 CRS (EPSG:4258, EPSG:25833).',
  source: 'INSPIRE interoperability (ETS 6.x CRS) [published]; EPSG:25832 preference [adopted]',
  check: ({ input }) => {
    if (!input.geoproxy) return { notEvaluated: 'Geoproxy capabilities not collected' };
    const out: FindingDraft[] = [];
    for (const s of input.geoproxy.services) {
      if (!s.capabilities) continue;
      const crs = [...new Set(s.capabilities.layers.flatMap((l) => l.crs))].sort();
      if (!crs.some((c) => ETRS89.includes(c))) out.push({ subject: s.name, message: `${s.name} offers ${crs.join(', ') || 'no CRS'}, no ETRS89 CRS.`, evidence: { crs } });
    }
    return out;
  },
};

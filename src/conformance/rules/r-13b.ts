import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

export const r13b: Rule = {
  id: 'R13b',
  severity: 'warning',
  scope: 'record',
  upstream: 'geomis',
  title: 'Open data keyword and licence together',
  description: 'Open data: keyword `opendata` without thesaurus and the licence JSON (`id`, `name`, `url`, `quelle`) in `otherConstraints` — both or neither.',
  source: 'GDI-DE Konventionen zu Metadaten [published; exact wording unverified]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      const licence = r.licence && r.licence.id && r.licence.name && r.licence.url && r.licence.quelle ? r.licence : null;
      if (r.opendata === !!licence) return null;
      return {
        message: r.opendata ? `${label(r)} carries the keyword opendata but no complete licence JSON in otherConstraints.` : `${label(r)} has a licence JSON but not the keyword opendata.`,
        evidence: { opendata: r.opendata, licence: r.licence },
      };
    }),
};

import type { Rule } from '../types';
import { claimsInspire, eachRecord, hasInspireTheme, isDataType, label } from './geo-common';

export const r10b: Rule = {
  id: 'R10b',
  severity: 'warning',
  scope: 'record',
  upstream: 'geomis',
  title: 'INSPIRE theme, topic category and lineage',
  description:
    'Dataset/series: an INSPIRE theme keyword (thesaurus "GEMET - INSPIRE themes, version 1.0", any language version) if the record claims INSPIRE conformity (keyword `inspireidentifiziert` or a conformance result citing VO 1089/2010); a topic category; a lineage statement.',
  source: 'INSPIRE ETS metadata 2.0, 1.4, 1.7, 1.11 [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      if (!isDataType(r)) return null;
      const missing = [
        ...(claimsInspire(r) && !hasInspireTheme(r) ? ['an INSPIRE theme keyword'] : []),
        ...(r.topicCategories.length === 0 ? ['a topic category'] : []),
        ...(!r.lineage?.trim() ? ['a lineage statement'] : []),
      ];
      return missing.length > 0 && {
        message: `${r.type} record ${label(r)} lacks ${missing.join(', ')}.`,
        evidence: { missing, inspire: claimsInspire(r), topicCategories: r.topicCategories, lineage: r.lineage, keywordThesauri: r.keywordGroups.map((g) => g.thesaurus?.text ?? null) },
      };
    }),
};

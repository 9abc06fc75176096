import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

const TYPES = ['creation', 'publication', 'revision'];

export const r8: Rule = {
  id: 'R8',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Temporal reference',
  description:
    'At least one resource date of type creation, publication or revision, or a temporal extent; at most one creation date and at most one revision date.',
  source: 'INSPIRE ETS metadata 2.0, C.11–C.13 (TG MD 2.0 Req C.11–C.13) [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      const typed = r.dates.filter((d) => d.type && TYPES.includes(d.type));
      const count = (t: string) => typed.filter((d) => d.type === t).length;
      const problems = [
        ...(typed.length === 0 && !r.temporalExtent ? ['no creation, publication or revision date and no temporal extent'] : []),
        ...(count('creation') > 1 ? [`${count('creation')} creation dates`] : []),
        ...(count('revision') > 1 ? [`${count('revision')} revision dates`] : []),
      ];
      return problems.length > 0 && { message: `Temporal reference of ${label(r)}: ${problems.join('; ')}.`, evidence: { dates: r.dates, temporalExtent: r.temporalExtent } };
    }),
};

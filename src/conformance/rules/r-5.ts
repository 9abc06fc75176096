import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';

export const r5: Rule = {
  id: 'R5',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Resource abstract',
  description: 'The resource abstract is not empty.',
  source: 'INSPIRE ETS metadata 2.0, C.9 [published]',
  check: (ctx) => eachRecord(ctx, (r) => !r.abstract?.trim() && { message: `Record ${label(r)} has an empty abstract.`, evidence: { abstract: r.abstract } }),
};

import type { Rule } from '../types';
import { eachRecord } from './geo-common';

export const r4: Rule = {
  id: 'R4',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Resource title',
  description: 'The resource title is not empty.',
  source: 'INSPIRE ETS metadata 2.0, C.8 [published]',
  check: (ctx) => eachRecord(ctx, (r) => !r.title?.trim() && { message: `Record ${r.fileIdentifier} has an empty title.`, evidence: { title: r.title } }),
};

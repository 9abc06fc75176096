import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';
import { isIsoDateTime } from './util';

export const r2: Rule = {
  id: 'R2',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Valid metadata date stamp',
  description: 'Exactly one `gmd:dateStamp` with one `gco:Date`/`gco:DateTime`, a valid ISO 8601 date.',
  source: 'INSPIRE ETS metadata 2.0, C.7 [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) =>
      r.dateStamp === null
        ? { message: `Record ${label(r)} has no dateStamp.`, evidence: { dateStamp: null } }
        : !isIsoDateTime(r.dateStamp) && { message: `dateStamp ${JSON.stringify(r.dateStamp)} of ${label(r)} is not a valid ISO 8601 date.`, evidence: { dateStamp: r.dateStamp } },
    ),
};

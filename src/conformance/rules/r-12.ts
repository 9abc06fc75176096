import type { Rule } from '../types';
import { isIsoDateTime } from './util';
import { DATA_REGULATION, SERVICE_REGULATION, claimsInspire, eachRecord, label } from './geo-common';

export const r12: Rule = {
  id: 'R12',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Conformity with the INSPIRE implementing rule',
  description:
    'INSPIRE records (theme keyword, `inspireidentifiziert` or an INSPIRE conformance citation): at least one `DQ_ConformanceResult` whose specification cites VO 1089/2010 (datasets/series; services may cite it too) or VO 976/2009 (services) with a title and a valid ISO 8601 date; `pass` is true/false or nil ("not evaluated").',
  source: 'INSPIRE ETS metadata 2.0, C.20–C.22 (TG MD 2.0 Req C.20–C.22) [published]',
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      if (!claimsInspire(r)) return null;
      const service = r.service !== null || r.type === 'service';
      const cites = (t: string | null) => DATA_REGULATION.test(t ?? '') || (service && SERVICE_REGULATION.test(t ?? ''));
      const cited = r.conformity.filter((c) => cites(c.title));
      const expected = service ? 'VO 976/2009 (or 1089/2010)' : 'VO 1089/2010';
      if (cited.length === 0) {
        return { message: `INSPIRE ${service ? 'service' : r.type ?? 'record'} ${label(r)} has no conformance result citing ${expected}.`, evidence: { expected, conformity: r.conformity } };
      }
      return !cited.some((c) => c.title?.trim() && c.date && isIsoDateTime(c.date)) && {
        message: `Conformance citation of ${label(r)} lacks a valid publication date (${cited.map((c) => JSON.stringify(c.date)).join(', ')}).`,
        evidence: { conformity: cited },
      };
    }),
};

import type { IsoRecord } from '../../formats/iso19139/iso19139';
import type { FindingDraft, RuleContext } from '../types';

/** Runs a per-record check over the GeoMIS catalogue (not-evaluated when it was not collected). */
export function eachRecord(ctx: RuleContext, fn: (r: IsoRecord) => Omit<FindingDraft, 'subject'> | null | undefined | false) {
  const records = ctx.input.geomis?.records;
  if (!records) return { notEvaluated: 'GeoMIS catalogue not collected' };
  const out: FindingDraft[] = [];
  for (const r of records) {
    const f = fn(r);
    if (f) out.push({ subject: r.fileIdentifier, ...f });
  }
  return out;
}

export const label = (r: IsoRecord) => `"${r.title ?? r.fileIdentifier}"`;
export const isDataType = (r: IsoRecord) => r.type === 'dataset' || r.type === 'series';

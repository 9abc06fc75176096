import type { IsoRecord } from '../../formats/iso19139/iso19139';
import type { FindingDraft, Rule, RuleContext } from '../types';
import { isDataType, label } from './geo-common';

/**
 * Records sharing a resource identifier code. The record the code was minted for (its fileIdentifier is part of
 * the code, GDI-DE practice) keeps it; the others are the duplicates. Without such a record all are reported.
 */
export function duplicateIdentifiers(ctx: RuleContext): { record: IsoRecord; code: string; others: string[] }[] {
  const byCode = new Map<string, IsoRecord[]>();
  for (const r of ctx.input.geomis?.records ?? []) {
    if (!isDataType(r)) continue;
    for (const c of new Set(r.resourceIdentifiers.map((i) => i.code.trim()).filter(Boolean))) byCode.set(c, [...(byCode.get(c) ?? []), r]);
  }
  const out: { record: IsoRecord; code: string; others: string[] }[] = [];
  for (const [code, rs] of byCode) {
    if (rs.length < 2) continue;
    const owners = rs.filter((r) => code.toLowerCase().includes(r.fileIdentifier.toLowerCase()));
    for (const r of rs) if (owners.length !== 1 || owners[0] !== r) out.push({ record: r, code, others: rs.filter((x) => x !== r).map((x) => x.fileIdentifier) });
  }
  return out;
}

export const r10: Rule = {
  id: 'R10',
  severity: 'error',
  scope: 'record',
  upstream: 'geomis',
  title: 'Unique resource identifier',
  description: 'Dataset/series: a resource identifier code is present (CharacterString or Anchor) and unique in the catalogue.',
  source: 'INSPIRE ETS metadata 2.0, 1.3 [published]',
  check: (ctx) => {
    const records = ctx.input.geomis?.records;
    if (!records) return { notEvaluated: 'GeoMIS catalogue not collected' };
    const out: FindingDraft[] = records
      .filter((r) => isDataType(r) && !r.resourceIdentifiers.some((i) => i.code.trim()))
      .map((r) => ({ subject: r.fileIdentifier, message: `${r.type} record ${label(r)} has no resource identifier.`, evidence: { resourceIdentifiers: r.resourceIdentifiers } }));
    for (const d of duplicateIdentifiers(ctx)) {
      out.push({ subject: d.record.fileIdentifier, message: `Resource identifier ${d.code} of ${label(d.record)} is also used by ${d.others.join(', ')}.`, evidence: { code: d.code, alsoUsedBy: d.others } });
    }
    return out;
  },
};

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

/** INSPIRE implementing rules a DQ_ConformanceResult cites (found by number: titles are in the metadata language). */
export const DATA_REGULATION = /\b1089\s*\/\s*2010\b/;
export const SERVICE_REGULATION = /\b976\s*\/\s*2009\b/;

/**
 * INSPIRE theme keyword (ETS 1.4): the mapper's inspireThemes (English thesaurus title or theme-register Anchor) or a
 * group whose thesaurus is a language version of "GEMET - INSPIRE themes, version 1.0" (e.g. Dutch "GEMET - INSPIRE
 * thema's, versie 1.0" in the recorded DOV record).
 */
export const hasInspireTheme = (r: IsoRecord) =>
  r.inspireThemes.length > 0 || r.keywordGroups.some((g) => g.keywords.length > 0 && /GEMET/i.test(g.thesaurus?.text ?? '') && /INSPIRE/i.test(g.thesaurus?.text ?? ''));

/**
 * Does the record present itself as INSPIRE metadata? An INSPIRE theme keyword, the GDI-DE keyword
 * `inspireidentifiziert`, or a conformance result citing an INSPIRE implementing rule (VO 1089/2010, 976/2009).
 */
export const claimsInspire = (r: IsoRecord) =>
  hasInspireTheme(r) ||
  r.keywordGroups.some((g) => g.keywords.some((k) => k.text.trim().toLowerCase() === 'inspireidentifiziert')) ||
  r.conformity.some((c) => DATA_REGULATION.test(c.title ?? '') || SERVICE_REGULATION.test(c.title ?? ''));

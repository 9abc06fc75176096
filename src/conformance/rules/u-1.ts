import type { IsoBBox, IsoRecord } from '../../formats/iso19139/iso19139';
import { ARS_CODE_SPACE, REFERENCE_SOURCE, isArs } from '../../reference/municipalities';
import type { Rule } from '../types';
import { eachRecord, label } from './geo-common';
import { classifyArs, type ArsClass } from './portal-ars';
import { THURINGIA } from './r-9b';

/**
 * The Regionalschlüssel a record declares: EX_GeographicDescription identifiers and keywords that are a well-formed ARS
 * (2/3/5/9/12 digits), written plainly or as the Destatis URN (`urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs:<ars>`,
 * also as a gmx:Anchor href). Place names ("Vlaanderen", "Deutschland") are not keys.
 */
export function regionalKeys(r: IsoRecord): { field: string; value: string }[] {
  const key = (v: string | null | undefined) => {
    const s = v?.trim() ?? '';
    const bare = s.startsWith(`${ARS_CODE_SPACE}:`) ? s.slice(ARS_CODE_SPACE.length + 1) : s;
    return isArs(bare) ? bare : null;
  };
  const out: { field: string; value: string }[] = [];
  for (const g of r.geographicIdentifiers ?? []) {
    const v = key(g.code);
    if (v) out.push({ field: 'EX_GeographicDescription geographicIdentifier', value: v });
  }
  for (const grp of r.keywordGroups)
    for (const k of grp.keywords) {
      const v = key(k.text) ?? key(k.href);
      if (v) out.push({ field: 'keyword', value: v });
    }
  return out;
}

const within = (b: IsoBBox) => b.west >= THURINGIA.west && b.east <= THURINGIA.east && b.south >= THURINGIA.south && b.north <= THURINGIA.north;

const REASON: Record<Exclude<ArsClass['kind'], 'ok'>, string> = {
  foreign: 'outside Thüringen',
  unknown: 'not in the register',
  'wrong-verband': 'not in the register: wrong Gemeindeverband part',
  former: 'no longer in the register',
};

export const u1: Rule = {
  id: 'U-1',
  severity: 'info',
  scope: 'record',
  upstream: 'geomis',
  title: 'Regionalschlüssel of the area',
  description:
    'A Thuringian geo record — one declaring a `16…` key, or whose bounding box lies within Thüringen (≈ 9.8–12.7 E, 50.2–51.7 N; a Germany-wide box does not) — carries the Regionalschlüssel of its area as an `EX_GeographicDescription` geographic identifier (or keyword), in a form the portal uses: a key of the configured Destatis register (Land, district, Gemeindeverband or municipality, natural or padded to 12 digits).',
  source: `GDI-DE convention [unverified]; register: ${REFERENCE_SOURCE}`,
  check: (ctx) =>
    eachRecord(ctx, (r) => {
      const { input, ix } = ctx;
      const keys = regionalKeys(r);
      const thuringian = keys.some((k) => k.value.startsWith('16')) || r.bboxes.some(within);
      if (!thuringian) return null;
      const classes = keys.map((k) => ({ ...k, class: classifyArs(k.value, input, ix) }));
      if (classes.some((c) => c.class.kind === 'ok')) return null;
      if (classes.length === 0)
        return {
          message: `Thuringian record ${label(r)} carries no Regionalschlüssel of its area (no EX_GeographicDescription identifier or keyword that is an ARS).`,
          evidence: { geographicIdentifiers: r.geographicIdentifiers ?? [], bbox: r.bbox },
        };
      const values = classes.map((c) => ({
        field: c.field,
        value: c.value,
        reason: c.class.kind === 'ok' ? 'ok' : REASON[c.class.kind],
        ...(c.class.kind === 'wrong-verband' ? { expected: c.class.municipality.ars, municipality: c.class.municipality.name } : {}),
        ...(c.class.kind === 'former' ? { expected: c.class.change.current } : {}),
      }));
      const expected = values.find((v) => 'expected' in v)?.expected;
      return {
        message: `Regionalschlüssel of ${label(r)}: ${values.map((v) => `${v.value} is ${v.reason}${v.expected ? ` (the register's ARS is ${v.expected})` : ''}`).join('; ')}.`,
        evidence: { values, register: REFERENCE_SOURCE },
        ars: expected && ix.municipalityByArs.has(expected) ? expected : undefined,
      };
    }),
};

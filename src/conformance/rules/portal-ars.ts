import { arsChangeOf, type ArsChange } from '../../reference/ars-changes';
import type { MunicipalityRecord } from '../../reference/municipalities';
import type { ConformanceInput } from '../input';
import type { InputIndex } from '../indexes';

/** ARS of the Bund: inherited federal services are declared for it. */
export const BUND_ARS = '000000000000';

/** What the register says about one regional key (P-6, P-8, P-9 each report one class). */
export type ArsClass =
  | { kind: 'ok' }
  /** P-6: outside Thüringen (not `16…`, not the Bund key). */
  | { kind: 'foreign' }
  /** P-6: `16…` but neither a municipality, a Verband, a district nor the Land of the register. */
  | { kind: 'unknown' }
  /** P-8: the municipality exists, but the Gemeindeverband part (digits 6–9) is not the register's. */
  | { kind: 'wrong-verband'; municipality: MunicipalityRecord }
  /** P-9: a key that left the register (merger, new kreisfreie Stadt). */
  | { kind: 'former'; change: ArsChange };

/**
 * Levels of the register: Land `16`, districts (5), Gemeindeverbände (9: the first nine digits of every municipality's
 * ARS — a Verwaltungsgemeinschaft, or the verbandsfreie Gemeinde as its own Gemeindeverband), each also padded to 12 digits.
 */
function levels(municipalities: readonly MunicipalityRecord[]): Set<string> {
  const out = new Set<string>(['16']);
  for (const m of municipalities) {
    out.add(m.district.ars);
    out.add(m.ars.slice(0, 9));
    if (m.verband) out.add(m.verband.ars);
  }
  for (const l of [...out]) out.add(l.padEnd(12, '0'));
  return out;
}

const cache = new WeakMap<readonly MunicipalityRecord[], Set<string>>();

/** Classifies a syntactically valid ARS (2, 3, 5, 9 or 12 digits; P-5 reports the others) against the register in scope. */
export function classifyArs(ars: string, input: ConformanceInput, ix: InputIndex): ArsClass {
  if (ars === BUND_ARS || ix.municipalityByArs.has(ars)) return { kind: 'ok' };
  let lv = cache.get(input.municipalities);
  if (!lv) cache.set(input.municipalities, (lv = levels(input.municipalities)));
  if (lv.has(ars)) return { kind: 'ok' };
  const change = arsChangeOf(ars);
  if (change) return { kind: 'former', change };
  if (!ars.startsWith('16')) return { kind: 'foreign' };
  if (ars.length === 12) {
    const m = ix.municipalityByAgs.get(ars.slice(0, 5) + ars.slice(9, 12));
    if (m) return { kind: 'wrong-verband', municipality: m };
  }
  return { kind: 'unknown' };
}

/** Classifies an AGS (8 digits): in the register, outside Thüringen, or unknown. Former AGS are those of former ARS. */
export function classifyAgs(ags: string, ix: InputIndex): ArsClass {
  if (ix.municipalityByAgs.has(ags)) return { kind: 'ok' };
  if (!ags.startsWith('16')) return { kind: 'foreign' };
  return { kind: 'unknown' };
}

/** Every regional key the portal data declares, with the record it belongs to: ThAVEL Onlinedienst areas and PVOG OE address coding. */
export function declaredKeys(input: ConformanceInput): { subject: string; field: string; value: string; kind: 'ars' | 'ags'; ars: string | undefined }[] {
  const out: ReturnType<typeof declaredKeys> = [];
  for (const e of input.thavel?.catalogue.entries ?? []) for (const a of e.areas) out.push({ subject: e.id, field: 'Onlinedienst gebietID', value: a, kind: 'ars', ars: a.startsWith('16') ? a : undefined });
  for (const u of input.pvog.units) {
    for (const a of u.addresses) {
      if (a.ars && /^\d+$/.test(a.ars)) out.push({ subject: u.id, field: 'OE regionalschluessel', value: a.ars, kind: 'ars', ars: a.ars.startsWith('16') ? a.ars : undefined });
      if (a.ags && /^\d{8}$/.test(a.ags)) out.push({ subject: u.id, field: 'OE gemeindeschluessel', value: a.ags, kind: 'ags', ars: a.ars?.startsWith('16') ? a.ars : undefined });
    }
  }
  return out;
}

type DeclaredKey = ReturnType<typeof declaredKeys>[number];

/**
 * The first declared ARS per record that the register classifies as `kind` (P-8 and P-9 report one finding per record,
 * on the key that shows the fault).
 */
export function firstKeysOfClass<K extends ArsClass['kind']>(
  input: ConformanceInput,
  ix: InputIndex,
  kind: K,
): { key: DeclaredKey; class: Extract<ArsClass, { kind: K }> }[] {
  const out: { key: DeclaredKey; class: Extract<ArsClass, { kind: K }> }[] = [];
  const seen = new Set<string>();
  for (const k of declaredKeys(input)) {
    if (k.kind !== 'ars' || seen.has(k.subject)) continue;
    const c = classifyArs(k.value, input, ix);
    if (c.kind !== kind) continue;
    seen.add(k.subject);
    out.push({ key: k, class: c as Extract<ArsClass, { kind: K }> });
  }
  return out;
}

/**
 * The Amtlicher Regionalschlüssel (ARS) and its levels: 2 digits Land, 3 Regierungsbezirk, 5 Kreis,
 * 9 Gemeindeverband, 12 Gemeinde (docs/upstreams/portal-pvog.md §6). The one definition of a valid ARS: the
 * GraphQL scalar, the municipality lookup and the service portal all test against it.
 */
export const ARS_LENGTHS = { land: 2, regierungsbezirk: 3, kreis: 5, gemeindeverband: 9, gemeinde: 12 } as const;
export type ArsLevel = keyof typeof ARS_LENGTHS;

const LEVEL_BY_LENGTH = new Map(Object.entries(ARS_LENGTHS).map(([level, n]) => [n as number, level as ArsLevel]));

/** The level of a well-formed ARS, or undefined when `v` is not one (wrong length, non-digits). */
export function arsLevel(v: string): ArsLevel | undefined {
  return /^\d+$/.test(v) ? LEVEL_BY_LENGTH.get(v.length) : undefined;
}

export const isArs = (v: string): boolean => arsLevel(v) !== undefined;

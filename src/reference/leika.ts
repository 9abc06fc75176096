/**
 * The form of a LeiKa key (Leistungsschlüssel): 14 digits starting with 99 (docs/upstreams/portal-pvog.md; FIT-Connect
 * `leikaKey`). One rule for the `LeikaKey` scalar and conformance rule P-1.
 */
export const isLeikaKey = (v: string): boolean => /^99\d{12}$/.test(v);

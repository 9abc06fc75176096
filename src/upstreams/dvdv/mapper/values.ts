import { isDvdvOrganizationKey } from '../keys';

/**
 * Field readers for DVDV v2 bodies: every value that reaches a GraphQL type is checked here, so a value of an
 * unexpected form becomes UPSTREAM_BAD_RESPONSE naming `dvdv` and the field (`DvdvShapeError` → client.ts),
 * never a serialisation failure (INTERNAL_SERVER_ERROR) later in the schema. Absent optional values are null.
 */
export class DvdvShapeError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    /** `ANSWER_MISMATCH`: well-formed, but about another organisation or service than asked. */
    readonly reason: 'BAD_VALUE' | 'ANSWER_MISMATCH' = 'BAD_VALUE',
  ) {
    super(`DVDV response field "${field}": expected ${expected}`);
  }
}

export type Obj = Record<string, unknown>;

export const obj = (v: unknown, field: string): Obj => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new DvdvShapeError(field, 'an object');
  return v as Obj;
};

export const list = (v: unknown, field: string): unknown[] => {
  if (!Array.isArray(v)) throw new DvdvShapeError(field, 'an array');
  return v;
};

/** An optional array: absent or null is empty; anything else but an array is an error. */
export const optList = (v: unknown, field: string): unknown[] => (v == null ? [] : list(v, field));

export const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export const reqStr = (o: Obj, f: string, path: string): string => {
  const v = s(o[f]);
  if (v === null) throw new DvdvShapeError(`${path}.${f}`, 'a string');
  return v;
};

/** The GraphQL `Int` range: a larger or fractional number would fail serialisation. */
export const int = (o: Obj, f: string, path: string): number | null => {
  const v = o[f];
  if (v == null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) throw new DvdvShapeError(`${path}.${f}`, 'an integer');
  return v;
};

/** An optional int64 id, kept as read when it is a safe integer (recorded bodies carry null). */
export const id = (o: Obj, f: string, path: string): number | null => {
  const v = o[f];
  if (v == null) return null;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new DvdvShapeError(`${path}.${f}`, 'an integer id');
  return v;
};

/** An optional date-time (the spec: `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`), normalised to ISO 8601 UTC. */
export const dateTime = (o: Obj, f: string, path: string): string | null => {
  const v = o[f];
  if (v == null || v === '') return null;
  const t = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new DvdvShapeError(`${path}.${f}`, 'a date-time such as 2026-01-31T00:00:00.000Z');
  return new Date(t).toISOString();
};

export const bool = (o: Obj, f: string, path: string): boolean | null => {
  const v = o[f];
  if (v == null) return null;
  if (typeof v !== 'boolean') throw new DvdvShapeError(`${path}.${f}`, 'a boolean');
  return v;
};

/** Organisation keys (`prefix:id`), each in the form the `DvdvOrganizationKey` scalar serialises. */
export const keys = (o: Obj, f: string, path: string): string[] => keysOf(o, f, path).keys;

/**
 * The same, keeping apart strings that are no well-formed key: the directory really carries such entries (a key
 * without its `prefix:`, docs/upstreams/dvdv.md §3), and conformance rule D-1 has to see them, while a GraphQL view
 * refuses them with the field named (mapper/views.ts). A non-string is no key at all and fails at once.
 */
export const keysOf = (o: Obj, f: string, path: string): { keys: string[]; malformed: { key: string; field: string }[] } => {
  const out = { keys: [] as string[], malformed: [] as { key: string; field: string }[] };
  optList(o[f], `${path}.${f}`).forEach((k, i) => {
    if (typeof k !== 'string' || k.length > 255) throw new DvdvShapeError(`${path}.${f}[${i}]`, 'an organisation key "prefix:id", e.g. "ags:16051000"');
    if (isDvdvOrganizationKey(k)) out.keys.push(k);
    else out.malformed.push({ key: k, field: `${path}.${f}[${i}]` });
  });
  return out;
};

import { untilAborted } from '../../util/abort';
import { isUpstreamError, type UpstreamError, type UpstreamErrorCode } from './errors';
import type { UpstreamName } from './names';
import type { CallContext, Provenanced, SnapshotBacked, SnapshotSlice } from './source';

export type { FallbackNotice, SnapshotBacked, SnapshotFallback, SnapshotSlice } from './source';

/**
 * Last resort of DESIGN §4 and issue 11 item 6: when an upstream is down and neither cache tier holds an entry
 * (the data cache already answers stale-if-error when it can), the loaders answer from the latest harvest
 * snapshot, marked `provenance.stale: true` with the snapshot's harvest time as `fetchedAt`, and the request is
 * told (`CallContext.onFallback`, shown to the client as a response warning).
 *
 * One mechanism for every adapter: the loader wraps its live call in `orSnapshot` and says how its answer is read
 * from the snapshot's items (the item keys of src/harvest/items.ts) and validated. Nothing extra runs unless the
 * live call failed with an outage code. DVDV is excluded by type and at run time: live DVDV answers are never
 * served from a snapshot (4-hour limit, BSI TR-03132), so a DVDV outage stays an error.
 */

/**
 * Outcomes that mean "the upstream cannot answer now". Answers the upstream did give (no such record, access
 * protected, request rejected, an OGC exception) and a cancelled request are passed on, never papered over.
 */
const OUTAGE: ReadonlySet<UpstreamErrorCode> = new Set<UpstreamErrorCode>([
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
  'UPSTREAM_CIRCUIT_OPEN',
  'UPSTREAM_OVERLOADED',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_TOO_LARGE',
  'UPSTREAM_ENDPOINT_NOT_FOUND',
]);

export function isOutage(e: unknown): e is UpstreamError {
  return isUpstreamError(e) && OUTAGE.has(e.code);
}

/**
 * Reads the answer from a slice of the snapshot: undefined when the snapshot does not cover the question or an
 * item fails validation (then the live error stands).
 */
export type FromSnapshot<T> = (slices: SnapshotSlice[]) => T | undefined;

/**
 * The live answer, or — when it failed with an outage and the request may use the snapshot — the snapshot's.
 * `prefixes` are the item-key prefixes the answer is read from (one slice each, in order).
 */
export async function orSnapshot<T>(
  call: CallContext,
  upstream: SnapshotBacked,
  live: () => Promise<Provenanced<T>>,
  prefixes: readonly string[],
  from: FromSnapshot<T>,
): Promise<Provenanced<T>> {
  try {
    return await live();
  } catch (e) {
    const answer = await fromSnapshot(call, upstream, e, prefixes, from);
    if (answer) return answer;
    throw e;
  }
}

/** The snapshot's answer for a failed live call `e`, or undefined (the caller rethrows `e`). */
export async function fromSnapshot<T>(
  call: CallContext,
  upstream: SnapshotBacked,
  e: unknown,
  prefixes: readonly string[],
  from: FromSnapshot<T>,
): Promise<Provenanced<T> | undefined> {
  if (!call.snapshot || (upstream as UpstreamName) === 'dvdv' || !isOutage(e) || e.upstream !== upstream || call.signal.aborted) return undefined;
  let slices: SnapshotSlice[];
  try {
    // Bounded by the request: a database that does not answer either must not hold the upstream's error back.
    const budget = AbortSignal.any([call.signal, AbortSignal.timeout(Math.max(0, call.deadline - Date.now()))]);
    const read = await untilAborted(Promise.all(prefixes.map((p) => call.snapshot!.read(upstream, p, call.trace))), budget);
    if (read.some((s) => s === null)) return undefined;
    slices = read as SnapshotSlice[];
  } catch {
    return undefined; // the database is not there either: the upstream's error is the answer
  }
  const value = from(slices);
  if (value === undefined) return undefined;
  const at = slices.reduce((a, s) => (s.harvestedAt < a ? s.harvestedAt : a), slices[0].harvestedAt);
  call.onStale?.();
  call.onFallback?.({ upstream, cause: e.code, snapshotId: slices[0].snapshotId, harvestedAt: at, message: e.message });
  return { value, provenance: { source: upstream, fetchedAt: at, stale: true } };
}

// ---------------------------------------------------------------- validation of stored payloads

/** Minimal structural checks of stored DTOs: a payload that does not have the shape the mapper gives is not served. */
export const shape = {
  obj: (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
  str: (v: unknown): v is string => typeof v === 'string',
  strOrNull: (v: unknown): v is string | null => v === null || typeof v === 'string',
  strings: (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  arr: (v: unknown): v is unknown[] => Array.isArray(v),
};

/** `items` mapped by `guard`; undefined as soon as one fails (a half-valid answer is not served). */
export function allValid<T>(items: readonly { payload: unknown }[], guard: (p: unknown) => T | undefined): T[] | undefined {
  const out: T[] = [];
  for (const i of items) {
    const v = guard(i.payload);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

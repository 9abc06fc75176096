/**
 * Batching helpers for DataLoader batch functions: the one place that cuts key lists into upstream-sized
 * requests and turns a failed key into that key's error (DataLoader rejects only that key's `load`).
 */

/** `xs` in slices of at most `size` (size ≥ 1), order kept. */
export function chunk<T>(xs: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size: expected an integer ≥ 1, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

export const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** One call per key, all at once; a key whose call fails gets its Error in its slot instead of failing the batch. */
export function settlePerKey<K, V>(keys: readonly K[], one: (key: K) => Promise<V>): Promise<(V | Error)[]> {
  return Promise.all(keys.map((k) => one(k).catch(asError)));
}

import DataLoader from 'dataloader';

/**
 * A per-request DataLoader that can also answer synchronously (issue 15): `now(key)` gives the request's answer for
 * `key` when it has one already, or when `readNow` can read it at once (fresh cache hits, see runtime/paging.ts
 * `pagesNow`); then the loader is primed with it, so `load(key)` gives the same answer. While a `load` of the key is
 * under way, or after it failed, `now` gives undefined and the caller awaits `load` as before: one answer per key
 * and request, whichever way it was read. A resolver that gets its value synchronously costs no promise, which
 * matters for fields resolved once per list item (`AdministrativeService.onlineServices`, 20 per page).
 */
export interface LoaderWithNow<K, V> {
  loader: DataLoader<K, V, string>;
  now(key: K): V | undefined;
}

export function loaderWithNow<K, V>(
  batch: (keys: readonly K[]) => Promise<(V | Error)[]>,
  cacheKeyFn: (key: K) => string,
  readNow: (key: K) => V | undefined,
): LoaderWithNow<K, V> {
  const settled = new Map<string, V>();
  const asked = new Map<string, Promise<V>>();
  const loader = new DataLoader<K, V, string>(
    async (keys) => {
      const values = await batch(keys);
      values.forEach((v, i) => {
        if (!(v instanceof Error)) settled.set(cacheKeyFn(keys[i]), v);
      });
      return values;
    },
    { cacheKeyFn, cacheMap: asked },
  );
  return {
    loader,
    now(key) {
      const c = cacheKeyFn(key);
      const known = settled.get(c);
      if (known !== undefined || asked.has(c)) return known;
      const v = readNow(key);
      if (v === undefined) return undefined;
      settled.set(c, v);
      loader.prime(key, v);
      return v;
    },
  };
}

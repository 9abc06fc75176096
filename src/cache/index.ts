/**
 * Layered data cache (DESIGN §4): L1 byte-bounded LRU per process, L2 Redis shared by replicas,
 * single-flight, stale-while-revalidate, stale-if-error, ETag/Last-Modified revalidation and
 * hard per-upstream age limits (DVDV 4 h). Generic over an async loader:
 *
 *   const r = await cache.get(key, { upstream: 'pvog', operation: 'services-by-ars', ttlMs: 600_000,
 *     staleIfErrorMs: 3_600_000 }, (prev, { signal }) => client.fetch(..., prev?.etag, signal));
 *   // r.value, r.fetchedAt, r.stale → provenance { upstream, fetchedAt, stale }
 */
export {
  createCache,
  cacheKey,
  DataCache,
  type CacheOptions,
  type CacheResult,
  type CacheTier,
  type CacheEvent,
  type CacheStats,
  type GetOptions,
  type Loader,
  type LoadResult,
  type PreviousValue,
  type PurgeResult,
  type StaleReason,
} from './data-cache';
export { type PurgeFilter } from './l2';
export { UPSTREAM_HARD_MAX_AGE_MS, resolvePolicy, mergeCeilings, type CachePolicy, type ResolvedPolicy } from './policy';
export { CacheClosedError, CacheConfigError, CacheValueError } from './errors';

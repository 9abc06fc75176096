import type { RequestTrace } from '../../observability/tracing';
import type { CachePolicy, DataCache, LoadResult } from '../../cache';
import { isUpstreamError, UpstreamError, type UpstreamErrorCode } from './errors';
import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from './http';
import type { FreeTextGuard } from './free-text';
import type { UpstreamName } from './names';

/** What every upstream-derived answer carries: where it came from and how fresh it is. */
export interface ProvenanceInfo {
  source: UpstreamName;
  fetchedAt: Date;
  stale: boolean;
}

/**
 * The provenance of an answer assembled from several upstream answers: the oldest fetch time (the answer is
 * no fresher than its oldest part) and stale if any part was served stale. The source is the first part's.
 * The one implementation of this rule; `empty` is what an answer built from no parts reports.
 */
export function mergeProvenance<P extends Pick<ProvenanceInfo, 'fetchedAt' | 'stale'> & { source: string } = ProvenanceInfo>(parts: readonly P[], empty?: P): P {
  if (parts.length === 0) {
    if (!empty) throw new TypeError('mergeProvenance: no parts and no provenance for the empty answer');
    return empty;
  }
  return parts.reduce((a, b) => ({ source: a.source, fetchedAt: a.fetchedAt <= b.fetchedAt ? a.fetchedAt : b.fetchedAt, stale: a.stale || b.stale }) as P);
}

/** A copy with exactly the public fields (DTOs are cached as JSON; no extra keys leak into the schema). */
export const provenanceOf = (p: ProvenanceInfo): ProvenanceInfo => ({ source: p.source, fetchedAt: p.fetchedAt, stale: p.stale });

export interface Provenanced<T> {
  value: T;
  provenance: ProvenanceInfo;
}

/** Per-request limits every upstream call inherits from the GraphQL request. */
export interface CallContext {
  readonly signal: AbortSignal;
  /** Whether `signal` has fired, without making it (see RequestInit.aborted); absent = read `signal`. */
  aborted?(): boolean;
  deadline: number;
  /** Told when an answer is served stale, so the request's response is not cached as if fresh. */
  onStale?: () => void;
  /** Who asks (pseudonymous): each client gets a fair share of the upstream's concurrency (runtime/fair-bulkhead.ts). */
  client?: string;
  /**
   * The latest harvest snapshot, for answers the upstream cannot give now (runtime/fallback.ts). Absent in
   * harvests (they must read the upstream) and in bare setups.
   */
  snapshot?: SnapshotFallback;
  /** Told when an answer came from the snapshot because the upstream failed (a response warning). */
  onFallback?: (notice: FallbackNotice) => void;
  /** The GraphQL request's trace: its upstream requests send it as `traceparent` and their log lines name it. */
  trace?: RequestTrace;
}

/** Upstreams whose live answers a snapshot may back (never DVDV). */
export type SnapshotBacked = Exclude<UpstreamName, 'dvdv'>;

export interface SnapshotSlice {
  snapshotId: number;
  /** When the snapshot read this upstream (its last harvest of it): the `fetchedAt` of answers taken from it. */
  harvestedAt: Date;
  /** Items whose key starts with the prefix asked, ordered by key; payloads as stored (validate before use). */
  items: readonly { key: string; payload: unknown }[];
}

/** Read access to the latest complete snapshot (src/harvest/fallback.ts over PostgreSQL/PGlite; used by runtime/fallback.ts). */
export interface SnapshotFallback {
  /** Items of one upstream under a key prefix; null when there is no complete snapshot or it cannot be read. */
  read(upstream: SnapshotBacked, prefix: string, trace?: RequestTrace): Promise<SnapshotSlice | null>;
}

/** What the request is told when an answer came from the snapshot because the upstream failed. */
export interface FallbackNotice {
  upstream: SnapshotBacked;
  /** The outage the live call ended with, e.g. UPSTREAM_UNAVAILABLE. */
  cause: UpstreamErrorCode;
  snapshotId: number;
  harvestedAt: Date;
  /** The live error's client-safe message (names the upstream). */
  message: string;
}


export interface CachedCall<T> {
  /** Names the upstream operation (cache key namespace, metrics, TTL table), e.g. `servicedescriptions.byArs`. */
  operation: string;
  /** Normalised request identity within the operation (sorted ids, padded keys…). */
  key: string;
  request: UpstreamRequest;
  /** Maps the upstream document to our DTO; must return plain JSON data (it is cached as JSON). */
  parse(res: UpstreamResponse): T;
  /** Overrides of the source's default TTLs for this operation. */
  policy?: Partial<Omit<CachePolicy, 'upstream' | 'operation'>>;
  /** The key holds client-chosen text (a search): short lifetime and a per-client bound on new entries (runtime/free-text.ts). */
  freeText?: boolean;
  /** Every reader treats the value as immutable, so cache hits may share one parsed object (DataCache `readOnly`). */
  readOnly?: boolean;
}

export const MIN = 60_000;
export const HOUR = 60 * MIN;

export interface SourceDefaults {
  ttlMs: number;
  staleWhileRevalidateMs: number;
  staleIfErrorMs: number;
}

/**
 * One upstream as adapters see it: its HTTP client behind the shared cache. Every adapter fetches
 * through `fetch`, so caching, conditional revalidation, stale marking and errors are uniform.
 */
export class UpstreamSource {
  constructor(
    readonly name: UpstreamName,
    readonly client: UpstreamClient,
    readonly cache: DataCache,
    readonly defaults: SourceDefaults,
    private readonly freeText?: FreeTextGuard,
  ) {}

  async fetch<T>(call: CachedCall<T>, ctx: CallContext): Promise<Provenanced<T>> {
    try {
      return await this.fetchCached(call, ctx);
    } catch (e) {
      // The cache rejects with the bare abort reason when the GraphQL request is cancelled or hits its
      // deadline while waiting; the client must still get a typed error naming the upstream.
      if (isUpstreamError(e) || !ctx.signal.aborted) throw e;
      const timedOut = Date.now() >= ctx.deadline - 50;
      throw new UpstreamError({
        code: timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_ABORTED',
        upstream: this.name,
        production: this.client.production,
        internal: { reason: String(ctx.signal.reason) },
        cause: e,
      });
    }
  }

  /**
   * `fetch`'s answer when the cache holds it fresh, synchronously (same cache metrics and span); undefined when
   * `fetch` would have to wait. Free-text calls always go through `fetch` (their policy is per client).
   */
  fetchFresh<T>(call: CachedCall<T>, ctx: CallContext): Provenanced<T> | undefined {
    if (call.freeText || (ctx.aborted ? ctx.aborted() : ctx.signal.aborted)) return undefined;
    const policy: CachePolicy = { upstream: this.name, operation: call.operation, ...this.defaults, ...call.policy };
    const r = this.cache.freshNow<T>(call.key, policy, { readOnly: call.readOnly });
    return r && { value: r.value, provenance: { source: this.name, fetchedAt: r.fetchedAt, stale: false } };
  }

  private async fetchCached<T>(call: CachedCall<T>, ctx: CallContext): Promise<Provenanced<T>> {
    let policy: CachePolicy = { upstream: this.name, operation: call.operation, ...this.defaults, ...call.policy };
    const ft = call.freeText ? this.freeText : undefined;
    if (ft) {
      // Kept for the short free-text lifetime at most, with no stale window stretching it (Redis expiry included).
      const life = Math.min(policy.ttlMs, ft.ttlMs);
      policy = { ...policy, ttlMs: life, staleWhileRevalidateMs: 0, staleIfErrorMs: 0, hardMaxAgeMs: Math.min(policy.hardMaxAgeMs ?? Infinity, life) };
    }
    const result = await this.cache.get<T>(
      call.key,
      policy,
      async (prev, { signal }): Promise<LoadResult<T>> => {
        const conditional: Record<string, string> = {};
        if (prev?.etag) conditional['if-none-match'] = prev.etag;
        if (prev?.lastModified) conditional['if-modified-since'] = prev.lastModified;
        const res = await this.client.request({
          ...call.request,
          headers: { ...call.request.headers, ...conditional },
          acceptStatus: prev ? [...(call.request.acceptStatus ?? []), 304] : call.request.acceptStatus,
          signal,
          deadline: ctx.deadline,
          client: ctx.client,
          trace: ctx.trace,
        });
        const freshness = cacheControl(res.headers['cache-control']);
        if (res.status === 304 && prev) return { notModified: true, ttlMs: freshness.ttlMs, etag: res.headers.etag, lastModified: res.headers['last-modified'] };
        return {
          value: call.parse(res),
          etag: res.headers.etag,
          lastModified: res.headers['last-modified'],
          ttlMs: freshness.ttlMs,
          noStore: freshness.noStore || (ft !== undefined && !ft.admit(ctx.client, this.name, `${call.operation}:${call.key}`)),
        };
      },
      { signal: ctx.signal, readOnly: call.readOnly, trace: ctx.trace },
    );
    if (result.stale) ctx.onStale?.();
    return { value: result.value, provenance: { source: this.name, fetchedAt: new Date(result.fetchedAt), stale: result.stale } };
  }
}

/** `max-age` shortens or lengthens our TTL; `no-store`/`private` keep the answer out of the shared cache. */
export function cacheControl(header: string | undefined): { ttlMs?: number; noStore?: boolean } {
  if (!header) return {};
  const directives = header.toLowerCase().split(',').map((d) => d.trim());
  if (directives.some((d) => d === 'no-store' || d === 'private')) return { noStore: true };
  const maxAge = directives.find((d) => d.startsWith('s-maxage=')) ?? directives.find((d) => d.startsWith('max-age='));
  const seconds = maxAge ? Number(maxAge.split('=')[1]) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? { ttlMs: seconds * 1000 } : {};
}

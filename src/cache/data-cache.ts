import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { freshness, makeEntry, makeMeta, type Freshness, type StoredEntry } from './entry';
import { CacheClosedError, CacheConfigError, CacheValueError } from './errors';
import { L1Tier } from './l1';
import { RedisTier, type L2State, type PurgeFilter } from './l2';
import { cacheMetrics, reportL1 } from './metrics';
import { checkUpstreamId, mergeCeilings, resolvePolicy, type CachePolicy, type ResolvedPolicy } from './policy';
import { untilAborted } from '../util/abort';
import { SpanKind, inSpan, recordSpan, traceFields, type RequestTrace } from '../observability/tracing';

export type CacheTier = 'l1' | 'l2' | 'origin';
export type StaleReason = 'revalidating' | 'upstream-error';

export interface CacheResult<T> {
  value: T;
  /** When the origin last confirmed this value (load or 304) — the provenance `fetchedAt`. */
  fetchedAt: Date;
  stale: boolean;
  staleReason?: StaleReason;
  tier: CacheTier;
}

/** What a loader gets to revalidate: the validators and value of the entry it may replace. */
export interface PreviousValue<T> {
  readonly etag?: string;
  readonly lastModified?: string;
  readonly fetchedAt: Date;
  /** Parsed on access: conditional loaders that get a 304 never pay for it. */
  readonly value: T;
}

export type LoadResult<T> =
  | {
      value: T;
      etag?: string;
      lastModified?: string;
      /** Overrides policy.ttlMs (e.g. from Cache-Control max-age); still capped by the hard max age. */
      ttlMs?: number;
      /** Serve this value but do not keep it (Cache-Control: no-store). */
      noStore?: boolean;
    }
  | { notModified: true; etag?: string; lastModified?: string; ttlMs?: number };

/**
 * Fetches from the origin. `prev` is set when an older entry exists; the loader may then answer
 * `{ notModified: true }`. `signal` aborts only when every caller waiting for this load gave up.
 * Values must be plain JSON data: they are stored as JSON text, so a Date comes back as a string.
 */
export type Loader<T> = (prev: PreviousValue<T> | undefined, ctx: { signal: AbortSignal }) => Promise<LoadResult<T>>;

export type CacheEvent =
  | ({ type: 'stale-served'; upstream: string; operation: string; key: string; reason: StaleReason; fetchedAt: Date; error?: unknown } & TraceFields)
  | ({ type: 'refresh-failed'; upstream: string; operation: string; key: string; error: unknown } & TraceFields)
  | { type: 'l2-state'; state: L2State }
  | { type: 'l2-error'; op: string; error?: unknown };

export interface CacheOptions {
  /** L1 bound in accounted bytes (serialised JSON text plus a per-entry overhead). */
  maxBytes: number;
  /** Largest single entry kept (both tiers). Default maxBytes / 8, so one value cannot flush the cache. */
  maxEntryBytes?: number;
  /** Shared L2. `{ url }`: the cache owns the connection; a Redis instance stays yours to close. */
  redis?: { url: string } | Redis;
  /** Redis key prefix; keys are `<keyPrefix>:<upstream>:<operation>:<key>`. Default `thuegate:cache`. */
  keyPrefix?: string;
  /** Metrics label for L1 gauges. Default `data`. */
  name?: string;
  /** Cache clock (epoch ms). */
  now?: () => number;
  /** Per-upstream hard max age overrides; can only tighten the built-in ceilings (DVDV 4 h). */
  hardMaxAgeMs?: Readonly<Record<string, number>>;
  /** Which loader errors may be answered with a stale value. Default: all. */
  serveStaleOn?: (error: unknown) => boolean;
  /** Log sink; DVDV rules want every stale serve logged. Exceptions thrown here are swallowed. */
  onEvent?: (event: CacheEvent) => void;
  /** Per Redis command; a slow Redis then costs at most this much per request. Default 250 ms. */
  redisCommandTimeoutMs?: number;
}

export interface CacheStats {
  l1Bytes: number;
  l1Entries: number;
  l1MaxBytes: number;
  l2: 'off' | L2State;
  inflight: number;
}

export interface PurgeResult {
  /** Distinct logical keys removed from either tier. */
  purged: number;
  l1: number;
  l2: number;
  /** False when Redis was unreachable or failed mid-purge: entries may survive there. */
  l2Complete: boolean;
}

export interface GetOptions {
  /** Stops this caller's wait (rejects with the signal's reason); a shared load goes on for other callers. */
  signal?: AbortSignal;
  /**
   * The caller never mutates the value: fresh hits of one stored entry then share one parsed value instead of
   * parsing its JSON per read (issue 15: the ThAVEL catalogue pages were re-parsed by every request).
   */
  readOnly?: boolean;
  /** The GraphQL request asking: events about its lookup name its trace (observability/tracing.ts RequestTrace). */
  trace?: RequestTrace;
}

/** The asking request's trace ids on an event (when no active span names it in the log line already). */
type TraceFields = Partial<Pick<RequestTrace, 'traceId' | 'spanId'>>;

/** The logical key, as used for L1, in Redis (after the prefix) and by `purge({ keyPrefix })`. */
export function cacheKey(upstream: string, operation: string, key: string): string {
  return `${upstream}:${operation}:${key}`;
}

interface Loaded {
  entry: StoredEntry;
  tier: 'l2' | 'origin';
}

interface Flight {
  promise: Promise<Loaded>;
  controller: AbortController;
  /** Callers that can still give up; when the last leaves and none is bound to stay, the load is aborted. */
  holds: number;
  keepAlive: boolean;
}

interface Candidate {
  entry: StoredEntry;
  tier: 'l1' | 'l2';
  state: Freshness;
}

/** Attributes of a `cache lookup` span. */
const lookupAttributes = (key: string, policy: CachePolicy | undefined) => ({
  'thuegate.upstream': policy?.upstream,
  'thuegate.cache.operation': policy?.operation,
  'thuegate.cache.key': key,
});

const recordFreshSpan = (key: string, policy: CachePolicy, tier: CacheTier) =>
  recordSpan('cache lookup', SpanKind.INTERNAL, () => ({ ...lookupAttributes(key, policy), 'thuegate.cache.tier': tier, 'thuegate.cache.stale': false }));

/** `freshNow` never loads; `freshL1` only checks that a loader was given. */
const noLoad = (): Promise<never> => Promise.reject(new Error('freshNow does not load'));

const samePolicy = (a: CachePolicy, b: CachePolicy): boolean =>
  a.upstream === b.upstream &&
  a.operation === b.operation &&
  a.ttlMs === b.ttlMs &&
  a.staleWhileRevalidateMs === b.staleWhileRevalidateMs &&
  a.staleIfErrorMs === b.staleIfErrorMs &&
  a.hardMaxAgeMs === b.hardMaxAgeMs;

export function createCache(options: CacheOptions): DataCache {
  return new DataCache(options);
}

export class DataCache {
  /** Parsed values of stored entries read with `readOnly`; they go with their entry. */
  private readonly parsed = new WeakMap<StoredEntry, unknown>();
  private readonly l1: L1Tier;
  private readonly l2: RedisTier | undefined;
  private readonly now: () => number;
  private readonly ceilings: Record<string, number>;
  private readonly serveStaleOn: (error: unknown) => boolean;
  private readonly onEvent: ((event: CacheEvent) => void) | undefined;
  private readonly flights = new Map<string, Flight>();
  private readonly l2Reads = new Map<string, Promise<StoredEntry | undefined>>();
  /** Policies resolved and validated before: adapters ask with the same few policies on every call. */
  private readonly resolved = new Map<string, ResolvedPolicy>();
  /** The same by upstream and operation, with the field values each was resolved from. */
  private readonly byName = new Map<string, Map<string, { as: CachePolicy; resolved: ResolvedPolicy }[]>>();
  private byNameCount = 0;
  private readonly unreport: () => void;
  /** Bumped by every purge: loads that started before a purge do not write their (older) result back. */
  private purgeEpoch = 0;
  private closed = false;

  constructor(o: CacheOptions) {
    if (o === null || typeof o !== 'object') throw new CacheConfigError('options', 'an object', o);
    if (!Number.isSafeInteger(o.maxBytes) || o.maxBytes < 1024) {
      throw new CacheConfigError('maxBytes', 'an integer number of bytes >= 1024', o.maxBytes);
    }
    const maxEntryBytes = o.maxEntryBytes ?? Math.floor(o.maxBytes / 8);
    if (!Number.isSafeInteger(maxEntryBytes) || maxEntryBytes < 1 || maxEntryBytes > o.maxBytes) {
      throw new CacheConfigError('maxEntryBytes', `an integer between 1 and maxBytes (${o.maxBytes})`, o.maxEntryBytes);
    }
    const keyPrefix = o.keyPrefix ?? 'thuegate:cache';
    if (typeof keyPrefix !== 'string' || keyPrefix.length === 0) {
      throw new CacheConfigError('keyPrefix', 'a non-empty string', o.keyPrefix);
    }
    const timeout = o.redisCommandTimeoutMs ?? 250;
    if (!Number.isSafeInteger(timeout) || timeout < 1) {
      throw new CacheConfigError('redisCommandTimeoutMs', 'a positive integer', o.redisCommandTimeoutMs);
    }
    this.now = o.now ?? Date.now;
    this.ceilings = mergeCeilings(o.hardMaxAgeMs);
    this.serveStaleOn = o.serveStaleOn ?? (() => true);
    this.onEvent = o.onEvent;

    const name = o.name ?? 'data';
    this.l1 = new L1Tier(o.maxBytes, maxEntryBytes, () => cacheMetrics.evictions.inc({ cache: name }));
    this.unreport = reportL1({ name, bytes: () => this.l1.bytes, entries: () => this.l1.entries });

    if (o.redis) {
      this.l2 = new RedisTier({
        redis: o.redis,
        keyPrefix,
        commandTimeoutMs: timeout,
        instanceId: randomUUID(),
        hooks: {
          error: (op, error) => {
            cacheMetrics.l2Errors.inc({ op });
            if (op !== 'unavailable' && op !== 'connection') this.emit({ type: 'l2-error', op, error });
          },
          state: (state) => this.emit({ type: 'l2-state', state }),
          remotePurge: (filter) => this.purgeL1(filter),
        },
      });
    }
  }

  /** `resolvePolicy` once per distinct policy (the ceilings are fixed for the life of the cache). */
  private resolve(policy: CachePolicy): ResolvedPolicy {
    // Sources build a new policy object per call with the same few values: found by upstream and operation and
    // compared field by field, without building the JSON key below for each of a warm request's lookups (issue 15).
    const named = policy && typeof policy === 'object' && typeof policy.upstream === 'string' && typeof policy.operation === 'string';
    if (!named) return this.resolveByValue(policy);
    let ops = this.byName.get(policy.upstream);
    const seen = ops?.get(policy.operation);
    if (seen) for (const e of seen) if (samePolicy(e.as, policy)) return e.resolved;
    const resolved = this.resolveByValue(policy);
    if (this.byNameCount >= 1000) {
      this.byName.clear();
      this.byNameCount = 0;
      ops = undefined;
    }
    if (!ops) this.byName.set(policy.upstream, (ops = new Map()));
    const list = ops.get(policy.operation) ?? [];
    ops.set(policy.operation, [...list, { as: { ...policy }, resolved }]);
    this.byNameCount++;
    return resolved;
  }

  private resolveByValue(policy: CachePolicy): ResolvedPolicy {
    const id = policy && typeof policy === 'object'
      ? JSON.stringify([policy.upstream, policy.operation, policy.ttlMs, policy.staleWhileRevalidateMs, policy.staleIfErrorMs, policy.hardMaxAgeMs])
      : undefined;
    const known = id === undefined ? undefined : this.resolved.get(id);
    if (known) return known;
    const p = resolvePolicy(policy, this.ceilings);
    if (this.resolved.size >= 1000) this.resolved.clear();
    this.resolved.set(id!, p);
    return p;
  }

  /**
   * Fresh L1 → L2 → origin (single-flight per key). Past the TTL but inside the
   * stale-while-revalidate window the old value is returned at once and refreshed in the
   * background; if the origin fails inside the stale-if-error window the old value is returned.
   * Otherwise the loader's error is rethrown unchanged. Nothing older than the hard max age is served.
   */
  get<T>(key: string, policy: CachePolicy, load: Loader<T>, opts: GetOptions = {}): Promise<CacheResult<T>> {
    // One span per lookup (observability/tracing.ts); an origin load's upstream request becomes its child.
    // A fresh L1 hit does no work that could have children (no Redis, no origin): it is answered at once and its
    // span recorded without entering a context for it (issue 15: the hot path of a warm request is these hits).
    const fresh = this.freshL1<T>(key, policy, load, opts);
    if (fresh) {
      recordFreshSpan(key, policy, fresh.tier);
      return Promise.resolve(fresh);
    }
    const attributes = lookupAttributes(key, policy);
    return inSpan('cache lookup', SpanKind.INTERNAL, attributes, async (span) => {
      const r = await this.lookup(key, policy, load, opts);
      span.setAttributes({ 'thuegate.cache.tier': r.tier, 'thuegate.cache.stale': r.stale });
      return r;
    });
  }

  /**
   * `get`'s answer when it is a fresh L1 hit, synchronously (same metrics and span); undefined when `get` would
   * have to wait (miss, stale, L2, origin). For callers that read many entries per request (the ThAVEL catalogue's
   * pages) and can then skip the promise chain of `get` (issue 15).
   */
  freshNow<T>(key: string, policy: CachePolicy, opts: GetOptions = {}): CacheResult<T> | undefined {
    const fresh = this.freshL1<T>(key, policy, noLoad, opts);
    if (fresh) recordFreshSpan(key, policy, fresh.tier);
    return fresh;
  }

  /** `lookup`'s answer when it is a fresh L1 hit, synchronously; undefined for anything else (lookup then decides and validates). */
  private freshL1<T>(key: string, policy: CachePolicy, load: Loader<T>, opts: GetOptions): CacheResult<T> | undefined {
    if (this.closed || typeof key !== 'string' || key.length === 0 || typeof load !== 'function' || opts.signal?.aborted) return undefined;
    let p: ResolvedPolicy;
    try {
      p = this.resolve(policy);
    } catch {
      return undefined; // lookup throws the same error inside the span
    }
    const cand = this.fromL1(cacheKey(p.upstream, p.operation, key), p);
    if (cand?.state !== 'fresh') return undefined;
    if (p.ttlClamped) cacheMetrics.ttlClamped.inc({ upstream: p.upstream, operation: p.operation });
    return this.hit<T>(cand, p, opts);
  }

  private async lookup<T>(key: string, policy: CachePolicy, load: Loader<T>, opts: GetOptions): Promise<CacheResult<T>> {
    if (this.closed) throw new CacheClosedError();
    const p = this.resolve(policy);
    if (typeof key !== 'string' || key.length === 0) throw new CacheConfigError('key', 'a non-empty string', key);
    if (typeof load !== 'function') throw new CacheConfigError('load', 'a function', load);
    if (p.ttlClamped) cacheMetrics.ttlClamped.inc({ upstream: p.upstream, operation: p.operation });
    const { signal } = opts;
    signal?.throwIfAborted();
    const k = cacheKey(p.upstream, p.operation, key);

    let cand = this.fromL1(k, p);
    if (cand?.state === 'fresh') return this.hit(cand, p, opts);

    // An L1 entry inside its SWR window is served without waiting for Redis; otherwise ask L2.
    if (cand?.state !== 'swr' && this.l2) {
      const shared = await untilAborted(this.readL2(k), signal);
      if (shared && (!cand || shared.meta.fetchedAt > cand.entry.meta.fetchedAt)) {
        const state = freshness(shared.meta, p, this.now());
        if (state !== 'dead') {
          this.l1.offer(k, shared);
          cand = { entry: shared, tier: 'l2', state };
        }
      }
      if (cand?.state === 'fresh') return this.hit(cand, p, opts);
    }

    if (cand?.state === 'swr') {
      this.refreshInBackground(k, key, p, load, cand.entry, cand.tier === 'l1', opts.trace);
      return this.staleAnswer(cand, p, key, 'revalidating', undefined, opts.trace);
    }

    if (!this.flights.has(k)) {
      // A load that finished while we were asking Redis has already filled L1.
      const again = this.fromL1(k, p);
      if (again?.state === 'fresh') return this.hit(again, p, opts);
    }
    const labels = { upstream: p.upstream, operation: p.operation };
    try {
      const loaded = await this.join(k, p, load, cand?.entry, signal);
      // Joining a background refresh can end in a fresh L2 entry instead of an origin load.
      if (loaded.tier === 'l2') cacheMetrics.hits.inc({ ...labels, tier: 'l2' });
      else cacheMetrics.misses.inc(labels);
      // Read-only callers get the entry's shared parsed value from the first read on, so later hits see the same object.
      if (opts.readOnly) return { value: this.sharedValue<T>(loaded.entry), fetchedAt: new Date(loaded.entry.meta.fetchedAt), stale: false, tier: loaded.tier };
      return answer<T>(loaded.entry, loaded.tier, false);
    } catch (error) {
      cacheMetrics.misses.inc(labels);
      if (signal?.aborted || error instanceof CacheValueError || !cand || !this.serveStaleOn(error)) throw error;
      const state = freshness(cand.entry.meta, p, this.now());
      if (state === 'expired' || state === 'dead') throw error;
      return this.staleAnswer(cand, p, key, 'upstream-error', error, opts.trace);
    }
  }

  /**
   * Removes entries from L1, L2 and (via Redis pub/sub) the L1 of other instances.
   * `upstream` selects one upstream; `keyPrefix` is a prefix of the logical key
   * `<upstream>:<operation>:<key>` (see `cacheKey`); both given means both must match.
   */
  async purge(filter: PurgeFilter): Promise<PurgeResult> {
    if (this.closed) throw new CacheClosedError();
    const compiled = compileFilter(filter);
    this.purgeEpoch++;
    let l2 = { removed: [] as string[], complete: true };
    if (this.l2 && compiled.globPrefix !== undefined) l2 = await this.l2.purge(compiled.globPrefix, compiled.match);
    // L1 after L2: a get in between could otherwise promote a doomed L2 entry back into L1.
    const l1 = this.l1.deleteWhere(compiled.match);
    this.purgeEpoch++;
    if (this.l2) await this.l2.announcePurge(compiled.filter);
    cacheMetrics.purged.inc({ tier: 'l1' }, l1.length);
    cacheMetrics.purged.inc({ tier: 'l2' }, l2.removed.length);
    return {
      purged: new Set([...l1, ...l2.removed]).size,
      l1: l1.length,
      l2: l2.removed.length,
      l2Complete: l2.complete,
    };
  }

  stats(): CacheStats {
    return {
      l1Bytes: this.l1.bytes,
      l1Entries: this.l1.entries,
      l1MaxBytes: this.l1.maxBytes,
      l2: this.l2 ? this.l2.status : 'off',
      inflight: this.flights.size,
    };
  }

  /** For start-up and tests: true once Redis is connected and purge notices are subscribed. */
  async l2Ready(timeoutMs = 2_000): Promise<boolean> {
    return this.l2 ? this.l2.ready(timeoutMs) : false;
  }

  /** Loads still in flight finish for their callers but are not stored. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unreport();
    this.l1.clear();
    await this.l2?.close();
  }

  private fromL1(k: string, p: ResolvedPolicy): Candidate | undefined {
    const entry = this.l1.get(k);
    if (!entry) return undefined;
    const state = freshness(entry.meta, p, this.now());
    if (state === 'dead') {
      this.l1.delete(k);
      return undefined;
    }
    return { entry, tier: 'l1', state };
  }

  private readL2(k: string): Promise<StoredEntry | undefined> {
    let pending = this.l2Reads.get(k);
    if (!pending) {
      pending = this.l2!.read(k).finally(() => this.l2Reads.delete(k));
      this.l2Reads.set(k, pending);
    }
    return pending;
  }

  private join<T>(k: string, p: ResolvedPolicy, load: Loader<T>, prev: StoredEntry | undefined, signal?: AbortSignal): Promise<Loaded> {
    const flight = this.flights.get(k) ?? this.startFlight(k, p, load, prev, false, 'foreground');
    if (!signal) {
      flight.keepAlive = true;
      return flight.promise;
    }
    if (signal.aborted) return Promise.reject(signal.reason);
    flight.holds++;
    return untilAborted(flight.promise, signal, () => {
      // The last waiter giving up cancels the load; earlier ones only stop waiting.
      if (--flight.holds === 0 && !flight.keepAlive) {
        flight.controller.abort(signal.reason);
        if (this.flights.get(k) === flight) this.flights.delete(k);
      }
      return signal.reason;
    });
  }

  private refreshInBackground<T>(k: string, key: string, p: ResolvedPolicy, load: Loader<T>, prev: StoredEntry, checkL2: boolean, trace?: RequestTrace): void {
    if (this.flights.has(k)) return;
    const flight = this.startFlight(k, p, load, prev, checkL2, 'background');
    flight.keepAlive = true;
    flight.promise.catch((error: unknown) =>
      this.emit({ type: 'refresh-failed', upstream: p.upstream, operation: p.operation, key, error, ...traceFields(trace) }),
    );
  }

  private startFlight<T>(
    k: string,
    p: ResolvedPolicy,
    load: Loader<T>,
    prev: StoredEntry | undefined,
    checkL2: boolean,
    mode: 'foreground' | 'background',
  ): Flight {
    const controller = new AbortController();
    const epoch = this.purgeEpoch;
    const run = async (): Promise<Loaded> => {
      let base = prev;
      // Another replica may have refreshed the entry already.
      if (checkL2 && this.l2) {
        const shared = await this.readL2(k);
        if (shared && (!base || shared.meta.fetchedAt > base.meta.fetchedAt)) {
          const state = freshness(shared.meta, p, this.now());
          if (state === 'fresh') {
            this.l1.offer(k, shared);
            return { entry: shared, tier: 'l2' };
          }
          if (state !== 'dead') base = shared;
        }
      }
      // Age counts from the request, not the response: the conservative reading for the hard limit.
      const requestedAt = this.now();
      let result: LoadResult<T>;
      try {
        result = await load(base ? previous<T>(base) : undefined, { signal: controller.signal });
      } catch (error) {
        cacheMetrics.loads.inc({ upstream: p.upstream, operation: p.operation, result: 'error', mode });
        throw error;
      }
      const { entry, store } = this.toEntry(k, p, result, base, requestedAt, mode);
      if (store && !this.closed && epoch === this.purgeEpoch) {
        this.l1.offer(k, entry);
        await this.l2?.write(k, entry, entry.meta.staleUntil - this.now());
      }
      return { entry, tier: 'origin' };
    };
    const flight: Flight = { promise: run(), controller, holds: 0, keepAlive: false };
    this.flights.set(k, flight);
    flight.promise.then(
      () => this.endFlight(k, flight),
      () => this.endFlight(k, flight),
    );
    return flight;
  }

  private endFlight(k: string, flight: Flight): void {
    if (this.flights.get(k) === flight) this.flights.delete(k);
  }

  private toEntry<T>(
    k: string,
    p: ResolvedPolicy,
    result: LoadResult<T>,
    base: StoredEntry | undefined,
    requestedAt: number,
    mode: 'foreground' | 'background',
  ): { entry: StoredEntry; store: boolean } {
    const bad = (reason: string, cause?: unknown) => new CacheValueError(p.upstream, p.operation, reason, { cause });
    if (result === null || typeof result !== 'object') throw bad('must resolve to { value } or { notModified: true }');
    let ttlMs = p.ttlMs;
    if (result.ttlMs !== undefined) {
      if (typeof result.ttlMs !== 'number' || !Number.isFinite(result.ttlMs) || result.ttlMs < 0) {
        throw bad(`returned ttlMs ${String(result.ttlMs)}; expected a finite number of milliseconds >= 0`);
      }
      if (result.ttlMs > p.hardMaxAgeMs) cacheMetrics.ttlClamped.inc({ upstream: p.upstream, operation: p.operation });
      ttlMs = Math.min(result.ttlMs, p.hardMaxAgeMs);
    }
    const labels = { upstream: p.upstream, operation: p.operation, mode };
    if ('notModified' in result && result.notModified === true) {
      if (!base) throw bad('returned notModified although no previous value was offered');
      cacheMetrics.loads.inc({ ...labels, result: 'not_modified' });
      const meta = makeMeta(p, requestedAt, ttlMs, {
        etag: result.etag ?? base.meta.etag,
        lastModified: result.lastModified ?? base.meta.lastModified,
      });
      return { entry: makeEntry(k, meta, base.json), store: true };
    }
    if (!('value' in result) || result.value === undefined) throw bad('returned no value (undefined is not cacheable; use null)');
    let json: string | undefined;
    try {
      json = JSON.stringify(result.value);
    } catch (cause) {
      throw bad('returned a value that is not JSON-serialisable', cause);
    }
    if (json === undefined) throw bad('returned a value that is not JSON-serialisable');
    cacheMetrics.loads.inc({ ...labels, result: 'value' });
    const meta = makeMeta(p, requestedAt, ttlMs, { etag: result.etag, lastModified: result.lastModified });
    const entry = makeEntry(k, meta, json);
    if (result.noStore === true) {
      cacheMetrics.uncacheable.inc({ upstream: p.upstream, operation: p.operation, reason: 'no_store' });
      return { entry, store: false };
    }
    if (entry.size > this.l1.maxEntryBytes) {
      cacheMetrics.uncacheable.inc({ upstream: p.upstream, operation: p.operation, reason: 'oversize' });
      return { entry, store: false };
    }
    return { entry, store: true };
  }

  private hit<T>(cand: Candidate, p: ResolvedPolicy, opts: GetOptions): CacheResult<T> {
    cacheMetrics.hits.inc({ upstream: p.upstream, operation: p.operation, tier: cand.tier });
    if (!opts.readOnly) return answer<T>(cand.entry, cand.tier, false);
    return { value: this.sharedValue<T>(cand.entry), fetchedAt: new Date(cand.entry.meta.fetchedAt), stale: false, tier: cand.tier };
  }

  private sharedValue<T>(entry: StoredEntry): T {
    let value = this.parsed.get(entry) as T | undefined;
    if (value === undefined) this.parsed.set(entry, (value = JSON.parse(entry.json) as T));
    return value;
  }

  private staleAnswer<T>(cand: Candidate, p: ResolvedPolicy, key: string, reason: StaleReason, error?: unknown, trace?: RequestTrace): CacheResult<T> {
    cacheMetrics.stale.inc({ upstream: p.upstream, operation: p.operation, tier: cand.tier, reason });
    const result = answer<T>(cand.entry, cand.tier, true);
    result.staleReason = reason;
    const event: CacheEvent = { type: 'stale-served', upstream: p.upstream, operation: p.operation, key, reason, fetchedAt: result.fetchedAt, ...traceFields(trace) };
    if (error !== undefined) event.error = error;
    this.emit(event);
    return result;
  }

  private purgeL1(filter: PurgeFilter): void {
    let compiled: ReturnType<typeof compileFilter>;
    try {
      compiled = compileFilter(filter);
    } catch {
      return; // a malformed notice from elsewhere is ignored
    }
    this.purgeEpoch++;
    cacheMetrics.purged.inc({ tier: 'l1' }, this.l1.deleteWhere(compiled.match).length);
  }

  private emit(event: CacheEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // logging must never break serving
    }
  }
}

function answer<T>(entry: StoredEntry, tier: CacheTier, stale: boolean): CacheResult<T> {
  return { value: JSON.parse(entry.json) as T, fetchedAt: new Date(entry.meta.fetchedAt), stale, tier };
}

function previous<T>(entry: StoredEntry): PreviousValue<T> {
  return {
    etag: entry.meta.etag,
    lastModified: entry.meta.lastModified,
    fetchedAt: new Date(entry.meta.fetchedAt),
    get value() {
      return JSON.parse(entry.json) as T;
    },
  };
}

function compileFilter(filter: PurgeFilter): {
  filter: PurgeFilter;
  match: (key: string) => boolean;
  /** Narrowest literal prefix for the Redis SCAN; undefined when the two filters exclude each other. */
  globPrefix: string | undefined;
} {
  if (filter === null || typeof filter !== 'object' || (filter.upstream === undefined && filter.keyPrefix === undefined)) {
    throw new CacheConfigError('purge filter', 'an object with upstream and/or keyPrefix', filter);
  }
  const { upstream, keyPrefix } = filter;
  if (upstream !== undefined) checkUpstreamId(upstream, 'purge.upstream');
  if (keyPrefix !== undefined && (typeof keyPrefix !== 'string' || keyPrefix.length === 0)) {
    throw new CacheConfigError('purge.keyPrefix', 'a non-empty prefix of "<upstream>:<operation>:<key>"', keyPrefix);
  }
  const up = upstream === undefined ? undefined : `${upstream}:`;
  const match = (k: string) => (up === undefined || k.startsWith(up)) && (keyPrefix === undefined || k.startsWith(keyPrefix));
  let globPrefix: string | undefined;
  if (up === undefined) globPrefix = keyPrefix;
  else if (keyPrefix === undefined || up.startsWith(keyPrefix)) globPrefix = up;
  else if (keyPrefix.startsWith(up)) globPrefix = keyPrefix;
  const clean: PurgeFilter = {};
  if (upstream !== undefined) clean.upstream = upstream;
  if (keyPrefix !== undefined) clean.keyPrefix = keyPrefix;
  return { filter: clean, match, globPrefix };
}

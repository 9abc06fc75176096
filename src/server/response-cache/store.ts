import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../../observability/metrics';

/** The finished bytes of one cacheable answer. */
export interface StoredResponse {
  body: Buffer;
  etag: string;
  storedAt: number;
  expiresAt: number;
}

export type StoreRefusal = 'errors' | 'private' | 'max_age_0' | 'not_query' | 'status' | 'oversize' | 'purged' | 'stale';



const ENTRY_OVERHEAD = 256;

export const lookups = registeredMetric(
  'thuegate_response_cache_requests_total',
  () =>
    new Counter({
      name: 'thuegate_response_cache_requests_total',
      help: 'GraphQL HTTP requests seen by the response cache: hit, miss, or bypass (mutation, unparsable, batched, not cacheable by form)',
      labelNames: ['result'] as const,
      registers: [metricsRegistry],
    }),
);
/** Pre-bound label sets: a hit increments its counter without hashing labels. */
export const counted = {
  hit: lookups.labels('hit'),
  miss: lookups.labels('miss'),
  bypass: lookups.labels('bypass'),
};
const stores = registeredMetric(
  'thuegate_response_cache_stores_total',
  () =>
    new Counter({
      name: 'thuegate_response_cache_stores_total',
      help: 'Responses stored (result=stored) or refused, by reason (errors, private, max_age_0, not_query, status, oversize, purged, stale)',
      labelNames: ['result'] as const,
      registers: [metricsRegistry],
    }),
);
const instances = new Set<ResponseStore>();
const sum = (f: (s: ResponseStore) => number) => [...instances].reduce((n, s) => n + f(s), 0);
registeredMetric(
  'thuegate_response_cache_bytes',
  () =>
    new Gauge({
      name: 'thuegate_response_cache_bytes',
      help: 'Bytes held by the response cache (bodies plus per-entry overhead)',
      registers: [metricsRegistry],
      collect() {
        this.set(sum((s) => s.bytes));
      },
    }),
);
registeredMetric(
  'thuegate_response_cache_entries',
  () =>
    new Gauge({
      name: 'thuegate_response_cache_entries',
      help: 'Responses held by the response cache',
      registers: [metricsRegistry],
      collect() {
        this.set(sum((s) => s.entries));
      },
    }),
);

export interface ResponseStoreOptions {
  maxBytes: number;
  /** Largest single response kept; default maxBytes / 8. */
  maxEntryBytes?: number;
  now?: () => number;
}

/**
 * Byte-bounded LRU of finished responses (DESIGN §4, response level). It knows nothing about GraphQL:
 * keys come from `keys.ts`, what may be stored is decided by the Apollo plugin.
 */
export class ResponseStore {
  private readonly lru: LRUCache<string, StoredResponse>;
  readonly now: () => number;
  /** Bumped by `clear`: a response computed before a purge is not stored after it. */
  private generation = 0;

  constructor(opts: ResponseStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.lru = new LRUCache({
      maxSize: opts.maxBytes,
      maxEntrySize: opts.maxEntryBytes ?? Math.floor(opts.maxBytes / 8),
      sizeCalculation: (v, k) => v.body.length + k.length + ENTRY_OVERHEAD,
    });
    instances.add(this);
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get entries(): number {
    return this.lru.size;
  }

  get epoch(): number {
    return this.generation;
  }

  /** The fresh entry under `key`; expired entries are dropped. Not counted: the response cache counts per request, over both tiers. */
  get(key: string): StoredResponse | undefined {
    const hit = this.lru.get(key);
    if (hit && hit.expiresAt > this.now()) return hit;
    if (hit) this.lru.delete(key);
    return undefined;
  }

  /** Keeps an entry another replica stored (read from the shared tier), unless a purge happened since `epoch`. */
  adopt(key: string, entry: StoredResponse, epoch: number): void {
    if (epoch === this.generation && entry.expiresAt > this.now()) this.lru.set(key, entry);
  }

  /**
   * Stores `body` for `maxAgeSeconds` unless `refusal` says why not or a purge happened since `epoch`;
   * returns the entry when stored.
   */
  /** Counts an answer that is not stored, by why. */
  refuse(reason: StoreRefusal): undefined {
    stores.inc({ result: reason });
    return undefined;
  }

  store(key: string, body: Buffer, maxAgeSeconds: number, epoch: number, refusal?: StoreRefusal): StoredResponse | undefined {
    const reason = refusal ?? (epoch !== this.generation ? 'purged' : undefined);
    if (reason) return this.refuse(reason);
    const now = this.now();
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    const entry: StoredResponse = { body, etag, storedAt: now, expiresAt: now + maxAgeSeconds * 1000 };
    if (!this.lru.set(key, entry).has(key)) {
      stores.inc({ result: 'oversize' });
      return undefined;
    }
    stores.inc({ result: 'stored' });
    return entry;
  }

  /** Drops every stored response (admin purge); returns how many were held. */
  clear(): number {
    const n = this.lru.size;
    this.lru.clear();
    this.generation++;
    return n;
  }

  close(): void {
    this.lru.clear();
    instances.delete(this);
  }
}

/** The validators and freshness headers of a hit: `Cache-Control` for what is left of its max-age. */
export function hitHeaders(hit: StoredResponse, now: number): [string, string][] {
  const remaining = Math.max(0, Math.ceil((hit.expiresAt - now) / 1000));
  return [
    ['x-cache', 'HIT'],
    ['cache-control', `max-age=${remaining}, public`],
    ['etag', hit.etag],
    ['age', String(Math.max(0, Math.floor((now - hit.storedAt) / 1000)))],
  ];
}

export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

import type { Redis } from 'ioredis';
import { ResponseKeys } from './keys';
import { responseCachePlugin } from './plugin';
import { SharedResponses } from './shared';
import { counted, ResponseStore, type ResponseStoreOptions, type StoredResponse, type StoreRefusal } from './store';

export { storeRefusal, type ResponseCacheContext } from './plugin';
export type { StoredResponse } from './store';

export interface ResponseCacheOptions extends ResponseStoreOptions {
  /** Same limit Apollo parses with. */
  maxTokens?: number;
  /** The shared tier in Redis (replicas of one deployment share `keyPrefix`); without it the cache is per process. */
  shared?: { redis: Redis; keyPrefix: string };
}

/**
 * HTTP-level response cache (DESIGN §4, response level): one key scheme and two tiers — the in-process LRU (L1)
 * and, with Redis, the shared tier (L2, shared.ts) — used by the raw-HTTP hot path (src/server/hot-path.ts) and
 * the Apollo plugin (everything else).
 */
export class ResponseCache {
  readonly store: ResponseStore;
  readonly keys: ResponseKeys;
  readonly shared?: SharedResponses;

  constructor(opts: ResponseCacheOptions) {
    this.store = new ResponseStore(opts);
    this.keys = new ResponseKeys(opts.maxTokens);
    if (opts.shared) this.shared = new SharedResponses({ ...opts.shared, onPurge: () => this.store.clear() });
  }

  plugin() {
    return responseCachePlugin(this);
  }

  now(): number {
    return this.store.now();
  }

  get epoch(): number {
    return this.store.epoch;
  }

  /**
   * The fresh answer under `key`, counted as one hit or miss: synchronously from the in-process tier, or a promise
   * when the shared tier has to be asked (an answer found there is kept in-process too).
   */
  lookup(key: string): StoredResponse | undefined | Promise<StoredResponse | undefined> {
    const local = this.store.get(key);
    if (local) {
      counted.hit.inc();
      return local;
    }
    if (!this.shared?.available) {
      counted.miss.inc();
      return undefined;
    }
    const epoch = this.store.epoch;
    return this.shared.read(key, this.store.now()).then((entry) => {
      (entry ? counted.hit : counted.miss).inc();
      if (entry) this.store.adopt(key, entry, epoch);
      return entry;
    });
  }

  /** Stores an executed answer in both tiers (see ResponseStore.store for the refusals); returns the entry when stored. */
  /** Counts an executed answer that is not stored (the compiled path, whose answers are never stored). */
  refuse(refusal: StoreRefusal): void {
    this.store.refuse(refusal);
  }

  save(key: string, body: Buffer, maxAgeSeconds: number, epoch: number, refusal?: StoreRefusal): StoredResponse | undefined {
    const entry = this.store.store(key, body, maxAgeSeconds, epoch, refusal);
    if (entry) this.shared?.write(key, entry, this.store.now());
    return entry;
  }

  /**
   * Drops every stored response (admin purge) here, in Redis and — through the purge notice — on every other
   * replica; resolves with how many this replica held.
   */
  async clear(): Promise<number> {
    const n = this.store.clear();
    await this.shared?.purge();
    return n;
  }

  close(): void {
    this.shared?.close();
    this.store.close();
  }
}

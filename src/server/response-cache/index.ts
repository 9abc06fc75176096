import { createFastPath, type FastPathHooks } from './fast-path';
import { ResponseKeys } from './keys';
import { responseCachePlugin } from './plugin';
import { ResponseStore, type ResponseStoreOptions } from './store';

export type { ResponseCacheContext } from './plugin';

export interface ResponseCacheOptions extends ResponseStoreOptions {
  /** Same limit Apollo parses with. */
  maxTokens?: number;
}

/**
 * HTTP-level response cache (DESIGN §4, response level): one store and one key scheme shared by the
 * raw-HTTP fast path (anonymous hits, before Express) and the Apollo plugin (everything else).
 */
export class ResponseCache {
  readonly store: ResponseStore;
  readonly keys: ResponseKeys;

  constructor(opts: ResponseCacheOptions) {
    this.store = new ResponseStore(opts);
    this.keys = new ResponseKeys(opts.maxTokens);
  }

  plugin() {
    return responseCachePlugin(this.store, this.keys);
  }

  fastPath(limitBytes: number, hooks?: FastPathHooks) {
    return createFastPath(this.store, this.keys, limitBytes, hooks);
  }

  /** Drops every stored response (admin purge); returns how many were held. */
  clear(): number {
    return this.store.clear();
  }

  close(): void {
    this.store.close();
  }
}

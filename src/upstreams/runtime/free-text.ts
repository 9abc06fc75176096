import { LRUCache } from 'lru-cache';
import { Counter } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../../observability/metrics';

const refused = registeredMetric(
  'thuegate_free_text_cache_refused_total',
  () =>
    new Counter({
      name: 'thuegate_free_text_cache_refused_total',
      help: 'Upstream answers to free-text searches not cached because the client had used up its distinct-search budget',
      labelNames: ['upstream'] as const,
      registers: [metricsRegistry],
    }),
);

export interface FreeTextOptions {
  /** Freshness and storage lifetime of an answer to a free-text search (in-process and Redis). */
  ttlMs: number;
  /** Distinct free-text cache entries one client may add per `ttlMs`; beyond it answers are served but not kept. */
  entriesPerClient: number;
  now?: () => number;
}

/**
 * Cache hygiene for client-chosen text (issue 13 item 6): searches (`query`, `search.text`, place names) make
 * keys nobody asks for twice, so they live `ttlMs` only, and each client may add a bounded number of distinct
 * entries per window. A client sending random strings fills neither the in-process cache nor Redis; its
 * answers are still served, just not stored. The budget is per replica.
 */
export class FreeTextGuard {
  // maxSize with size 1 per entry: the same bound as `max`, without preallocating 50 000 slots at start (counters.ts).
  private readonly budgets = new LRUCache<string, { since: number; keys: Set<string> }>({ maxSize: 50_000, sizeCalculation: () => 1 });
  private readonly now: () => number;

  constructor(readonly o: FreeTextOptions) {
    this.now = o.now ?? Date.now;
  }

  get ttlMs(): number {
    return this.o.ttlMs;
  }

  /** May this client's answer for `key` be stored? Counts the key against the client's budget when it may. */
  admit(client: string | undefined, upstream: string, key: string): boolean {
    const who = client ?? '';
    const now = this.now();
    let b = this.budgets.get(who);
    if (!b || now - b.since >= this.o.ttlMs) {
      b = { since: now, keys: new Set() };
      this.budgets.set(who, b);
    }
    if (b.keys.has(key)) return true;
    if (b.keys.size >= this.o.entriesPerClient) {
      refused.inc({ upstream });
      return false;
    }
    b.keys.add(key);
    return true;
  }
}

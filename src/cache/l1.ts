import { LRUCache } from 'lru-cache';
import type { StoredEntry } from './entry';

/**
 * Process-local tier: LRU bounded by accounted bytes. Expiry is judged by the caller's policy
 * (see `freshness`), not by lru-cache's own clock, so an injected clock works and dead entries
 * are dropped on access or pushed out by size pressure.
 */
export class L1Tier {
  private readonly lru: LRUCache<string, StoredEntry>;

  constructor(
    readonly maxBytes: number,
    readonly maxEntryBytes: number,
    onEvict: () => void,
  ) {
    this.lru = new LRUCache<string, StoredEntry>({
      maxSize: maxBytes,
      maxEntrySize: maxEntryBytes,
      sizeCalculation: (e) => e.size,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') onEvict();
      },
    });
  }

  get(key: string): StoredEntry | undefined {
    return this.lru.get(key);
  }

  /** Keeps whichever of the held and the offered entry the origin confirmed last. */
  offer(key: string, entry: StoredEntry): void {
    const held = this.lru.peek(key);
    if (held && held.meta.fetchedAt > entry.meta.fetchedAt) return;
    this.lru.set(key, entry);
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  /** Deletes all keys the predicate accepts; returns them. */
  deleteWhere(match: (key: string) => boolean): string[] {
    const doomed = [...this.lru.keys()].filter(match);
    for (const k of doomed) this.lru.delete(k);
    return doomed;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get entries(): number {
    return this.lru.size;
  }

  clear(): void {
    this.lru.clear();
  }
}

import { traceFields, type RequestTrace } from '../observability/tracing';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../observability/log';
import type { Database } from '../persistence/orm';
import type { SnapshotBacked, SnapshotFallback, SnapshotSlice } from '../upstreams/runtime/fallback';
import { SnapshotStore } from './store';

/**
 * The latest complete harvest snapshot as the loaders' last resort (src/upstreams/runtime/fallback.ts, DESIGN §4):
 * read only after an upstream failed and the data cache had nothing. Built once in the composition root.
 *
 * Slices are kept per snapshot (a few dozen, bounded): during an outage many requests ask the same place or the
 * whole catalogue, and the snapshot does not change until the pointer flips — a new pointer makes new keys.
 * DVDV is refused here too: its rows feed conformance only (4-hour limit, BSI TR-03132).
 */
export class SnapshotFallbackSource implements SnapshotFallback {
  private readonly store: SnapshotStore;
  private readonly slices = new LRUCache<string, Promise<SnapshotSlice | null>>({ max: 64 });

  constructor(
    db: Database,
    private readonly logger?: Logger,
  ) {
    this.store = new SnapshotStore(db);
  }

  async read(upstream: SnapshotBacked, prefix: string, trace?: RequestTrace): Promise<SnapshotSlice | null> {
    if ((upstream as string) === 'dvdv') return null;
    const current = await this.store.current();
    if (!current) return null;
    const key = `${current.id}|${upstream}|${prefix}`;
    let slice = this.slices.get(key);
    if (!slice) {
      const harvested = current.counts[upstream]?.harvestedAt;
      slice = this.store.items(upstream, current.id, prefix).then((items) => ({
        snapshotId: current.id,
        harvestedAt: harvested ? new Date(harvested) : (current.finishedAt ?? current.startedAt),
        items: items.map((i) => ({ key: i.key, payload: i.payload })),
      }));
      this.slices.set(key, slice);
      // A failed read is not kept: the next request asks the database again.
      slice.catch((e: unknown) => {
        this.slices.delete(key);
        this.logger?.warn('snapshot fallback could not read the snapshot', { ...traceFields(trace), upstream, error: (e as Error).message });
      });
    }
    return slice;
  }
}

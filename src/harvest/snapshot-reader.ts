import type { Database } from '../persistence/orm';
import type { UpstreamCounts } from '../persistence/entities';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { HarvestItemTypes } from './items';
import { SnapshotStore } from './store';

export type { DvdvItem, GeomisItem, GeoproxyItem, HarvestItemTypes, PvogItem, ThavelItem } from './items';

/** A complete harvest snapshot: when, from which base URLs, with which counts per upstream. */
export interface SnapshotInfo {
  id: number;
  startedAt: Date;
  finishedAt: Date;
  baseUrls: Record<string, string[]>;
  counts: Record<string, UpstreamCounts>;
}

export interface SnapshotItem<T> {
  /** Stable identity within the upstream (forms in items.ts), e.g. `record:<fileIdentifier>`. */
  key: string;
  /** SHA-256 of the item's canonical JSON. */
  hash: string;
  /** The adapter's DTO (wrapped with the place it was asked for where the upstream answers per place). */
  payload: T;
}

/**
 * Read access to harvested upstream data for other modules (e.g. the conformance engine, src/conformance/):
 *
 * ```ts
 * const reader = new SnapshotReader(db);
 * const snap = await reader.latest();                       // null before the first complete harvest
 * const records = await reader.items('geomis');             // SnapshotItem<IsoRecord>[] of the latest snapshot
 * const lauscha = await reader.items('pvog', { prefix: 'service:160720011011:' });
 * ```
 *
 * Only complete snapshots are readable; a harvest that is still building (or was killed) is never visible.
 * Items come ordered by key. DVDV items are for conformance checks only, never for serving live answers.
 */
export class SnapshotReader {
  private readonly store: SnapshotStore;
  constructor(db: Database) {
    this.store = new SnapshotStore(db);
  }

  /** The current (latest complete) snapshot, or null before the first harvest. */
  async latest(): Promise<SnapshotInfo | null> {
    const s = await this.store.current();
    return s ? { id: s.id, startedAt: s.startedAt, finishedAt: s.finishedAt ?? s.startedAt, baseUrls: s.baseUrls, counts: s.counts } : null;
  }

  /**
   * Items of one upstream in a snapshot (default: the latest); `prefix` narrows by item key. Empty before the
   * first harvest or when the snapshot id is unknown or pruned.
   */
  async items<U extends UpstreamName>(upstream: U, opts: { snapshotId?: number; prefix?: string } = {}): Promise<SnapshotItem<HarvestItemTypes[U]>[]> {
    const id = opts.snapshotId ?? (await this.store.currentId());
    if (id === null) return [];
    return this.store.items<HarvestItemTypes[U]>(upstream, id, opts.prefix);
  }
}

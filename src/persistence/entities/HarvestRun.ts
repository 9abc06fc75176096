import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const HARVEST_RUN_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type HarvestRunStatus = (typeof HARVEST_RUN_STATUSES)[number];

/**
 * One attempt to copy an upstream catalogue into a snapshot (DESIGN §5). A run stays `running`
 * until it switches the snapshot or gives up, so a killed harvest is visible as a `running` row
 * with no `finishedAt` rather than silently missing.
 */
@Entity({ tableName: 'harvest_run' })
// "latest run of upstream X" is the query status pages and the fallback path ask.
@Index({ properties: ['upstream', 'startedAt'] })
export class HarvestRun {
  [OptionalProps]?: 'id' | 'startedAt' | 'finishedAt' | 'status' | 'error' | 'itemCount' | 'snapshotId' | 'counts';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Upstream name as used in `src/upstreams/<name>` (e.g. `pvog`, `dvdv`). */
  @Property({ type: 'string', length: 64 })
  upstream!: string;

  @Property({ type: 'datetime', defaultRaw: 'current_timestamp' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  @Enum({ items: [...HARVEST_RUN_STATUSES], type: 'string' })
  status: HarvestRunStatus = 'running';

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'integer' })
  itemCount: number = 0;

  /** The snapshot this run writes into (src/harvest/). */
  @Property({ type: 'integer', nullable: true })
  snapshotId: number | null = null;

  /** added/changed/removed/unchanged/requests of this upstream in this run. */
  @Property({ type: 'json', nullable: true })
  counts: Record<string, number | string> | null = null;
}

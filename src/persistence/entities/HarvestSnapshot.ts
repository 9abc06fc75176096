import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const SNAPSHOT_STATUSES = ['building', 'complete', 'failed'] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

/** Per upstream: what a harvest changed, what it asked for, and from where (issue 11: "when, from which base URLs, which counts"). */
export interface UpstreamCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Items of this upstream visible in the snapshot once it is complete. */
  total: number;
  /** Logical upstream requests made (after retries). */
  requests: number;
  /** `full` or `delta` (ThAVEL geaendertSeit, GeoMIS modified-since, PVOG content hashes). */
  mode: 'full' | 'delta' | 'carried';
  /** When this upstream was last read into the snapshot (the freshness of its items). */
  harvestedAt: string;
  /** Work units the upstream refused this run (their previous items were kept), with the first few errors. */
  failedUnits: number;
  errors: string[];
}

/**
 * Availability per LeiKa key as kept for history after the snapshot's facts are pruned: the ARS of the
 * municipalities online for each key. Enough to answer `availabilityHistory` for any scope.
 */
export type SnapshotAggregates = Record<string, { name: string | null; onlineArs: string[] }>;

/**
 * One harvest snapshot (DESIGN §5). Item and fact rows are versioned by snapshot sequence
 * (`added_in` ≤ id < `removed_in`), so a snapshot costs only the rows that changed, and a snapshot that
 * is still `building` (or was killed) is invisible to readers: they follow `harvest_pointer`.
 */
@Entity({ tableName: 'harvest_snapshot' })
@Index({ properties: ['status', 'finishedAt'] })
export class HarvestSnapshot {
  [OptionalProps]?: 'startedAt' | 'finishedAt' | 'status' | 'counts' | 'baseUrls' | 'aggregates' | 'factsPruned' | 'holder' | 'full' | 'upstreams' | 'error';

  /** Sequence number: versions of items and facts refer to it. */
  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Property({ type: 'datetime', defaultRaw: 'current_timestamp' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  @Enum({ items: [...SNAPSHOT_STATUSES], type: 'string' })
  status: SnapshotStatus = 'building';

  /** Whether the run was asked for a full (non-incremental) harvest. */
  @Property({ type: 'boolean' })
  full: boolean = false;

  @Property({ type: 'json' })
  upstreams: string[] = [];

  @Property({ type: 'json' })
  baseUrls: Record<string, string[]> = {};

  @Property({ type: 'json' })
  counts: Record<string, UpstreamCounts> = {};

  @Property({ type: 'json', nullable: true })
  aggregates: SnapshotAggregates | null = null;

  /** Set once pruning removed the item/fact versions only this snapshot used; its aggregates remain. */
  @Property({ type: 'boolean' })
  factsPruned: boolean = false;

  /** Who builds it: `host pid N` (reported to a second harvester). */
  @Property({ type: 'string', length: 200, nullable: true })
  holder: string | null = null;

  @Property({ type: 'text', nullable: true })
  error: string | null = null;
}

/** The one-row pointer to the snapshot readers use; flipped in the transaction that completes a snapshot. */
@Entity({ tableName: 'harvest_pointer' })
export class HarvestPointer {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  @Property({ type: 'integer' })
  snapshotId!: number;

  @Property({ type: 'datetime' })
  switchedAt: Date = new Date();
}

/**
 * One version of one upstream item: the adapter's DTO as JSONB with a content hash. Visible in snapshot S
 * when `addedIn <= S` and (`removedIn` is null or `removedIn > S`).
 */
@Entity({ tableName: 'harvest_item' })
@Index({ properties: ['upstream', 'itemKey'] })
@Index({ properties: ['addedIn'] })
@Index({ properties: ['removedIn'] })
export class HarvestItem {
  [OptionalProps]?: 'removedIn';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 16 })
  upstream!: string;

  /** Stable identity within the upstream, e.g. `service:160510000000:SBX16.LB.1`. */
  @Property({ type: 'string', length: 300 })
  itemKey!: string;

  /** Lower-case hex SHA-256 of the canonical JSON of `payload`. */
  @Property({ type: 'string', length: 64 })
  hash!: string;

  @Property({ type: 'json' })
  payload!: unknown;

  @Property({ type: 'integer' })
  addedIn!: number;

  @Property({ type: 'integer', nullable: true })
  removedIn: number | null = null;
}

/**
 * One version of an availability fact: at municipality `ars`, Leistung `serviceId` (LeiKa key `leikaKey`) is
 * (not) offered online — computed by the live `digitalOffer` rule over the snapshot's PVOG and ThAVEL items.
 */
@Entity({ tableName: 'availability_fact' })
@Index({ properties: ['leikaKey', 'addedIn'] })
@Index({ properties: ['ars', 'serviceId'] })
@Index({ properties: ['removedIn'] })
export class AvailabilityFact {
  [OptionalProps]?: 'removedIn' | 'leikaKey' | 'serviceName';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 12 })
  ars!: string;

  @Property({ type: 'string', length: 100 })
  serviceId!: string;

  @Property({ type: 'string', length: 14, nullable: true })
  leikaKey: string | null = null;

  @Property({ type: 'text', nullable: true })
  serviceName: string | null = null;

  @Property({ type: 'boolean' })
  online!: boolean;

  @Property({ type: 'integer' })
  addedIn!: number;

  @Property({ type: 'integer', nullable: true })
  removedIn: number | null = null;
}

/** Work units a building snapshot has finished (resume after a crash skips them). */
@Entity({ tableName: 'harvest_progress' })
export class HarvestProgress {
  [OptionalProps]?: 'doneAt';

  @PrimaryKey({ type: 'integer' })
  snapshotId!: number;

  @PrimaryKey({ type: 'string', length: 100 })
  unit!: string;

  @Property({ type: 'json' })
  result: Record<string, number> = {};

  @Property({ type: 'datetime', defaultRaw: 'current_timestamp' })
  doneAt: Date = new Date();
}

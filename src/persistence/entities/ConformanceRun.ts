import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export const CONFORMANCE_RUN_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type ConformanceRunStatus = (typeof CONFORMANCE_RUN_STATUSES)[number];

/**
 * One run of the conformance checks (src/conformance/). A run stays `running` until its findings are stored, so a
 * killed run is visible rather than missing; only `succeeded` runs take part in the history.
 */
@Entity({ tableName: 'conformance_run' })
@Index({ properties: ['status', 'startedAt'] })
export class ConformanceRun {
  [OptionalProps]?: 'id' | 'startedAt' | 'finishedAt' | 'status' | 'error' | 'findingCount' | 'scope' | 'rules' | 'outcomes' | 'trigger' | 'basis';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'datetime', defaultRaw: 'current_timestamp' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  @Enum({ items: [...CONFORMANCE_RUN_STATUSES], type: 'string' })
  status: ConformanceRunStatus = 'running';

  /** ARS prefix the run was limited to; null = all of Thüringen. */
  @Property({ type: 'string', length: 12, nullable: true })
  scope: string | null = null;

  /** Rule ids the run was limited to; null = every implemented rule. */
  @Property({ type: 'json', nullable: true })
  rules: string[] | null = null;

  /** Per rule: evaluated or not-evaluated (with the reason) and the number of findings. */
  @Property({ type: 'json', nullable: true })
  outcomes: { rule: string; status: string; reason: string | null; findings: number }[] | null = null;

  /**
   * Which data the findings rest on (src/conformance/input.ts ConformanceBasis): the harvest snapshot and when it was
   * completed, or a live collection, and what was read live beside the snapshot. Null while running.
   */
  @Property({ type: 'json', nullable: true })
  basis: { source: 'snapshot' | 'live'; snapshotId: number | null; snapshotFinishedAt: string | null; harvestedAt: Record<string, string>; live: string[] } | null = null;

  @Property({ type: 'string', length: 32 })
  trigger: string = 'api';

  @Property({ type: 'text', nullable: true })
  error: string | null = null;

  @Property({ type: 'integer' })
  findingCount: number = 0;
}

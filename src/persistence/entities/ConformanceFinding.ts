import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

export const FINDING_SEVERITIES = ['error', 'warning', 'info'] as const;

/** One finding of one conformance run. Its identity across runs is (rule, subject). */
@Entity({ tableName: 'conformance_finding' })
@Unique({ properties: ['runId', 'rule', 'subject'] })
@Index({ properties: ['rule', 'subject'] })
export class ConformanceFinding {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  runId!: string;

  @Property({ type: 'string', length: 16 })
  rule!: string;

  @Property({ type: 'string', length: 512 })
  subject!: string;

  @Enum({ items: [...FINDING_SEVERITIES], type: 'string' })
  severity!: (typeof FINDING_SEVERITIES)[number];

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'json' })
  evidence!: Record<string, unknown>;

  @Property({ type: 'string', length: 16 })
  upstream!: string;

  /** Most specific ARS of the subject (`16` = Land-wide): the scope filter. */
  @Property({ type: 'string', length: 12 })
  ars!: string;
}

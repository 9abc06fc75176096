import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ARSScalar } from '../scalars/keys';

export enum Severity {
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
}
registerEnumType(Severity, {
  name: 'Severity',
  description: 'Severity of a conformance finding (Schweregrad): ERROR violates a binding rule, WARNING a convention, INFO is worth knowing.',
  valuesConfig: {
    ERROR: { description: 'Violates a binding rule (Fehler).' },
    WARNING: { description: 'Violates a convention or recommendation (Warnung).' },
    INFO: { description: 'Worth knowing; no violation (Hinweis).' },
  },
});

export enum ConformanceRunStatus {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(ConformanceRunStatus, {
  name: 'ConformanceRunStatus',
  description: 'State of a conformance run (Prüflauf).',
  valuesConfig: {
    RUNNING: { description: 'The run is in progress.' },
    SUCCEEDED: { description: 'The run finished; its findings (Befunde) are complete.' },
    FAILED: { description: 'The run ended with an error (see the error field of the run); it has no usable findings.' },
  },
});

@ObjectType({ description: 'One rule of the conformance catalogue (Prüfregel, docs/conformance-rules.md).' })
export class ConformanceRule {
  @Field(() => String, { description: 'Catalogue id, e.g. R9, XG4, P-2, D-5.' }) id!: string;
  @Field(() => Severity, { description: 'Schweregrad of the findings of this rule.' }) severity!: Severity;
  @Field(() => String, { description: 'What the subject is: municipality, district or record (an upstream record).' }) scope!: string;
  @Field(() => String, { description: 'Upstream whose data the rule judges.' }) upstream!: string;
  @Field(() => String, { description: 'Short title of the Regel.' }) title!: string;
  @Field(() => String, { description: 'What the Regel checks and why.' }) description!: string;
  @Field(() => String, { description: 'Origin: the standard or convention cited (INSPIRE ETS, GDI-DE, XZuFi, DVDV…).' }) source!: string;
  @Field(() => Boolean, { description: 'Needs live probes (link resolution).' }) net!: boolean;
}

@ObjectType({ description: 'Result of one rule in a run.' })
export class ConformanceRuleOutcome {
  @Field(() => String, { description: 'Id of the Regel, e.g. R9.' }) rule!: string;
  @Field(() => String, { description: '`evaluated` or `not-evaluated` (input or probes missing: never counted as passed).' }) status!: string;
  @Field(() => String, { nullable: true, description: 'Why the Regel was not evaluated; null when it was.' }) reason!: string | null;
  @Field(() => Int, { description: 'Findings (Befunde) of the Regel in this run; 0 when not evaluated.' }) findings!: number;
}

@ObjectType({ description: 'Which data the findings of a run rest on (Datengrundlage): a harvest snapshot or live upstream reads.' })
export class ConformanceBasis {
  @Field(() => String, { description: '`snapshot` (the latest harvest snapshot, plus live reads of what it lacks) or `live` (no snapshot yet).' }) source!: string;
  @Field(() => Int, { nullable: true, description: 'Id of the harvest snapshot read; null for a live collection.' }) snapshotId!: number | null;
  @Field(() => Date, { nullable: true, description: 'When that snapshot was completed: the "as of" (Stand) of findings over snapshot data.' }) snapshotAsOf!: Date | null;
  @Field(() => [String], { description: 'What was read live because the snapshot does not hold it.' }) live!: string[];
}

@ObjectType({ description: 'A conformance run (Prüflauf) over the data of all upstreams.' })
export class ConformanceRunType {
  @Field(() => ID, { description: 'Id of the run (UUID).' }) id!: string;
  @Field(() => ConformanceRunStatus, { description: 'State of the run.' }) status!: ConformanceRunStatus;
  @Field(() => Date, { description: 'When the run started.' }) startedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When the run ended; null while it is running.' }) finishedAt!: Date | null;
  @Field(() => ARSScalar, { nullable: true, description: 'Area the run was limited to; null = all of Thüringen.' }) scope!: string | null;
  @Field(() => [String], { nullable: true, description: 'Rules the run was limited to; null = all.' }) rules!: string[] | null;
  @Field(() => Int, { description: 'Findings (Befunde) of the run, all rules together.' }) findingCount!: number;
  @Field(() => String, { nullable: true, description: 'Error message of a failed run; null otherwise.' }) error!: string | null;
  @Field(() => [ConformanceRuleOutcome], { description: 'Result of each Regel in the run.' }) outcomes!: ConformanceRuleOutcome[];
  @Field(() => ConformanceBasis, { nullable: true, description: 'Which data the findings rest on; null while the run is in progress or when it failed.' }) basis!: ConformanceBasis | null;
}

@ObjectType({ description: 'A conformance finding (Prüfbefund). Its identity across runs is (rule, subject).' })
export class ConformanceFindingType {
  @Field(() => String, { description: 'Id of the Regel that reports the Befund, e.g. R9.' }) rule!: string;
  @Field(() => String, { description: 'Record uuid, LeiKa key + ARS (`key@ars`), OE or online-service id, `service#layer`, DVDV key or certificate fingerprint.' })
  subject!: string;
  @Field(() => Severity, { description: 'Schweregrad of the Befund.' }) severity!: Severity;
  @Field(() => String, { description: 'What is wrong, in words.' }) message!: string;
  @Field(() => String, { description: 'Upstream whose data the Befund concerns.' }) upstream!: string;
  @Field(() => ARSScalar, { description: 'Most specific ARS of the subject (`16` = Land-wide).' }) ars!: string;
  // evidence: field resolver (D-rule evidence only for integrators)
  evidence!: Record<string, unknown>;
}

@ObjectType({ description: 'Findings of one run, filtered.' })
export class ConformanceReport {
  @Field(() => ConformanceRunType, { description: 'The run the findings come from.' }) run!: ConformanceRunType;
  @Field(() => [ConformanceFindingType], { description: 'Findings (Befunde) of the run matching the filters.' }) findings!: ConformanceFindingType[];
}

@ObjectType({ description: 'What changed from one run to the run before it: findings opened and closed.' })
export class ConformanceChange {
  @Field(() => ConformanceRunType, { description: 'The run.' }) run!: ConformanceRunType;
  @Field(() => ConformanceRunType, { nullable: true, description: 'The finished run before it over the same area; null for the first one.' }) previousRun!: ConformanceRunType | null;
  @Field(() => [ConformanceFindingType], { description: 'Findings of this run that the previous run did not report (new).' }) opened!: ConformanceFindingType[];
  @Field(() => [ConformanceFindingType], { description: 'Findings of the previous run that this run no longer reports (fixed).' }) closed!: ConformanceFindingType[];
}

export { GraphQLJSONObject };

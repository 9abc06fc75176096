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
});

export enum ConformanceRunStatus {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(ConformanceRunStatus, { name: 'ConformanceRunStatus', description: 'State of a conformance run (Prüflauf).' });

@ObjectType({ description: 'One rule of the conformance catalogue (Prüfregel, docs/conformance-rules.md).' })
export class ConformanceRule {
  @Field(() => String, { description: 'Catalogue id, e.g. R9, XG4, P-2, D-5.' }) id!: string;
  @Field(() => Severity) severity!: Severity;
  @Field(() => String, { description: 'What the subject is: municipality, district or record (an upstream record).' }) scope!: string;
  @Field(() => String, { description: 'Upstream whose data the rule judges.' }) upstream!: string;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => String, { description: 'Origin: the standard or convention cited (INSPIRE ETS, GDI-DE, XZuFi, DVDV…).' }) source!: string;
  @Field(() => Boolean, { description: 'Needs live probes (link resolution).' }) net!: boolean;
}

@ObjectType({ description: 'Result of one rule in a run.' })
export class ConformanceRuleOutcome {
  @Field(() => String) rule!: string;
  @Field(() => String, { description: '`evaluated` or `not-evaluated` (input or probes missing: never counted as passed).' }) status!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Int) findings!: number;
}

@ObjectType({ description: 'A conformance run (Prüflauf) over the data of all upstreams.' })
export class ConformanceRunType {
  @Field(() => ID) id!: string;
  @Field(() => ConformanceRunStatus) status!: ConformanceRunStatus;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
  @Field(() => ARSScalar, { nullable: true, description: 'Area the run was limited to; null = all of Thüringen.' }) scope!: string | null;
  @Field(() => [String], { nullable: true, description: 'Rules the run was limited to; null = all.' }) rules!: string[] | null;
  @Field(() => Int) findingCount!: number;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => [ConformanceRuleOutcome]) outcomes!: ConformanceRuleOutcome[];
}

@ObjectType({ description: 'A conformance finding (Prüfbefund). Its identity across runs is (rule, subject).' })
export class ConformanceFindingType {
  @Field(() => String) rule!: string;
  @Field(() => String, { description: 'Record uuid, LeiKa key + ARS (`key@ars`), OE or online-service id, `service#layer`, DVDV key or certificate fingerprint.' })
  subject!: string;
  @Field(() => Severity) severity!: Severity;
  @Field(() => String) message!: string;
  @Field(() => String) upstream!: string;
  @Field(() => ARSScalar, { description: 'Most specific ARS of the subject (`16` = Land-wide).' }) ars!: string;
  // evidence: field resolver (D-rule evidence only for integrators)
  evidence!: Record<string, unknown>;
}

@ObjectType({ description: 'Findings of one run, filtered.' })
export class ConformanceReport {
  @Field(() => ConformanceRunType) run!: ConformanceRunType;
  @Field(() => [ConformanceFindingType]) findings!: ConformanceFindingType[];
}

@ObjectType({ description: 'What changed from one run to the run before it: findings opened and closed.' })
export class ConformanceChange {
  @Field(() => ConformanceRunType) run!: ConformanceRunType;
  @Field(() => ConformanceRunType, { nullable: true }) previousRun!: ConformanceRunType | null;
  @Field(() => [ConformanceFindingType]) opened!: ConformanceFindingType[];
  @Field(() => [ConformanceFindingType], { description: 'Findings of the previous run that this run no longer reports (fixed).' }) closed!: ConformanceFindingType[];
}

export { GraphQLJSONObject };

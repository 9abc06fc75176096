import { GraphQLError } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { UnknownRuleError } from '../../conformance/engine';
import { RULES } from '../../conformance/rules';
import type { ConformanceService, StoredFinding } from '../../conformance/service';
import type { ConformanceRun } from '../../persistence/entities';
import { ForbiddenError, hasRole } from '../auth-checker';
import type { GatewayContext } from '../context';
import { BadInputError } from '../errors';
import { ARSScalar } from '../scalars/keys';
import {
  ConformanceChange,
  ConformanceFindingType,
  ConformanceReport,
  ConformanceRule,
  ConformanceRunType,
  GraphQLJSONObject,
  Severity,
  type ConformanceRunStatus,
} from '../types/conformance';
import { requireAdmin } from './admin.resolver';

function service(ctx: GatewayContext): ConformanceService {
  const s = ctx.services.conformance;
  if (!s) throw new GraphQLError('Conformance checks are not available on this gateway (no database)', { extensions: { code: 'UNAVAILABLE' } });
  return s;
}

const runType = (r: ConformanceRun): ConformanceRunType => ({
  id: r.id,
  status: r.status as ConformanceRunStatus,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  scope: r.scope,
  rules: r.rules,
  findingCount: r.findingCount,
  error: r.error,
  outcomes: r.outcomes ?? [],
  basis: r.basis ? { source: r.basis.source, snapshotId: r.basis.snapshotId, snapshotAsOf: r.basis.snapshotFinishedAt ? new Date(r.basis.snapshotFinishedAt) : null, live: r.basis.live } : null,
});

const findingType = (f: StoredFinding): ConformanceFindingType => ({ ...f, severity: f.severity as Severity });

function checkRules(rules?: string[] | null): string[] | null {
  if (!rules?.length) return null;
  const known = new Set(RULES.map((r) => r.id.toUpperCase()));
  const unknown = rules.filter((r) => !known.has(r.trim().toUpperCase()));
  if (unknown.length) throw new BadInputError('rules', `rule ids of the catalogue (${RULES.map((r) => r.id).join(', ')})`, unknown);
  return rules;
}

@Resolver()
export class ConformanceQueryResolver {
  @Query(() => [ConformanceRule], { description: 'The implemented conformance rules (Prüfregeln) with their severity and origin.' })
  conformanceRules(): ConformanceRule[] {
    return RULES.map((r) => ({ id: r.id, severity: r.severity as Severity, scope: r.scope, upstream: r.upstream, title: r.title, description: r.description, source: r.source, net: !!r.net }));
  }

  @Query(() => ConformanceReport, {
    nullable: true,
    description: 'Findings of the newest finished conformance run covering the area and rules (or of `run`); null before the first run. D-rule evidence needs the integrator role.',
  })
  async conformance(
    @Ctx() ctx: GatewayContext,
    @Arg('scope', () => ARSScalar, { nullable: true, description: 'Only findings in this area (ARS prefix).' }) scope?: string | null,
    @Arg('rules', () => [String], { nullable: true, description: 'Only these rule ids, e.g. ["R9", "XG4"].' }) rules?: string[] | null,
    @Arg('severity', () => [Severity], { nullable: true, description: 'Only findings of these Schweregrade (default: all).' }) severity?: Severity[] | null,
    @Arg('run', () => ID, { nullable: true, description: 'A specific run (default: the newest covering one).' }) runId?: string | null,
  ): Promise<ConformanceReport | null> {
    const s = service(ctx);
    const r = checkRules(rules);
    const run = runId ? await s.run(runId) : await s.latestRun(scope, r);
    if (!run) return null;
    if (run.status !== 'succeeded') throw new GraphQLError(`Conformance run ${run.id} is ${run.status}${run.error ? `: ${run.error}` : ''}`, { extensions: { code: 'RUN_NOT_FINISHED', status: run.status } });
    const findings = await s.findings(run.id, { scope, rules: r, severities: severity });
    return { run: runType(run), findings: findings.map(findingType) };
  }

  @Query(() => [ConformanceChange], { description: 'Per finished run (newest first): findings opened and closed since the run before it, within the area.' })
  async conformanceHistory(
    @Ctx() ctx: GatewayContext,
    @Arg('scope', () => ARSScalar, { nullable: true, description: 'Only runs and findings in this area (ARS prefix); default: all of Thüringen.' }) scope?: string | null,
    @Arg('last', () => Int, { defaultValue: 10, description: '1..100 runs.' }) last = 10,
  ): Promise<ConformanceChange[]> {
    if (!Number.isInteger(last) || last < 1 || last > 100) throw new BadInputError('last', 'an integer from 1 to 100', last);
    const h = await service(ctx).history(scope, last);
    return h.map((e) => ({ run: runType(e.run), previousRun: e.previous ? runType(e.previous) : null, opened: e.opened.map(findingType), closed: e.closed.map(findingType) }));
  }

  @Query(() => ConformanceRunType, { nullable: true, description: 'One conformance run by id (poll it after startConformanceRun).' })
  async conformanceRun(@Ctx() ctx: GatewayContext, @Arg('id', () => ID, { description: 'Id of the run (UUID), as startConformanceRun returns it.' }) id: string): Promise<ConformanceRunType | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new BadInputError('id', 'a run id (UUID)', id);
    const r = await service(ctx).run(id);
    return r ? runType(r) : null;
  }

  @Mutation(() => ConformanceRunType, { description: 'Admin: starts a conformance run over the configured upstreams (or returns the one in progress).' })
  async startConformanceRun(
    @Ctx() ctx: GatewayContext,
    @Arg('scope', () => ARSScalar, { nullable: true, description: 'Limit the run to this area (ARS prefix); default: all of Thüringen.' }) scope?: string | null,
    @Arg('rules', () => [String], { nullable: true, description: 'Limit the run to these rule ids (Regeln), e.g. ["R9", "XG4"]; default: all.' }) rules?: string[] | null,
  ): Promise<ConformanceRunType> {
    requireAdmin(ctx);
    try {
      const { run } = await service(ctx).start({ scope, rules: checkRules(rules), trigger: 'graphql' });
      return runType(run);
    } catch (e) {
      if (e instanceof UnknownRuleError) throw new BadInputError('rules', 'rule ids of the catalogue', e.unknown);
      throw e;
    }
  }
}

@Resolver(() => ConformanceFindingType)
export class ConformanceFindingResolver {
  @FieldResolver(() => GraphQLJSONObject, { nullable: true, description: 'The failing values and where they were read. DVDV (D-rule) evidence needs the integrator role (DVDV exposure rule, D-8).' })
  evidence(@Root() f: ConformanceFindingType, @Ctx() ctx: GatewayContext): Record<string, unknown> {
    if (f.rule.startsWith('D-') && !hasRole(ctx.role, 'integrator')) throw new ForbiddenError('integrator');
    return f.evidence;
  }
}

import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { AvailabilityService } from '../../availability/service';
import type { HarvestStatus } from '../../harvest/status';
import { toMunicipality } from '../../services/municipalities';
import type { GatewayContext } from '../context';
import { BadInputError } from '../errors';
import { paginate } from '../pagination';
import { ARSScalar, LeikaKeyScalar } from '../scalars/keys';
import {
  AvailabilityHistoryPoint,
  AvailabilityMatrixRow,
  DigitalOfferSummary,
  DistrictAvailability,
  HarvestRunInfo,
  SizeClassAvailability,
  SourceFreshness,
} from '../types/availability';
import { MunicipalityConnection } from '../types/municipality';
import type { AvailabilityAnswer } from '../../availability/service';

/** Leistungen per availabilityMatrix call: 605 rows each, and the matrix is cost-limited like any field. */
export const MAX_MATRIX_KEYS = 50;

@ObjectType({ description: 'Where a Leistung (LeiKa key) is offered online across the municipalities of a scope, from the latest harvest snapshot.' })
export class Availability {
  @Field(() => LeikaKeyScalar, { description: 'LeiKa key of the Leistung.' }) leikaKey!: string;
  @Field(() => String, { nullable: true, description: 'Name of the Leistung as PVOG lists it.' }) serviceName!: string | null;
  @Field(() => ARSScalar, { nullable: true, description: 'The scope asked (null = all of Thüringen).' }) scope!: string | null;
  @Field(() => Int, { description: 'Municipalities in the scope.' }) total!: number;
  @Field(() => Int, { description: 'Of them, those whose digitalOffer.onlineLeikaKeys contains the key.' }) online!: number;
  @Field(() => Float, { description: 'Share of the municipalities offering the Leistung online: online / total, 0..1.' }) share!: number;
  @Field({ description: 'Snapshot time.' }) asOf!: Date;
  @Field(() => [SourceFreshness], { description: 'When each upstream was read into the snapshot.' }) sources!: SourceFreshness[];
  @Field(() => [DistrictAvailability], { description: 'Coverage per district (Landkreis or kreisfreie Stadt) of the scope.' }) byDistrict!: DistrictAvailability[];
  @Field(() => [SizeClassAvailability], { description: 'Coverage per Größenklasse.' }) bySizeClass!: SizeClassAvailability[];
  /** Not a GraphQL field: the resolver below pages it. */
  answer!: AvailabilityAnswer;
}

function service(ctx: GatewayContext): AvailabilityService {
  const s = ctx.services.availability;
  if (!s) throw new Error('availability queries need the database');
  return s;
}

@Resolver(() => Availability)
export class AvailabilityResolver {
  @Query(() => Availability, { description: 'Online availability of one Leistung across the municipalities of the Land, a district or a Verwaltungsgemeinschaft (latest harvest snapshot; no upstream calls).' })
  async availability(
    @Ctx() ctx: GatewayContext,
    @Arg('leikaKey', () => LeikaKeyScalar, { description: 'LeiKa key of the Leistung.' }) leikaKey: string,
    @Arg('scope', () => ARSScalar, { nullable: true, description: 'ARS of the Land (default), a district or a Verwaltungsgemeinschaft.' }) scope?: string,
  ): Promise<Availability> {
    const a = await service(ctx).availability(leikaKey, scope);
    return { ...a, scope: a.scopeArs, answer: a } as Availability;
  }

  @Query(() => [AvailabilityMatrixRow], { description: `One row per municipality × Leistung (at most ${MAX_MATRIX_KEYS} keys), ordered by key then ARS; also as CSV at GET /reports/availability.csv.` })
  async availabilityMatrix(
    @Ctx() ctx: GatewayContext,
    @Arg('leikaKeys', () => [LeikaKeyScalar], { description: `LeiKa keys of the Leistungen, 1 to ${MAX_MATRIX_KEYS} (duplicates count once).` }) leikaKeys: string[],
    @Arg('scope', () => ARSScalar, { nullable: true, description: 'ARS of the Land (default), a district or a Verwaltungsgemeinschaft.' }) scope?: string,
  ) {
    const keys = [...new Set(leikaKeys)];
    if (keys.length === 0 || keys.length > MAX_MATRIX_KEYS) throw new BadInputError('leikaKeys', `1 to ${MAX_MATRIX_KEYS} LeiKa keys`, keys.length);
    return service(ctx).matrix(keys, scope);
  }

  @Query(() => [AvailabilityHistoryPoint], { description: 'Coverage of a Leistung per harvest snapshot, oldest first (pruned snapshots keep their aggregates).' })
  availabilityHistory(
    @Ctx() ctx: GatewayContext,
    @Arg('leikaKey', () => LeikaKeyScalar, { description: 'LeiKa key of the Leistung.' }) leikaKey: string,
    @Arg('scope', () => ARSScalar, { nullable: true, description: 'ARS of the Land (default), a district or a Verwaltungsgemeinschaft.' }) scope?: string,
  ) {
    return service(ctx).history(leikaKey, scope);
  }

  @Query(() => DigitalOfferSummary, { description: 'Per municipality size class: mean and median share of the relevant Leistungen online and the ten most missing Leistungen (KA 8/1135 question 3).' })
  digitalOfferSummary(@Ctx() ctx: GatewayContext, @Arg('scope', () => ARSScalar, { nullable: true, description: 'ARS of the Land (default), a district or a Verwaltungsgemeinschaft.' }) scope?: string) {
    return service(ctx).summary(scope);
  }

  @Query(() => [HarvestRunInfo], { description: 'Past and running harvest runs, newest first (one per upstream and harvest).' })
  async harvestRuns(@Ctx() ctx: GatewayContext, @Arg('first', () => Int, { nullable: true, description: '1 to 200 (default 20).' }) first?: number): Promise<HarvestRunInfo[]> {
    const n = first ?? 20;
    if (!Number.isInteger(n) || n < 1 || n > 200) throw new BadInputError('first', 'an integer from 1 to 200', n);
    const status: HarvestStatus | undefined = ctx.services.harvest;
    if (!status) throw new Error('harvest runs need the database');
    return (await status.runs(n)).map((r) => ({
      ...r,
      added: num(r.counts?.added),
      changed: num(r.counts?.changed),
      removed: num(r.counts?.removed),
      unchanged: num(r.counts?.unchanged),
      requests: num(r.counts?.requests),
    }));
  }

  @FieldResolver(() => MunicipalityConnection, { description: 'Municipalities of the scope not offering the Leistung online, ordered by ARS.' })
  missing(
    @Root() a: Availability,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 1000 (default 50).' }) first?: number,
    @Arg('after', () => String, { description: 'Cursor from a previous page (pageInfo.endCursor or an edge cursor); default: from the start.', nullable: true }) after?: string,
  ) {
    const page = paginate(a.answer.missingMunicipalities, (m) => m.ars, { first, after });
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toMunicipality(e.node) })) };
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

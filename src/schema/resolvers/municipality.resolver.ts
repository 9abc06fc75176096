import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { paginate } from '../pagination';
import { AGSScalar, ARSScalar } from '../scalars/keys';
import { Municipality, MunicipalityConnection, MunicipalityFilter } from '../types/municipality';
import { toMunicipality } from '../../services/municipalities';

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @Query(() => Municipality, {
    nullable: true,
    description: 'One municipality (Gemeinde) by its 12-digit ARS or its 8-digit AGS — give exactly one.',
  })
  municipality(
    @Ctx() ctx: GatewayContext,
    @Arg('ars', () => ARSScalar, { description: 'Amtlicher Regionalschlüssel (ARS) of the municipality, 12 digits, e.g. "160510000000".', nullable: true }) ars?: string,
    @Arg('ags', () => AGSScalar, { description: 'Amtlicher Gemeindeschlüssel (AGS) of the municipality, 8 digits, e.g. "16051000".', nullable: true }) ags?: string,
  ): Municipality {
    return ctx.services.municipalities.find({ ars, ags });
  }

  @Query(() => MunicipalityConnection, { description: 'All 605 municipalities of Thüringen, ordered by ARS, filterable and paged.' })
  municipalities(
    @Ctx() ctx: GatewayContext,
    @Arg('filter', () => MunicipalityFilter, { description: 'Conditions the municipalities must meet; default: all municipalities.', nullable: true }) filter?: MunicipalityFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 1000 (default 50).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor from a previous page.' }) after?: string,
  ) {
    const page = paginate(ctx.services.municipalities.list(filter), (m) => m.ars, { first, after });
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toMunicipality(e.node) })) };
  }
}

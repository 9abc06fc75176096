import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { GeoRecordConnection, GeoRecordType } from '../types/geo';
import { Municipality, type MunicipalityRoot } from '../types/municipality';

/** Geo metadata fields on Municipality (kept apart from the reference-data resolver). */
@Resolver(() => Municipality)
export class MunicipalityGeoResolver {
  @FieldResolver(() => GeoRecordConnection, {
    nullable: true,
    description:
      'Metadatensätze (GeoMIS) whose extent intersects the municipality’s extent (a square of its area around its centre) or that name it as a Schlagwort.',
  })
  geoRecords(
    @Root() m: MunicipalityRoot,
    @Ctx() ctx: GatewayContext,
    @Arg('types', () => [GeoRecordType], { description: 'Only records of these hierarchy levels; default: all.', nullable: true }) types?: GeoRecordType[],
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0 to 100 (default 20).' }) first?: number,
    @Arg('after', () => String, { description: 'Cursor from a previous page (pageInfo.endCursor or an edge cursor); default: from the start.', nullable: true }) after?: string,
  ) {
    return ctx.geo.municipalityRecords(m, types, { first, after });
  }
}

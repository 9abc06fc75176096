import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { toCswQuery } from '../../services/geo';
import type { GatewayContext } from '../context';
import { nativeKey } from '../node-id';
import { GeoCatalogue, GeoRecord, GeoRecordConnection, GeoRecordSearch, GeoWebService, OgcLayer } from '../types/geo';

const FIRST = { nullable: true, description: 'Page size, 0 to 100 (default 20).' } as const;

@Resolver()
export class GeoQueryResolver {
  @Query(() => GeoRecordConnection, {
    nullable: true,
    description: 'Search the GeoMIS.Th catalogue (Metadatensätze of Geodatensätze and Geodatendienste) via CSW; catalogue order unless sorted by the upstream.',
  })
  geoRecords(
    @Ctx() ctx: GatewayContext,
    @Arg('search', () => GeoRecordSearch, { description: 'Search conditions; default: all records of the catalogue.', nullable: true }) search?: GeoRecordSearch,
    @Arg('first', () => Int, FIRST) first?: number,
    @Arg('after', () => String, { description: 'Cursor from a previous page (pageInfo.endCursor or an edge cursor); default: from the start.', nullable: true }) after?: string,
  ) {
    return ctx.geo.search(toCswQuery(search), { first, after });
  }

  @Query(() => GeoCatalogue, {
    nullable: true,
    description: 'The GeoMIS.Th Katalogdienst itself (CSW capabilities): provider and contact, abstract, keywords, MaxRecordDefault, output schemas, queryables.',
  })
  geoCatalogue(@Ctx() ctx: GatewayContext) {
    return ctx.geo.catalogue();
  }

  @Query(() => GeoRecord, { nullable: true, description: 'One Metadatensatz by its global `id` or its `fileIdentifier`; null with NOT_FOUND when GeoMIS does not know it.' })
  geoRecord(@Ctx() ctx: GatewayContext, @Arg('id', () => ID, { description: 'The global `id` of the GeoRecord or its fileIdentifier.' }) id: string) {
    return ctx.geo.record(nativeKey(id, 'id', 'GeoRecord'));
  }

  @Query(() => [GeoWebService], {
    nullable: 'itemsAndList',
    description: 'The configured Geoproxy Geodatendienste (WMS/WFS) with their capabilities; a service that fails is null with a typed error.',
  })
  geoWebServices(
    @Ctx() ctx: GatewayContext,
    @Arg('names', () => [String], { nullable: true, description: 'Only these configured service names.' }) names?: string[],
  ) {
    return ctx.geo.webServices(names);
  }

  @Query(() => GeoWebService, { nullable: true, description: 'One configured Geoproxy service by name, e.g. "DOP".' })
  geoWebService(@Ctx() ctx: GatewayContext, @Arg('name', { description: 'Configured service name, e.g. "DOP".' }) name: string) {
    return ctx.geo.webService(name);
  }
}

@Resolver(() => GeoRecord)
export class GeoRecordResolver {
  @FieldResolver(() => [GeoRecord], {
    nullable: true,
    description: 'Geodatendienste whose operatesOn names this Geodatensatz (coupling, resolved in GeoMIS). Empty for service records.',
  })
  services(@Root() r: GeoRecord, @Ctx() ctx: GatewayContext) {
    return ctx.geo.servicesOf(r);
  }

  @FieldResolver(() => [GeoRecord], { nullable: true, description: 'For a Geodatendienst: the Geodatensätze its operatesOn entries resolve to.' })
  datasets(@Root() r: GeoRecord, @Ctx() ctx: GatewayContext) {
    return ctx.geo.datasetsOf(r);
  }

  @FieldResolver(() => [OgcLayer], {
    nullable: true,
    description: 'Layers/feature types of the configured Geoproxy services whose MetadataURL names this record (services that fail are left out).',
  })
  layers(@Root() r: GeoRecord, @Ctx() ctx: GatewayContext) {
    return ctx.geo.layersOf(r);
  }
}

@Resolver(() => OgcLayer)
export class OgcLayerResolver {
  @FieldResolver(() => GeoRecord, { nullable: true, description: 'The Metadatensatz of the layer’s Geodatensatz, resolved from its MetadataURL.' })
  metadata(@Root() l: OgcLayer, @Ctx() ctx: GatewayContext) {
    return ctx.geo.layerMetadata(l);
  }
}

@Resolver(() => GeoWebService)
export class GeoWebServiceResolver {
  @FieldResolver(() => GeoRecord, { nullable: true, description: 'The service Metadatensatz named in the INSPIRE ExtendedCapabilities.' })
  metadata(@Root() s: GeoWebService, @Ctx() ctx: GatewayContext) {
    return ctx.geo.serviceMetadata(s);
  }
}

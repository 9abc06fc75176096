import 'reflect-metadata';
import { type GraphQLSchema, isInterfaceType, isUnionType, lexicographicSortSchema, printSchema, specifiedDirectives } from 'graphql';
import { buildSchemaSync, type BuildSchemaOptions } from 'type-graphql';
import { roleAuthChecker } from './auth-checker';
import { resolveNodeType } from './types/node';
import { leanResolvers } from './lean-resolvers';
import { applyCacheHints, cacheControlDirective } from './cache-hints';
import { AdminResolver } from './resolvers/admin.resolver';
import { ConformanceFindingResolver, ConformanceQueryResolver } from './resolvers/conformance.resolver';
import { AvailabilityResolver } from './resolvers/availability.resolver';
import { GeoQueryResolver, GeoRecordResolver, GeoWebServiceResolver, OgcLayerResolver } from './resolvers/geo.resolver';
import { MunicipalityGeoResolver } from './resolvers/municipality-geo.resolver';
import { MunicipalityPortalResolver } from './resolvers/municipality-portal.resolver';
import { DirectoryServiceResolver, DvdvQueryResolver } from './resolvers/dvdv.resolver';
import { MunicipalityDvdvResolver, OrganisationUnitDvdvResolver } from './resolvers/municipality-dvdv.resolver';
import { MunicipalityResolver } from './resolvers/municipality.resolver';
import { NODE_RESOLVERS } from './resolvers/node.resolver';
import {
  AdministrativeServiceOnlineResolver,
  MunicipalityOnlineResolver,
  OnlineServiceQueryResolver,
  OrganisationUnitOnlineResolver,
  RouteOnlineResolver,
} from './resolvers/online-service.resolver';
import { AdministrativeServiceResolver, PortalQueryResolver, ResponsibilityResolver } from './resolvers/portal.resolver';
import { UpstreamsResolver } from './resolvers/upstreams.resolver';
import { PersistedDocumentsResolver } from './resolvers/persisted-documents.resolver';

export const RESOLVERS = [
  MunicipalityResolver,
  UpstreamsResolver,
  AdminResolver,
  PortalQueryResolver,
  AdministrativeServiceResolver,
  ResponsibilityResolver,
  MunicipalityPortalResolver,
  OnlineServiceQueryResolver,
  MunicipalityOnlineResolver,
  AdministrativeServiceOnlineResolver,
  OrganisationUnitOnlineResolver,
  RouteOnlineResolver,
  GeoQueryResolver,
  GeoRecordResolver,
  OgcLayerResolver,
  GeoWebServiceResolver,
  MunicipalityGeoResolver,
  DvdvQueryResolver,
  DirectoryServiceResolver,
  MunicipalityDvdvResolver,
  OrganisationUnitDvdvResolver,
  PersistedDocumentsResolver,
  ...NODE_RESOLVERS,
  ConformanceQueryResolver,
  ConformanceFindingResolver,
  AvailabilityResolver,
] as const;

let schema: GraphQLSchema | undefined;

/** The gateway schema; type-graphql metadata is global, so build it once per process. */
export function gatewaySchema(): GraphQLSchema {
  if (!schema) {
    // skipCheck: type-graphql would run the whole introspection query over the new schema as a self-check — a
    // tenth of every start (issue 15 P7). Apollo asserts the schema valid when it starts, and test/schema/ prints
    // and introspects this very schema.
    const options: BuildSchemaOptions = { resolvers: [...RESOLVERS], validate: false, skipCheck: true, authChecker: roleAuthChecker, directives: [...specifiedDirectives, cacheControlDirective] };
    schema = applyCacheHints(buildSchemaSync(options));
    // Without global middlewares and validation, most fields need none of type-graphql's per-call wrapper (it refuses otherwise).
    leanResolvers(schema, RESOLVERS, { globalMiddlewares: options.globalMiddlewares?.length ?? 0, validate: options.validate !== false });
    // type-graphql wraps `resolveType` in an async function; graphql-jit (server/compiled-execution/) takes a type
    // name, not a promise of one. Node's resolver is synchronous and is installed as it is, for both executors.
    // Every abstract type must be this way: graphql-jit would answer an error where graphql-js answers data.
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isInterfaceType(type) && !isUnionType(type)) continue;
      if (type.name !== 'Node') throw new Error(`schema: abstract type ${type.name} needs a synchronous resolveType (see Node)`);
      type.resolveType = resolveNodeType;
    }
    // type-graphql cannot describe root types; the SDL should still say what the root is for.
    schema.getQueryType()!.description = 'Read access to the Thüringen base services: reference data, PVOG, ThAVEL, GeoMIS.Th, Geoproxy and (integrators only) DVDV.';
    const mutation = schema.getMutationType();
    if (mutation) mutation.description = 'Operations that change gateway state; all of them need the admin role for now.';
  }
  return schema;
}

/** The SDL checked in as schema/schema.graphql: sorted so that diffs show real changes only. */
export function printGatewaySchema(): string {
  return printSchema(lexicographicSortSchema(gatewaySchema())) + '\n';
}

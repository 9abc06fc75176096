import 'reflect-metadata';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { MunicipalityResolver } from './resolvers/municipality.resolver';

export const RESOLVERS = [MunicipalityResolver] as const;

let schema: GraphQLSchema | undefined;

/** The gateway schema; type-graphql metadata is global, so build it once per process. */
export function gatewaySchema(): GraphQLSchema {
  schema ??= buildSchemaSync({ resolvers: [...RESOLVERS], validate: false });
  return schema;
}

/** The SDL checked in as schema/schema.graphql: sorted so that diffs show real changes only. */
export function printGatewaySchema(): string {
  return printSchema(lexicographicSortSchema(gatewaySchema())) + '\n';
}

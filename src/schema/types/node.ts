import { Field, ID, InterfaceType } from 'type-graphql';

/** The GraphQL type name of an object returned by `node`/`nodes` (plain objects carry no class to tell it by). */
export const NODE_TYPE = Symbol('nodeType');

/** Node's type resolver; schema/build.ts installs it unwrapped (type-graphql makes every `resolveType` async). */
export const resolveNodeType = (value: { [NODE_TYPE]?: string }): string | undefined => value[NODE_TYPE];

@InterfaceType({
  description:
    'An object with a globally unique, opaque ID (Relay Global Object Identification): refetch it with `node(id:)`; client caches normalise by it.',
  resolveType: resolveNodeType,
})
export abstract class Node {
  @Field(() => ID, { description: 'Globally unique, opaque ID of this object (stable across requests; not the native key of the source system).' })
  id!: string;
}

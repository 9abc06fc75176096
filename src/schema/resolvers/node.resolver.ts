import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import { toGlobalId } from '../node-id';
import { checkNodeIds, loadNode, NODE_TYPES, type NodeType, type NodeTypeName } from '../nodes';
import { Node } from '../types/node';

/** Relay Global Object Identification: `node`/`nodes` (lookup and role check in src/schema/nodes.ts). */
@Resolver()
export class NodeQueryResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'Any object by its global `id` (Relay `node` field); null with an error when it no longer exists or your role may not read it.',
  })
  node(@Ctx() ctx: GatewayContext, @Arg('id', () => ID, { description: 'A global `id` returned by this gateway.' }) id: string) {
    return loadNode(ctx, id);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: 'Several objects by their global `id`s (at most 100), in the same order; each one that cannot be loaded is null with its own error.',
  })
  nodes(@Ctx() ctx: GatewayContext, @Arg('ids', () => [ID], { description: 'Global `id`s returned by this gateway.' }) ids: string[]) {
    checkNodeIds(ids);
    return ids.map((id, i) => loadNode(ctx, id, `ids[${i}]`));
  }
}

/** The `id` field of one Node type, computed from its native key (restricted types keep their role check). */
function idResolver(type: NodeTypeName) {
  const def = NODE_TYPES[type] as unknown as NodeType<object>;
  @Resolver(() => def.cls)
  class NodeIdResolver {
    @FieldResolver(() => ID, { name: 'id', description: `Globally unique, opaque ID of this ${type} (Node); use it with \`node(id:)\`.` })
    globalId(@Root() value: object): string {
      return toGlobalId(type, ...def.key(value));
    }
  }
  if (def.role) Authorized(def.role)(NodeIdResolver.prototype, 'globalId');
  return NodeIdResolver;
}

export const NODE_RESOLVERS = [NodeQueryResolver, ...(Object.keys(NODE_TYPES) as NodeTypeName[]).map(idResolver)];

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import {
  Kind,
  getNamedType,
  isCompositeType,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * Apollo's cache-control plugin (same options, same headers, same overall policy), without its per-field work
 * when the answer's max-age is already 0 before execution (issue 15, P1b).
 *
 * The plugin computes a policy for every resolved field (two LRU lookups, a policy object, a completion callback
 * per field) and restricts the overall policy by it. Restricting only ever lowers the max-age, so once the overall
 * max-age is 0 no field hint can change the outcome: the answer is `no-store` and the response cache refuses it
 * (`max_age_0`). That is known before execution when a root field the operation always resolves has max-age 0 —
 * e.g. `upstreams` (UpstreamStatus: max-age 0) or any unhinted root field (defaultMaxAge). For such operations the
 * overall policy is set to max-age 0 up front and the per-field hook is not installed, which also lets Apollo's
 * field wrappers call the resolvers directly. If the root field is not resolved after all, the request has errors,
 * and an answer with errors is `no-store` and never stored either way.
 *
 * Nothing reads `info.cacheControl` on that path (schema/cache-hints.ts `noStoreIfStale` would only lower it).
 */
export function cacheControlPlugin(options: { defaultMaxAge: number }): ApolloServerPlugin<BaseContext> {
  const inner = ApolloServerPluginCacheControl(options);
  return {
    // Keeps Apollo's internal plugin id, so Apollo does not install a second, default cache-control plugin.
    ...inner,
    async requestDidStart(requestContext) {
      const listener = await inner.requestDidStart!(requestContext);
      const executionDidStart = listener?.executionDidStart;
      if (!listener || !executionDidStart) return listener;
      return {
        ...listener,
        async executionDidStart(ctx) {
          if (ctx.overallCachePolicy.maxAge === 0) return undefined;
          // No operation (several in the document and none named): execution reports that; Apollo's plugin decides as before.
          if (ctx.operation && rootForcesMaxAgeZero(ctx.schema, ctx.operation, options.defaultMaxAge)) {
            ctx.overallCachePolicy.restrict({ maxAge: 0 });
            return undefined;
          }
          return executionDidStart.call(listener, ctx);
        },
      };
    },
  };
}

const decided = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, boolean>>();

/**
 * Whether a root field the operation always resolves (selected directly, without `@skip`/`@include`) gets max-age 0
 * by Apollo's rules: the field's hint, else its type's (unless the type inherits), else `defaultMaxAge` (root fields
 * always fall back to it). Memoised per operation node: Apollo's document store hands repeated queries the same one.
 */
export function rootForcesMaxAgeZero(schema: GraphQLSchema, operation: OperationDefinitionNode, defaultMaxAge: number): boolean {
  let perSchema = decided.get(schema);
  if (!perSchema) decided.set(schema, (perSchema = new WeakMap()));
  let known = perSchema.get(operation);
  if (known === undefined) perSchema.set(operation, (known = computeRootForcesMaxAgeZero(schema, operation, defaultMaxAge)));
  return known;
}

function computeRootForcesMaxAgeZero(schema: GraphQLSchema, operation: OperationDefinitionNode, defaultMaxAge: number): boolean {
  const root = schema.getRootType(operation.operation);
  if (!root) return false;
  const fields = root.getFields();
  for (const sel of operation.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD || sel.directives?.length) continue;
    const field = fields[sel.name.value];
    if (!field) continue; // __typename, __schema, __type: no cache-control hook runs for them
    if (rootFieldMaxAge(field, defaultMaxAge) === 0) return true;
  }
  return false;
}

/** Apollo's `willResolveField` computation for a root field (plugin/cacheControl/index.ts), without dynamic hints. */
function rootFieldMaxAge(field: GraphQLField<unknown, unknown>, defaultMaxAge: number): number {
  let maxAge: number | undefined;
  const target = getNamedType(field.type);
  if (isCompositeType(target)) maxAge = typeHint(target).maxAge;
  const own = hintOf(field.astNode?.directives);
  if (!(own?.inheritMaxAge && maxAge === undefined) && own?.maxAge !== undefined) maxAge = own.maxAge;
  return maxAge ?? defaultMaxAge;
}

interface Hint {
  maxAge?: number;
  inheritMaxAge?: boolean;
}

function typeHint(t: GraphQLNamedType): Hint {
  const own = hintOf(t.astNode?.directives);
  if (own) return own;
  for (const node of t.extensionASTNodes ?? []) {
    const hint = hintOf(node.directives);
    if (hint) return hint;
  }
  return {};
}

/** Apollo's `cacheAnnotationFromDirectives`, reduced to what decides the max-age. */
function hintOf(directives: readonly ConstDirectiveNode[] | undefined): Hint | undefined {
  const d = directives?.find((x) => x.name.value === 'cacheControl');
  if (!d?.arguments) return undefined;
  const arg = (name: string) => d.arguments!.find((a) => a.name.value === name)?.value;
  const inherit = arg('inheritMaxAge');
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true };
  const maxAge = arg('maxAge');
  return { maxAge: maxAge?.kind === Kind.INT ? parseInt(maxAge.value, 10) : undefined };
}

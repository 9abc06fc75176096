import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

export interface QueryLimits { maxDepth: number; maxAliases: number }
export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 30 };

/**
 * The standard introspection query (GraphiQL Docs, codegen) nests 15 deep through `ofType`; it reads only the
 * in-memory schema (and is off in production), so an operation selecting nothing but `__*` fields gets this bound.
 */
const INTROSPECTION_MAX_DEPTH = 20;
const introspectionOnly = (set: SelectionSetNode): boolean => set.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));

/**
 * Depth and alias limits: both are cheap to check before execution and stop the classic
 * amplification queries (deep nesting through links, the same field fetched under 1000 aliases).
 */
export function limitsRule(limits: QueryLimits = DEFAULT_LIMITS) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    return {
      OperationDefinition(op) {
        let aliases = 0;
        const walk = (set: SelectionSetNode, depth: number, seen: Set<string>): number => {
          let max = depth;
          for (const sel of set.selections) {
            if (sel.kind === Kind.FIELD) {
              if (sel.alias) aliases++;
              if (sel.selectionSet) max = Math.max(max, walk(sel.selectionSet, depth + 1, seen));
            } else if (sel.kind === Kind.INLINE_FRAGMENT) {
              max = Math.max(max, walk(sel.selectionSet, depth, seen));
            } else {
              const frag = fragments.get(sel.name.value);
              if (frag && !seen.has(frag.name.value)) max = Math.max(max, walk(frag.selectionSet, depth, new Set(seen).add(frag.name.value)));
            }
          }
          return max;
        };
        const depth = walk(op.selectionSet, 1, new Set());
        const maxDepth = introspectionOnly(op.selectionSet) ? Math.max(limits.maxDepth, INTROSPECTION_MAX_DEPTH) : limits.maxDepth;
        if (depth > maxDepth) {
          context.reportError(new GraphQLError(`Query depth ${depth} exceeds the limit of ${maxDepth}`, { nodes: op, extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: maxDepth } }));
        }
        if (aliases > limits.maxAliases) {
          context.reportError(new GraphQLError(`Query uses ${aliases} aliases, the limit is ${limits.maxAliases}`, { nodes: op, extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: limits.maxAliases } }));
        }
      },
    };
  };
}

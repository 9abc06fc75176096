import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

export interface QueryLimits {
  /** Depth of data fields (introspection not counted; it has its own bound below). */
  maxDepth: number;
  /** Depth of any field, introspection included: the standard introspection query needs 15 (graphql-js getIntrospectionQuery). */
  maxIntrospectionDepth: number;
  /** Type lists nested in one introspection path (`__schema.types`, `__Type.fields`, …): the standard query nests 2. */
  maxIntrospectionListNesting: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexical tokens of one document; enforced by graphql-js's parser (Apollo `parseOptions.maxTokens`). */
  maxTokens: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxIntrospectionDepth: 15,
  maxIntrospectionListNesting: 2,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 5000,
};

export type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'introspection-nesting' | 'cost';

/** The one error shape of every query limit: code, which limit, the maximum and what the document has. */
export function limitError(limit: LimitName, message: string, max: number, found?: number, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', limit, max, ...(found === undefined ? {} : { found }), ...extra } });
}

/**
 * graphql-armor's rules report their own wording ("Syntax Error: …") by throwing out of validation; we keep them
 * from throwing and report our error shape instead, so every limit answers alike and validation goes on normally.
 */
function armor(limit: LimitName, max: number, describe: (found: number | undefined) => string) {
  return {
    n: max,
    propagateOnRejection: false,
    onReject: [
      (ctx: ValidationContext | null, err: GraphQLError) => {
        const found = Number(/found (\d+)/.exec(err.message)?.[1]) || undefined;
        ctx?.reportError(limitError(limit, describe(found), max, found));
      },
    ],
  };
}

/**
 * Pre-execution limits as validation rules: depth, aliases and directives by graphql-armor, plus the one bound
 * armor lacks — circular introspection (`types { fields { type { fields … } } }`), whose answer grows with the
 * schema to the power of the nesting while staying within the depth limit.
 */
export function limitRules(limits: QueryLimits = DEFAULT_LIMITS): ValidationRule[] {
  return [
    maxDepthRule({ ...armor('depth', limits.maxDepth, (f) => `Query depth ${f} exceeds the limit of ${limits.maxDepth}`), ignoreIntrospection: true, flattenFragments: true }),
    maxDepthRule({
      ...armor('depth', limits.maxIntrospectionDepth, (f) => `Query depth ${f} (introspection included) exceeds the limit of ${limits.maxIntrospectionDepth}`),
      ignoreIntrospection: false,
      flattenFragments: true,
    }),
    maxAliasesRule(armor('aliases', limits.maxAliases, (f) => `Query uses ${f} aliases, the limit is ${limits.maxAliases}`)),
    maxDirectivesRule(armor('directives', limits.maxDirectives, (f) => `Query uses ${f} directives, the limit is ${limits.maxDirectives}`)),
    introspectionNestingRule(limits.maxIntrospectionListNesting),
  ];
}

/** Fields that list types in the introspection schema; nesting them is what makes circular introspection explode. */
const TYPE_LISTS = new Set(['types', 'fields', 'inputFields', 'interfaces', 'possibleTypes']);
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/**
 * Below `__schema`/`__type` every object is an introspection type, so the field names alone identify the type
 * lists. Fragments are expanded (memoised per fragment, so repeated spreads cost nothing extra).
 */
function introspectionNestingRule(max: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const memo = new Map<string, number>();
    const nesting = (set: SelectionSetNode | undefined, intro: boolean): number => {
      let deepest = 0;
      for (const sel of set?.selections ?? []) {
        if (sel.kind === Kind.FIELD) {
          const inside = intro || INTROSPECTION_ROOTS.has(sel.name.value);
          const own = intro && TYPE_LISTS.has(sel.name.value) ? 1 : 0;
          if (sel.selectionSet) deepest = Math.max(deepest, own + nesting(sel.selectionSet, inside));
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, nesting(sel.selectionSet, intro));
        } else {
          const key = `${sel.name.value}:${intro}`;
          if (!memo.has(key)) {
            memo.set(key, 0); // a fragment cycle is reported by NoFragmentCycles; here it just stops
            memo.set(key, nesting(context.getFragment(sel.name.value)?.selectionSet, intro));
          }
          deepest = Math.max(deepest, memo.get(key)!);
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(op) {
        const found = nesting(op.selectionSet, false);
        if (found > max) {
          context.reportError(limitError('introspection-nesting', `Introspection nests ${found} type lists (types/fields/inputFields/interfaces/possibleTypes), the limit is ${max}`, max, found));
        }
      },
    };
  };
}

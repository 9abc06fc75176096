import { GraphQLError, Kind, type ASTVisitor, type FieldNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/** Fields of `__Type` that reveal nothing beyond the name the client already sent. */
const NAME_ONLY = new Set(['name', '__typename']);

/**
 * With INTROSPECTION=false (the production default) the schema's structure is not handed out: `__schema` is refused,
 * and so is any `__type` selection beyond its `name`. A name-only `__type(name: …) { name }` is answered: it tells no
 * more than whether a type exists, and every type name is public anyway (the checked-in `schema/schema.graphql`).
 * Apollo's own rule refuses that too, and with it two MUST audits of the GraphQL-over-HTTP suite (BF61, 28B9), which
 * send exactly such a query to test the transport, not introspection (README "GraphQL over HTTP conformance").
 */
export const introspectionPolicyRule: ValidationRule = (context: ValidationContext): ASTVisitor => {
  const refuse = (node: FieldNode, what: string) =>
    context.reportError(
      new GraphQLError(
        `GraphQL introspection is not allowed on this gateway (INTROSPECTION=false): ${what}. ` +
          'The schema is published as schema/schema.graphql; only `__type(name: …) { name }` is answered.',
        { nodes: [node], extensions: { validationErrorCode: 'INTROSPECTION_DISABLED' } },
      ),
    );
  return {
    Field(node) {
      if (node.name.value === '__schema') refuse(node, 'the query contains __schema');
      else if (node.name.value === '__type' && !nameOnly(node.selectionSet, context, new Set())) {
        refuse(node, 'the query asks __type for more than its name');
      }
    },
  };
};

/** True when a selection set (fragments expanded) selects only `name`/`__typename`; cycles count as not name-only. */
function nameOnly(set: SelectionSetNode | undefined, context: ValidationContext, seen: Set<string>): boolean {
  if (!set) return false;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (!NAME_ONLY.has(sel.name.value)) return false;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (!nameOnly(sel.selectionSet, context, seen)) return false;
    } else {
      const name = sel.name.value;
      if (seen.has(name)) return false;
      const fragment = context.getFragment(name);
      if (!fragment || !nameOnly(fragment.selectionSet, context, new Set([...seen, name]))) return false;
    }
  }
  return true;
}

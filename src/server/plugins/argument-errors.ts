import type { ApolloServerPlugin } from '@apollo/server';
import { type ASTNode, GraphQLError, Kind, visit, type DocumentNode } from 'graphql';

/**
 * graphql-js reports a bad literal as `Expected value of type "ARS", found "1"; …` without saying which
 * argument it was. Users of a form need the argument (and the input field path) to point at, so we
 * rewrite those validation errors with it and put it into `extensions.argument`.
 */
export const argumentErrorsPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async validationDidStart(ctx) {
        return async (errors?: readonly Error[]) => {
          if (!errors?.length || !ctx.document) return;
          const where = locateValues(ctx.document);
          const list = errors as unknown as GraphQLError[];
          list.forEach((err, i) => {
            const node = err.nodes?.[0];
            const site = node && where.get(node);
            const m = /^Expected value of type "([^"]+)", found (.*?); (.*)$/s.exec(err.message);
            if (!site || !m) return;
            const [, type, found, detail] = m;
            // Our key scalars state their expected form as data; other types keep graphql-js' wording.
            const expected = ctx.schema.getType(type.replace(/[[\]!]/g, ''))?.extensions?.expected ?? detail;
            list[i] = new GraphQLError(
              `Argument "${site.argument}" of field "${site.field}" has an invalid value ${found}: ${detail}`,
              {
                nodes: err.nodes,
                originalError: err.originalError ?? undefined,
                extensions: { ...err.extensions, argument: site.argument, field: site.field, type, expected },
              },
            );
          });
        };
      },
    };
  },
};

interface Site { field: string; argument: string }

/** Maps every value node inside an argument to the argument's dotted path (`filter.district`). */
function locateValues(doc: DocumentNode): Map<ASTNode, Site> {
  const out = new Map<ASTNode, Site>();
  const fields: string[] = [];
  const path: string[] = [];
  visit(doc, {
    Field: { enter: (n) => void fields.push(n.name.value), leave: () => void fields.pop() },
    Argument: { enter: (n) => void path.push(n.name.value), leave: () => void path.pop() },
    ObjectField: { enter: (n) => void path.push(n.name.value), leave: () => void path.pop() },
    enter(node) {
      if (path.length && isValue(node)) out.set(node, { field: fields.at(-1) ?? '', argument: path.join('.') });
    },
  });
  return out;
}

const VALUE_KINDS = new Set<string>([Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOLEAN, Kind.ENUM, Kind.LIST, Kind.OBJECT, Kind.NULL]);
const isValue = (n: ASTNode): boolean => VALUE_KINDS.has(n.kind);

import { type ASTNode, GraphQLError, Kind, parse, visit, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';

/**
 * graphql-js reports a bad literal as `Expected value of type "ARS", found "1"; …` without saying which
 * argument it was. Users of a form need the argument (and the input field path) to point at, so we
 * rewrite those validation errors with it and put it into `extensions.argument`. Called from Apollo's
 * `formatError` (src/server/app.ts): the work is done only for a request that has such an error, by reading
 * the document again from the error's own source.
 */
export function withArgumentSite(formatted: GraphQLFormattedError, error: unknown, schema: GraphQLSchema): GraphQLFormattedError {
  if (!(error instanceof GraphQLError)) return formatted;
  const m = /^Expected value of type "([^"]+)", found (.*?); (.*)$/s.exec(error.message);
  const node = error.nodes?.[0];
  const source = node?.loc?.source;
  if (!m || !node?.loc || !source) return formatted;
  let doc: DocumentNode;
  try {
    doc = parse(source);
  } catch {
    return formatted;
  }
  const site = [...locateValues(doc)].find(([n]) => n.kind === node.kind && n.loc?.start === node.loc!.start)?.[1];
  if (!site) return formatted;
  const [, type, found, detail] = m;
  // Our key scalars state their expected form as data; other types keep graphql-js' wording.
  const expected = schema.getType(type.replace(/[[\]!]/g, ''))?.extensions?.expected ?? detail;
  return {
    ...formatted,
    message: `Argument "${site.argument}" of field "${site.field}" has an invalid value ${found}: ${detail}`,
    extensions: { ...formatted.extensions, argument: site.argument, field: site.field, type, expected },
  };
}

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

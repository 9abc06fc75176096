import type { ApolloServerPlugin } from '@apollo/server';
import { getNamedType, getNullableType, isCompositeType, isListType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import type { GatewayContext, Role } from '../../schema/context';
import { DEFAULT_PAGE_SIZE } from '../../schema/pagination';
import { limitError } from './limits';

/**
 * Operation cost before execution (DESIGN §6). The unit is one resolved object; every upstream request a field
 * makes adds UPSTREAM_CALL_COST. Lists multiply what is selected below them by the number of items they can
 * return, so `municipalities(first: 605) { … services { … } }` costs 605 PVOG requests, not one.
 *
 * - object field: 1 + its selection; leaf fields: 0 (their size is bounded by the token limit).
 * - connection (`first` argument): 1 + items × selection, items = `first` or the default page size, at most the
 *   collection's known size (605 municipalities) or the number of `leikaKeys` asked for.
 * - other lists: items × (1 + selection), items = the length of the argument that names them, else LIST_ESTIMATE.
 * - introspection: 0 here; bounded by the depth and introspection-nesting limits (plugins/limits.ts).
 */
export const UPSTREAM_CALL_COST = 20;
/** Items assumed for a list without a page size or a naming argument (DVDV routes, text modules, fees, layers…). */
export const LIST_ESTIMATE = 10;

/** Known sizes and default page sizes of collections, by `Type.field`. */
const MAX_ITEMS: Record<string, number> = {
  'Query.municipalities': 605, // the Destatis list (data/thueringen-gemeinden.csv)
};
const DEFAULT_ITEMS: Record<string, number> = {
  'Query.geoRecords': 20,
  'Municipality.geoRecords': 20,
};

/** PVOG looks LeiKa keys up in batches (src/upstreams/pvog/loaders.ts: serviceByLeika). */
const LEIKA_BATCH = 64;
type Args = Record<string, unknown>;
const len = (v: unknown): number | undefined => (Array.isArray(v) ? v.length : undefined);
const servicesCalls = (a: Args) => (len(a.leikaKeys) ? Math.ceil(len(a.leikaKeys)! / LEIKA_BATCH) : 1);

/**
 * Upstream requests per field, by `Type.field` (the resolvers in src/schema/resolvers/). Fields served from one
 * detail document (text modules, fees…) each count one request: an upper bound, the loader fetches it once.
 */
const UPSTREAM_CALLS: Record<string, (args: Args) => number> = {
  'Query.directoryOrganization': () => 1,
  'Query.directoryOrganizations': () => 1,
  'Query.directoryRoute': () => 1,
  'Query.directoryRoutes': () => 1,
  'Query.directoryService': () => 1,
  'Query.geoRecord': () => 1,
  'Query.geoRecords': () => 1,
  'Query.geoWebService': () => 1,
  'Query.geoWebServices': (a) => len(a.names) ?? LIST_ESTIMATE,
  'Query.onlineServices': () => 2, // ThAVEL catalogue + PVOG
  'Query.organisationUnit': () => 1,
  'Query.routes': () => 2, // unit titles + unit details
  'Query.service': () => 1,
  'Query.services': servicesCalls,
  'Municipality.services': servicesCalls,
  'Municipality.responsibleUnit': () => 2,
  'Municipality.geoRecords': () => 1,
  'Municipality.onlineServices': () => 2,
  'Municipality.digitalOffer': () => 2,
  'Municipality.directoryOrganizations': (a) => len(a.categories) ?? 3,
  'OrganisationUnit.directoryOrganizations': () => 3,
  'OrganisationUnit.onlineServices': () => 1,
  'AdministrativeService.onlineServices': () => 1,
  'Route.onlineServices': () => 1,
  'Responsibility.organisationUnit': () => 1,
  'DirectoryService.elements': () => 1,
  'DirectoryService.routes': () => 1,
  'GeoRecord.services': () => 1,
  'GeoRecord.datasets': () => 1,
  'GeoRecord.layers': () => 1,
  'OgcLayer.metadata': () => 1,
  'GeoWebService.metadata': () => 1,
  ...Object.fromEntries(
    ['textModules', 'shortText', 'fullText', 'legalBasis', 'requiredDocuments', 'prerequisites', 'procedure', 'formsText', 'furtherInformation', 'fees', 'deadlines', 'processingTime', 'legalReferences', 'forms', 'responsibilities'].map(
      (f) => [`AdministrativeService.${f}`, () => 1],
    ),
  ),
};

/** Helper objects computed with their parent, no work of their own. */
const FREE_TYPES = new Set(['PageInfo']);

export function estimateField({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  if (type.name.startsWith('__') || field.name.startsWith('__')) return 0;
  const key = `${type.name}.${field.name}`;
  const calls = (UPSTREAM_CALLS[key]?.(args) ?? 0) * UPSTREAM_CALL_COST;
  const named = getNamedType(field.type);
  if (!isCompositeType(named)) return calls;
  const own = FREE_TYPES.has(named.name) ? 0 : 1;
  if ('first' in args || field.args.some((a) => a.name === 'first')) {
    let items = typeof args.first === 'number' ? args.first : DEFAULT_ITEMS[key] ?? DEFAULT_PAGE_SIZE;
    if (MAX_ITEMS[key] !== undefined) items = Math.min(items, MAX_ITEMS[key]);
    if (len(args.leikaKeys)) items = Math.min(items, len(args.leikaKeys)!);
    return calls + own + items * childComplexity;
  }
  if (isListType(getNullableType(field.type))) {
    // `edges` of a connection: the connection field above already multiplied by its page size.
    const items = named.name.endsWith('Edge') ? 1 : namingArgumentLength(args) ?? LIST_ESTIMATE;
    return calls + items * (own + childComplexity);
  }
  return calls + own + childComplexity;
}

/** `geoWebServices(names: [...])`, `directoryOrganizations(categories: [...])`: the list is as long as the argument. */
function namingArgumentLength(args: Args): number | undefined {
  for (const v of Object.values(args)) if (Array.isArray(v)) return v.length;
  return undefined;
}

export type CostLimits = Record<Role, number>;

/** Cost of one operation with its variables; undefined when the variables do not coerce (execution reports that). */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null, variables?: Record<string, unknown>): number | undefined {
  try {
    return getComplexity({ schema, query: document, operationName: operationName ?? undefined, variables, estimators: [estimateField] });
  } catch {
    return undefined;
  }
}

/** Variable sets remembered per document: a client that varies its variables per request just misses. */
const MAX_VARIABLE_SETS = 64;
const costs = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number | undefined>>>();

/**
 * `operationCost` once per (document, operation name, variables) instead of a full walk of the document per request
 * (issue 15). Apollo hands every request with the same query text the same parsed DocumentNode (its document store,
 * an LRU keyed by the text's hash), so the document object is the key and the memo goes away with it.
 */
export function cachedOperationCost(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null, variables?: Record<string, unknown>): number | undefined {
  let perDocument = costs.get(schema);
  if (!perDocument) costs.set(schema, (perDocument = new WeakMap()));
  let known = perDocument.get(document);
  if (!known) perDocument.set(document, (known = new Map()));
  const key = `${operationName ?? ''}\n${variables && Object.keys(variables).length ? JSON.stringify(variables) : ''}`;
  if (known.has(key)) return known.get(key);
  const cost = operationCost(schema, document, operationName, variables);
  if (known.size >= MAX_VARIABLE_SETS) known.clear();
  known.set(key, cost);
  return cost;
}

/**
 * Rejects an operation whose cost exceeds its caller's maximum before any resolver runs (so before any upstream
 * request). The error points state-wide callers to the availability queries when the schema has them.
 */
export function costLimitPlugin(limits: CostLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, contextValue }) {
          const cost = cachedOperationCost(schema, document, request.operationName, request.variables);
          const max = limits[contextValue.role];
          if (cost === undefined || cost <= max) return;
          const fields = schema.getQueryType()?.getFields() ?? {};
          const stateWide = ['availability', 'availabilityMatrix'].filter((f) => f in fields);
          const hint = stateWide.length
            ? `For state-wide questions over all 605 municipalities use ${stateWide.map((f) => `\`${f}\``).join(' or ')}: one request, answered from the gateway's own harvest.`
            : 'Ask for fewer items (`first`, `leikaKeys`) or fewer upstream-backed fields per item, and page with `after`.';
          const err = limitError('cost', `Query cost ${cost} exceeds the maximum of ${max} for the ${contextValue.role} role. ${hint}`, max, undefined, {
            cost,
            role: contextValue.role,
            hint,
            http: { status: 400 },
          });
          throw err;
        },
      };
    },
  };
}

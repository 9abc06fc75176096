import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLInt,
  Kind,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type ConstDirectiveNode,
  type GraphQLSchema,
  type ObjectTypeExtensionNode,
} from 'graphql';
import { SOURCE_DEFAULTS } from '../upstreams/registry';
import type { UpstreamName } from '../upstreams/runtime/names';

/**
 * Response-level cache hints (DESIGN §4). Apollo's cache-control plugin reads `@cacheControl` from
 * the schema's AST nodes and computes, per request, the shortest max-age over the fields actually
 * resolved; the response cache stores only answers whose overall policy is PUBLIC with max-age > 0.
 *
 * Hints come from two places: `@Directive('@cacheControl(maxAge: 900)')` on a type-graphql class or
 * field (wins), or the central `TYPE_CACHE_HINTS` table below (so reference/upstream TTLs live in one
 * place). A root field or a field returning an object type with no hint at all gets max-age 0 —
 * new data is uncacheable until someone decides otherwise. Role-restricted data must carry
 * `scope: PRIVATE`: a PRIVATE policy is never stored.
 */
export type CacheScope = 'PUBLIC' | 'PRIVATE';
export interface CacheHint {
  maxAge?: number;
  scope?: CacheScope;
  /** Take the max-age of the parent field (helper types: provenance, page info, edges). */
  inheritMaxAge?: boolean;
}

/** Reference data shipped with the gateway (Destatis list): changes once a year at most. */
export const REFERENCE_MAX_AGE_S = 86_400;

/** An upstream-derived type is fresh for as long as its upstream's data-cache TTL. */
export function upstreamHint(upstream: UpstreamName): CacheHint {
  return { maxAge: Math.floor(SOURCE_DEFAULTS[upstream].ttlMs / 1000) };
}

const INHERIT: CacheHint = { inheritMaxAge: true };

/** By GraphQL type name; types not (yet) in the schema are skipped. `*Connection`/`*Edge` inherit. */
export const TYPE_CACHE_HINTS: Readonly<Record<string, CacheHint>> = {
  Municipality: { maxAge: REFERENCE_MAX_AGE_S },
  District: { maxAge: REFERENCE_MAX_AGE_S },
  Verband: { maxAge: REFERENCE_MAX_AGE_S },
  GeoPoint: INHERIT,
  Provenance: INHERIT,
  PageInfo: INHERIT,
  // Portal data (PVOG) — the adapters' types, when they exist.
  AdministrativeService: upstreamHint('pvog'),
  OrganisationUnit: upstreamHint('pvog'),
  Route: upstreamHint('pvog'),
  // Their parts live exactly as long as the object they belong to.
  Link: INHERIT,
  RichText: INHERIT,
  TextModule: INHERIT,
  Fee: INHERIT,
  ProcessingTime: INHERIT,
  Responsibility: INHERIT,
  PostalAddress: INHERIT,
  Contact: INHERIT,
  OpeningHours: INHERIT,
  ResponsibilityRole: INHERIT,
  SubmissionChannel: INHERIT,
  // Online services (ThAVEL catalogue merged with PVOG): as fresh as the shorter of the two TTLs.
  OnlineService: { maxAge: Math.min(upstreamHint('thavel').maxAge!, upstreamHint('pvog').maxAge!) },
  DigitalOffer: { maxAge: Math.min(upstreamHint('thavel').maxAge!, upstreamHint('pvog').maxAge!) },
  OnlineServiceLink: INHERIT,
  OnlineServicePayment: INHERIT,
  OnlineServiceSource: INHERIT,
  TrustLevel: INHERIT,
  MissingOnlineService: INHERIT,
  // Operational status must always be live.
  UpstreamStatus: { maxAge: 0 },
  PurgeResult: { maxAge: 0, scope: 'PRIVATE' },
};

export const CacheControlScopeEnum = new GraphQLEnumType({
  name: 'CacheControlScope',
  description: 'Who may cache a response: PUBLIC = any cache, PRIVATE = never in the shared response cache.',
  values: {
    PUBLIC: { description: 'Any cache may keep the response, the shared response cache included.' },
    PRIVATE: { description: 'Only the caller may keep it; never stored in the shared response cache.' },
  },
});

/** The directive Apollo's cache-control plugin understands (same shape as Apollo's documented SDL). */
export const cacheControlDirective = new GraphQLDirective({
  name: 'cacheControl',
  description: 'Response cache hint: seconds the value stays fresh and who may cache it.',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.OBJECT, DirectiveLocation.INTERFACE, DirectiveLocation.UNION],
  args: {
    maxAge: { type: GraphQLInt },
    scope: { type: CacheControlScopeEnum },
    inheritMaxAge: { type: GraphQLBoolean },
  },
});

/**
 * A page of X is as fresh as X. Plain inheritance would not do: at the root (`municipalities`) there is
 * no parent to inherit from, and Apollo would make every root connection uncacheable.
 */
function connectionHint(typeName: string, table: Readonly<Record<string, CacheHint>>): CacheHint | undefined {
  const m = /^(\w+?)(Connection|Edge)$/.exec(typeName);
  if (!m) return undefined;
  const node = table[m[1]];
  return node?.maxAge !== undefined ? { maxAge: node.maxAge, scope: node.scope } : INHERIT;
}

function directiveNode(hint: CacheHint): ConstDirectiveNode {
  const args: ConstDirectiveNode['arguments'] = [
    ...(hint.inheritMaxAge ? [{ kind: Kind.ARGUMENT as const, name: { kind: Kind.NAME as const, value: 'inheritMaxAge' }, value: { kind: Kind.BOOLEAN as const, value: true } }] : []),
    ...(hint.maxAge !== undefined ? [{ kind: Kind.ARGUMENT as const, name: { kind: Kind.NAME as const, value: 'maxAge' }, value: { kind: Kind.INT as const, value: String(hint.maxAge) } }] : []),
    ...(hint.scope ? [{ kind: Kind.ARGUMENT as const, name: { kind: Kind.NAME as const, value: 'scope' }, value: { kind: Kind.ENUM as const, value: hint.scope } }] : []),
  ];
  return { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'cacheControl' }, arguments: args };
}

/**
 * Attaches the table's hints as type extensions (Apollo reads `extensionASTNodes` after `astNode`,
 * so an explicit `@Directive` on the class wins). Extensions are not printed: the SDL is unchanged.
 */
export function applyCacheHints(schema: GraphQLSchema, table: Readonly<Record<string, CacheHint>> = TYPE_CACHE_HINTS): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type) && !isUnionType(type)) continue;
    if (type.name.startsWith('__')) continue;
    const hint = table[type.name] ?? connectionHint(type.name, table);
    if (!hint) continue;
    const ext: ObjectTypeExtensionNode = {
      kind: Kind.OBJECT_TYPE_EXTENSION,
      name: { kind: Kind.NAME, value: type.name },
      directives: [directiveNode(hint)],
    };
    // graphql-js marks these readonly for consumers; the schema is ours and not yet in use.
    (type as { extensionASTNodes: readonly unknown[] }).extensionASTNodes = [...type.extensionASTNodes, ext];
  }
  return schema;
}

/**
 * For resolvers of upstream-derived fields: a stale answer (stale-if-error, stale-while-revalidate)
 * must not be kept in the response cache for the type's full max-age — it is served, not stored.
 *
 *   const r = await ctx.services.upstreams.pvog.fetch(call, ctx);
 *   noStoreIfStale(info, r.provenance);
 */
export function noStoreIfStale(info: { cacheControl?: { setCacheHint(hint: { maxAge?: number }): void } }, provenance: { stale: boolean }): void {
  if (provenance.stale) info.cacheControl?.setCacheHint({ maxAge: 0 });
}

import type { ClassType } from 'type-graphql';
import { hasRole, ForbiddenError } from './auth-checker';
import type { GatewayContext, Role } from './context';
import { BadInputError } from './errors';
import { decodeGlobalId } from './node-id';
import { AdministrativeService } from './types/administrative-service';
import { DirectoryOrganization, OsciRoute } from './types/dvdv';
import { GeoRecord, GeoWebService, OgcLayer } from './types/geo';
import { District, Municipality, Verband } from './types/municipality';
import { NODE_TYPE } from './types/node';
import { OnlineService } from './types/online-service';
import { OrganisationUnit } from './types/organisation-unit';
import { Route } from './types/route';

/**
 * Every entity type of the schema that implements `Node`: which native key parts make its global id, and how
 * `node(id:)` loads it again — through the same per-request services (and so the same loaders and caches) as
 * the type's own query. Restricted types name the role they need; the check runs before any upstream call.
 */
export interface NodeType<T extends object> {
  cls: ClassType<T>;
  /** How many native key parts the id holds. */
  parts: number;
  key(value: T): string[];
  load(ctx: GatewayContext, key: string[]): Promise<T | null>;
  role?: Role;
}

const node = <T extends object>(t: NodeType<T>): NodeType<T> => t;

export const NODE_TYPES = {
  Municipality: node({ parts: 1, cls: Municipality, key: (m) => [m.ars], load: async (ctx, [ars]) => ctx.services.municipalities.find({ ars }) }),
  District: node({
    parts: 1, cls: District,
    key: (d) => [d.ars],
    load: async (ctx, [ars]) => ctx.services.municipalities.list({ district: ars })[0]?.district ?? null,
  }),
  Verband: node({
    parts: 1, cls: Verband,
    key: (v) => [v.ars],
    load: async (ctx, [ars]) => ctx.services.municipalities.list({ verband: ars })[0]?.verband ?? null,
  }),
  // A Leistung as described for a place: the same lbId can be described for several places.
  AdministrativeService: node({
    parts: 3, cls: AdministrativeService,
    key: (s) => [s.ars, s.id, s.leikaKey ?? ''],
    load: async (ctx, [ars, lbId, leikaKey]) => {
      const byKey = leikaKey ? await ctx.portal.service(leikaKey, ars) : null;
      if (byKey?.id === lbId) return byKey;
      return (await ctx.portal.services(ars, {})).find((s) => s.id === lbId) ?? null;
    },
  }),
  OrganisationUnit: node({ parts: 1, cls: OrganisationUnit, key: (u) => [u.id], load: (ctx, [id]) => ctx.portal.organisationUnit(id) }),
  // The first area is where the merged entry was found (PVOG-only entries get the place asked for).
  OnlineService: node({
    parts: 2, cls: OnlineService,
    key: (o) => [o.id, o.areas[0] ?? ''],
    load: async (ctx, [id, ars]) => (await ctx.onlineServices.at(ars, undefined, 'id')).find((o) => o.id === id) ?? null,
  }),
  Route: node({
    parts: 3, cls: Route,
    key: (r) => [r.leikaKey, r.ars, r.organisationUnitId],
    load: async (ctx, [leikaKey, ars, unitId]) => (await ctx.portal.routes(leikaKey, ars)).find((r) => r.organisationUnitId === unitId) ?? null,
  }),
  GeoRecord: node({ parts: 1, cls: GeoRecord, key: (r) => [r.id], load: (ctx, [id]) => ctx.geo.record(id) }),
  GeoWebService: node({ parts: 1, cls: GeoWebService, key: (w) => [w.name], load: (ctx, [name]) => ctx.geo.webService(name) }),
  OgcLayer: node({
    parts: 2, cls: OgcLayer,
    key: (l) => [l.serviceName, l.name],
    load: async (ctx, [service, name]) => (await ctx.geo.webService(service)).layers.find((l) => l.name === name) ?? null,
  }),
  DirectoryOrganization: node({
    parts: 2, cls: DirectoryOrganization,
    role: 'integrator',
    key: (o) => [o.key, o.category],
    load: (ctx, [key, category]) => ctx.directory.organization(key, category),
  }),
  OsciRoute: node({
    parts: 3, cls: OsciRoute,
    role: 'integrator',
    key: (r) => [r.organizationKey, r.serviceUri, r.variant],
    load: (ctx, [key, uri, variant]) => ctx.directory.route(key, uri, variant),
  }),
};

export type NodeTypeName = keyof typeof NODE_TYPES;
const NAMES = Object.keys(NODE_TYPES) as NodeTypeName[];

/** `node(id:)`: decode, check the role, load through the type's service; tagged so `Node.resolveType` knows the type. */
export async function loadNode(ctx: GatewayContext, id: string, argument = 'id'): Promise<object | null> {
  const { type, key } = decodeGlobalId(id, argument, NAMES);
  const def = NODE_TYPES[type as NodeTypeName] as unknown as NodeType<object>;
  if (def.role && !hasRole(ctx.role, def.role)) throw new ForbiddenError(def.role);
  if (key.length !== def.parts) throw new BadInputError(argument, `a global object id as returned in the \`id\` field of ${type}`, id);
  const value = await def.load(ctx, key);
  return value ? { ...value, [NODE_TYPE]: type } : null;
}

export const MAX_NODES = 100;

export function checkNodeIds(ids: readonly string[]): void {
  if (ids.length > MAX_NODES) throw new BadInputError('ids', `at most ${MAX_NODES} ids`, `${ids.length} ids`);
}

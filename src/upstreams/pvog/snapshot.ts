import { allValid, shape, type SnapshotSlice } from '../runtime/fallback';
import type { OnlineServiceDto, ServiceDetail, ServiceSummary, UnitDetail, UnitTitle } from './mapper';

/**
 * PVOG answers read back from a harvest snapshot (runtime/fallback.ts). The harvester stores, per municipality,
 * the services and online services PVOG listed there, per listed Leistung its responsible Organisationseinheiten and
 * its description there, and every Organisationseinheit named (item keys and wrapping: src/harvest/items.ts); every
 * item is checked against the shape the mapper gives before it is served.
 */

export const SNAPSHOT_PREFIX = {
  services: (ars: string) => `service:${ars}:`,
  online: (ars: string) => `online:${ars}:`,
  // Single items: the key is the prefix, and only the item with exactly that key answers (`unit:L1` is a prefix of `unit:L10`).
  responsibility: (ars: string, lbId: string) => `responsibility:${ars}:${lbId}`,
  detail: (ars: string, lbId: string) => `detail:${ars}:${lbId}`,
  unit: (id: string) => `unit:${id}`,
};

const links = (v: unknown) => shape.arr(v) && v.every((l) => shape.obj(l) && shape.str(l.url) && shape.str(l.title));

function service(p: unknown): ServiceSummary | undefined {
  if (!shape.obj(p) || p.kind !== 'service' || !shape.obj(p.service)) return undefined;
  const s = p.service;
  const ok = shape.str(s.id) && shape.strOrNull(s.leikaKey) && shape.str(s.name) && shape.strOrNull(s.lastUpdate) && links(s.onlineServiceLinks);
  return ok ? (s as unknown as ServiceSummary) : undefined;
}

function online(p: unknown): OnlineServiceDto | undefined {
  if (!shape.obj(p) || p.kind !== 'online' || !shape.obj(p.onlineService)) return undefined;
  const d = p.onlineService;
  return shape.str(d.id) && shape.str(d.name) && links(d.links) && shape.strings(d.leikaKeys) ? (d as unknown as OnlineServiceDto) : undefined;
}

/**
 * The services PVOG listed at the place when the snapshot was harvested; undefined when the snapshot has none there
 * (a place the harvest does not cover — every municipality lists some Leistungen) or an item is malformed.
 */
export function servicesAt(slice: SnapshotSlice): ServiceSummary[] | undefined {
  if (slice.items.length === 0) return undefined;
  return allValid(slice.items, service);
}

/** The online services PVOG listed at the place (possibly none); undefined when an item is malformed. */
export function onlineAt(slice: SnapshotSlice): OnlineServiceDto[] | undefined {
  return allValid(slice.items, online);
}

const role = (v: unknown) => v === null || (shape.obj(v) && shape.str(v.code) && shape.strOrNull(v.name));
const titles = (v: unknown) => shape.arr(v) && v.every((t) => shape.obj(t) && shape.str(t.id) && shape.str(t.title) && role(t.role));

/** The payload of the item whose key is exactly `key`; undefined when the slice has none. */
const exactly = (slice: SnapshotSlice, key: string): unknown => slice.items.find((i) => i.key === key)?.payload;

/** The Organisationseinheiten PVOG named for the Leistung at the place (possibly none); undefined when not harvested or malformed. */
export function responsibilityIn(slice: SnapshotSlice, ars: string, lbId: string): UnitTitle[] | undefined {
  const p = exactly(slice, SNAPSHOT_PREFIX.responsibility(ars, lbId));
  if (!shape.obj(p) || p.kind !== 'responsibility' || !titles(p.units)) return undefined;
  return p.units as UnitTitle[];
}

/** The Leistung's description at the place; undefined when not harvested or malformed. */
export function detailIn(slice: SnapshotSlice, ars: string, lbId: string): ServiceDetail | undefined {
  const p = exactly(slice, SNAPSHOT_PREFIX.detail(ars, lbId));
  if (!shape.obj(p) || p.kind !== 'detail' || !shape.obj(p.detail)) return undefined;
  const d = p.detail;
  const mods = shape.arr(d.textModules) && d.textModules.every((t) => shape.obj(t) && shape.str(t.code) && shape.str(t.languageCode) && shape.str(t.html));
  const ok =
    shape.str(d.id) && shape.str(d.name) && shape.strOrNull(d.leikaKey) && links(d.onlineServiceLinks) && mods && shape.arr(d.fees) && shape.arr(d.deadlines) &&
    shape.strings(d.legalBasis) && shape.arr(d.forms) && titles(d.organisations);
  return ok ? (d as unknown as ServiceDetail) : undefined;
}

/** One Organisationseinheit; undefined when not harvested or malformed. */
export function unitIn(slice: SnapshotSlice, id: string): UnitDetail | undefined {
  const p = exactly(slice, SNAPSHOT_PREFIX.unit(id));
  if (!shape.obj(p) || p.kind !== 'unit' || !shape.obj(p.unit)) return undefined;
  const u = p.unit;
  const ok = shape.str(u.id) && shape.str(u.name) && shape.strings(u.languages) && shape.arr(u.addresses) && shape.arr(u.openingHours) && shape.obj(u.contact) && role(u.role);
  return ok ? (u as unknown as UnitDetail) : undefined;
}

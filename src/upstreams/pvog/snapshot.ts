import { allValid, shape, type SnapshotSlice } from '../runtime/fallback';
import type { OnlineServiceDto, ServiceSummary } from './mapper';

/**
 * PVOG answers read back from a harvest snapshot (runtime/fallback.ts). The harvester stores, per municipality,
 * the services and online services PVOG listed there (item keys and wrapping: src/harvest/items.ts); every item is
 * checked against the shape the mapper gives before it is served.
 */

export const SNAPSHOT_PREFIX = {
  services: (ars: string) => `service:${ars}:`,
  online: (ars: string) => `online:${ars}:`,
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

import { readBulkFeed, XzufiSnapshot, type FeedOrphans } from '../formats/xzufi/bulk';
import type { XzufiLeistung, XzufiOnlinedienst } from '../formats/xzufi/xzufi';
import type { MunicipalityDirectory } from '../reference/municipalities';
import type { BulkFeed } from '../upstreams/pvog/bulk-feed';
import { htmlToText } from '../upstreams/pvog/html';
import type { OnlineServiceDto, ServiceSummary, UnitDetail, UnitTitle } from '../upstreams/pvog/mapper';
import { UpstreamError } from '../upstreams/runtime/errors';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { CallContext } from '../upstreams/runtime/source';
import { itemKey, type PvogItem } from './items';
import type { ItemInput, ItemVersion, SnapshotRow, SnapshotStore, UnitCounts } from './store';

/** What the bulk mode needs of the harvester's context (declared here so this module does not import the harvester). */
export interface BulkHarvestContext {
  readonly o: { directory: MunicipalityDirectory };
  readonly store: SnapshotStore;
  readonly snap: SnapshotRow;
  call(): CallContext;
  units<U>(upstream: UpstreamName, units: readonly { id: string; value: U }[], run: (u: U) => Promise<UnitCounts>): Promise<UnitCounts>;
}

/** Safety stop: the Thuringian feed has a few thousand pages at most. */
const MAX_PAGES = 20_000;
const BULK_UNIT = 'pvog:bulk';

/**
 * PVOG from the Bereitstelldienst bulk feed (issue 11: "bulk feed where configured, else per ARS"), mapped to the items
 * a harvest per ARS writes (src/harvest/items.ts), so availability, fallback and conformance read both alike.
 *
 * The whole feed is one work unit. A Zuständigkeit names its Leistung and its OE/Onlinedienst by id, and these may sit
 * on any page, before or after it; what a municipality offers is known only once the last page is read. Progress per
 * page range would mean storing the raw XZuFi objects of half-read feeds as well — a second store for a state that is
 * worth nothing until the feed is complete. So a crash re-reads the feed (pages are requests, not writes), while the
 * writes stay incremental: the items are compared by content hash and unchanged ones cost no write (SnapshotStore).
 */
export async function harvestPvogBulk(c: BulkHarvestContext, feed: BulkFeed): Promise<UnitCounts> {
  const versions: Map<string, ItemVersion> = await c.store.itemVersions('pvog', c.snap.id);
  return c.units('pvog', [{ id: BULK_UNIT, value: feed }], async (f) => {
    const snapshot = await readCompleteFeed(f, () => c.call());
    const upserts = feedItems(snapshot, c.o.directory).map(({ key, payload }): ItemInput => ({ key, payload }));
    // The feed is authoritative for every PVOG item: what it no longer carries leaves the snapshot.
    return c.store.applyUnit({ snapshotId: c.snap.id, upstream: 'pvog', unit: BULK_UNIT, upserts, scope: versions.keys(), versions });
  });
}

/**
 * The whole feed, applied in memory. A feed that stops before `vollstaendig` would look like withdrawn Leistungen
 * everywhere, so it is an error (the harvest keeps the previous items; a live conformance run reports a gap).
 */
export async function readCompleteFeed(f: BulkFeed, call: () => CallContext): Promise<XzufiSnapshot> {
  const snapshot = new XzufiSnapshot();
  for await (const page of readBulkFeed((index) => f.page(index, call()), { maxPages: MAX_PAGES })) snapshot.apply(page);
  if (!snapshot.summary.complete) {
    throw new UpstreamError({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'pvog', internal: { url: f.url, reason: `bulk feed incomplete after ${snapshot.summary.pages} pages` } });
  }
  return snapshot;
}

/**
 * The municipalities (12-digit ARS) a gebietID covers: a municipality itself, or every municipality below a Land (2),
 * Regierungsbezirk (3), district (5) or Verband (9) ARS — a Land- or district-wide Zuständigkeit applies to each
 * municipality below it (portal-pvog.md §6: the ARS is hierarchical). `000000000000` (Bund) covers all. An ARS of
 * another length or outside the register covers none (the Suchdienst does not list a place it does not know either).
 */
export function areaResolver(directory: MunicipalityDirectory): (gebietId: string) => readonly string[] {
  const all = directory.all.map((m) => m.ars);
  const byPrefix = new Map<string, string[]>();
  for (const ars of all) {
    for (const len of [2, 3, 5, 9, 12]) {
      const p = ars.slice(0, len);
      const list = byPrefix.get(p) ?? [];
      list.push(ars);
      byPrefix.set(p, list);
    }
  }
  return (g) => (g === '000000000000' ? all : /^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$/.test(g) ? (byPrefix.get(g) ?? []) : []);
}

const nameOf = (texts: Record<string, string>): string => texts.de ?? Object.values(texts)[0] ?? '';

/** The items of a completely read feed: per municipality its services, online services and responsibilities; the units; the orphans. */
export function feedItems(feed: XzufiSnapshot, directory: MunicipalityDirectory): { key: string; payload: PvogItem }[] {
  const areas = areaResolver(directory);
  const leistungen = new Map(feed.byKind('leistung').map((l) => [l.id, l]));
  const units = feed.byKind('organisationseinheit');
  const unitById = new Map(units.map((u) => [u.id, u]));

  // (ARS, Leistung) → units and roles there, from OE-embedded Zuständigkeiten and transfer objects under an OE.
  const resp = new Map<string, { ars: string; leistung: XzufiLeistung; units: UnitTitle[] }>();
  const addResponsibility = (leistungId: string, unitId: string, role: UnitTitle['role'], areaIds: string[]) => {
    const leistung = leistungen.get(leistungId);
    const unit = unitById.get(unitId);
    if (!leistung || !unit) return; // an orphan: recorded by feed.orphans()
    for (const ars of new Set(areaIds.flatMap(areas))) {
      const k = itemKey.responsibility(ars, leistungId);
      const r = resp.get(k) ?? { ars, leistung, units: [] };
      resp.set(k, r);
      r.units.push({ id: unit.id, title: nameOf(unit.names), role });
    }
  };
  for (const u of units) for (const z of u.responsibilities) addResponsibility(z.leistungId, u.id, z.role ? { code: z.role.code, name: z.role.name } : null, z.areaIds);

  // Online services per municipality, in feed order (the order the Suchdienst lists them in).
  const online = feed.byKind('onlinedienst');
  const onlineAreas = new Map<string, Set<string>>(online.map((o) => [o.id, new Set(o.responsibilities.flatMap((z) => z.areaIds.flatMap(areas)))]));
  const leikaKeysOf = new Map(online.map((o) => [o.id, [...new Set(o.responsibilities.flatMap((z) => leistungen.get(z.leistungId)?.leikaKey ?? []))]]));
  for (const z of feed.byKind('zustaendigkeit')) {
    if (z.parentId && unitById.has(z.parentId)) addResponsibility(z.leistungId, z.parentId, null, z.areaIds);
    else if (z.parentId && onlineAreas.has(z.parentId) && leistungen.has(z.leistungId)) {
      z.areaIds.flatMap(areas).forEach((a) => onlineAreas.get(z.parentId!)!.add(a));
      const key = leistungen.get(z.leistungId)!.leikaKey;
      const keys = leikaKeysOf.get(z.parentId)!;
      if (key && !keys.includes(key)) keys.push(key);
    }
  }
  const dto = (o: XzufiOnlinedienst): OnlineServiceDto => ({
    id: o.id,
    name: nameOf(o.names),
    links: o.links.map((l) => ({ title: l.title ?? l.url, url: l.url })),
    leikaKeys: leikaKeysOf.get(o.id)!,
  });
  const onlineByArs = new Map<string, OnlineServiceDto[]>();
  for (const o of online) {
    const d = dto(o);
    for (const ars of onlineAreas.get(o.id)!) onlineByArs.set(ars, [...(onlineByArs.get(ars) ?? []), d]);
  }

  const out: { key: string; payload: PvogItem }[] = [];
  const referencedUnits = new Set<string>();
  for (const [key, r] of resp) {
    // As `/v2/organisationunits/titles` lists them: competent authority first, then by id.
    r.units.sort((a, b) => (a.role?.code ?? '').localeCompare(b.role?.code ?? '') || a.id.localeCompare(b.id));
    r.units.forEach((u) => referencedUnits.add(u.id));
    out.push({ key, payload: { kind: 'responsibility', ars: r.ars, lbId: r.leistung.id, units: r.units } });
    const l = r.leistung;
    const service: ServiceSummary = {
      id: l.id,
      leikaKey: l.leikaKey,
      name: htmlToText(nameOf(l.names)),
      lastUpdate: l.lastUpdate,
      onlineServiceLinks: (onlineByArs.get(r.ars) ?? [])
        .filter((o) => l.leikaKey !== null && o.leikaKeys.includes(l.leikaKey))
        .flatMap((o) => o.links.slice(0, 1).map((link) => ({ title: o.name, url: link.url }))),
    };
    out.push({ key: itemKey.service(r.ars, l.id), payload: { kind: 'service', ars: r.ars, service } });
  }
  for (const [ars, list] of onlineByArs) for (const d of list) out.push({ key: itemKey.online(ars, d.id), payload: { kind: 'online', ars, onlineService: d } });
  for (const id of referencedUnits) {
    const u = unitById.get(id)!;
    // The feed carries name and address; opening hours and contacts are not part of it (Suchdienst detail only).
    const unit: UnitDetail = {
      id: u.id,
      name: nameOf(u.names),
      shortName: null,
      languages: Object.keys(u.names).sort(),
      lastUpdate: null,
      addresses: u.addresses.map((a) => ({ street: a.street, houseNumber: a.houseNumber, postalCode: a.postalCode, city: a.city, ars: a.ars, ags: a.ags })),
      openingHours: [],
      openingHoursNote: null,
      contact: { phone: null, fax: null, email: null, website: null },
      role: null,
    };
    out.push({ key: itemKey.unit(id), payload: { kind: 'unit', unit } });
  }
  const orphans: FeedOrphans = feed.orphans();
  out.push({ key: itemKey.feedOrphans(), payload: { kind: 'feed-orphans', orphans } });
  return out;
}

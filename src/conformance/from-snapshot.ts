import type { Database } from '../persistence/orm';
import { DVDV_PREFIX, THAVEL_PREFIX, type DvdvLookupItem, type ThavelWarningsItem } from '../harvest/items';
import { SnapshotReader, type SnapshotInfo } from '../harvest/snapshot-reader';
import type { CatalogueEntry } from '../upstreams/thavel/mapper';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { ServiceDetail, ServiceSummary, UnitDetail, UnitTitle } from '../upstreams/pvog/mapper';
import type { PvogItem } from '../harvest/items';
import { collectGeoproxy, dvdvFromSnapshot, fetchDetails, collectRuntime, conformanceInput, type CollectOptions } from './collect';
import type { ConformanceInput, GeoproxyServiceInput, PvogInput } from './input';

export interface SnapshotCollectOptions extends CollectOptions {
  db: Database;
}

/**
 * What a harvest snapshot does not hold, and is therefore read live (src/harvest/items.ts lists what it holds):
 * named in every run's basis, so a report says which findings rest on live reads.
 */
export const LIVE_SUPPLEMENTS = {
  pvog: 'pvog: descriptions of Leistungen the snapshot holds none for (a harvest from the Bereitstelldienst feed stores no Suchdienst description)',
  geoproxy: 'geoproxy: capabilities of services named by GeoMIS service records but not configured for the harvest, and of services the harvest could not read (e.g. access-protected)',
} as const;

/**
 * The producer over the latest harvest snapshot (issue 12: checks run over the snapshot, not over a re-fetch of every
 * upstream). PVOG service listings, responsibilities, descriptions and Organisationseinheiten, the ThAVEL catalogue
 * entries, the GeoMIS records, the capabilities of the harvested Geoproxy services and the DVDV lookups of the D-rules
 * come from the snapshot; only what the snapshot lacks is read live through the same
 * adapter clients as `collectFromUpstreams` (LIVE_SUPPLEMENTS). Returns null before the first complete harvest — the
 * caller then collects live.
 */
export async function collectFromSnapshot(opts: SnapshotCollectOptions): Promise<ConformanceInput | null> {
  const reader = new SnapshotReader(opts.db);
  const snap = await reader.latest();
  if (!snap) return null;
  const collectedAt = new Date();
  const { run, call, gap, gaps, progress } = collectRuntime(opts);
  const harvested = (u: UpstreamName) => snap.counts[u] !== undefined;
  const live: string[] = [];

  // PVOG: service listings per municipality. A harvested municipality without items has no Leistung there.
  const servicesByArs: PvogInput['servicesByArs'] = [];
  const pvogItems = await reader.items('pvog', { snapshotId: snap.id });
  if (harvested('pvog')) {
    const byArs = new Map<string, ServiceSummary[]>(opts.municipalities.map((m) => [m.ars, []]));
    for (const { payload } of pvogItems) if (payload.kind === 'service') byArs.get(payload.ars)?.push(payload.service);
    for (const [ars, services] of byArs) servicesByArs.push({ ars, services });
  } else gaps.push({ upstream: 'pvog', what: 'services per municipality', error: `snapshot ${snap.id} has no PVOG harvest` });

  // ThAVEL: entries and the reader's warnings (what it dropped as malformed), both harvested (src/harvest/items.ts).
  let thavel: ConformanceInput['thavel'] = null;
  if (harvested('thavel')) {
    const payloads = async (prefix: string) => (await reader.items('thavel', { snapshotId: snap.id, prefix })).map((i) => i.payload);
    const entries = (await payloads(THAVEL_PREFIX.entry)) as CatalogueEntry[];
    const warnings = [...(await payloads(THAVEL_PREFIX.catalogueWarnings)), ...(await payloads(THAVEL_PREFIX.warnings))].flatMap((p) => (p as ThavelWarningsItem).warnings);
    thavel = { catalogue: { entries, deletedIds: [], warnings } };
  } else gaps.push({ upstream: 'thavel', what: 'catalogue', error: `snapshot ${snap.id} has no ThAVEL harvest` });

  const geomis = harvested('geomis') ? { records: (await reader.items('geomis', { snapshotId: snap.id })).map((i) => i.payload) } : null;
  if (!geomis) gaps.push({ upstream: 'geomis', what: 'catalogue', error: `snapshot ${snap.id} has no GeoMIS harvest` });

  // Geoproxy: harvested capabilities; services only the records name (or the harvest could not read) live.
  const base = opts.sources.geoproxy.client.baseUrl.replace(/\/$/, '');
  const fromSnapshot: GeoproxyServiceInput[] = (await reader.items('geoproxy', { snapshotId: snap.id })).map(({ payload: { service: s, capabilities } }) => ({
    ...s,
    url: `${base}/${s.name}?SERVICE=${s.kind}&REQUEST=GetCapabilities&VERSION=${s.version}`,
    capabilities,
    error: null,
    protected: false,
  }));
  progress('geoproxy', 0, 1);
  const urlAliases = opts.urlAliases ?? [];
  const extra = await collectGeoproxy(opts, geomis?.records ?? [], urlAliases, run, call, new Set(fromSnapshot.map((s) => s.name)));
  if (extra.services.length) live.push(LIVE_SUPPLEMENTS.geoproxy);
  const geoproxy = { services: [...fromSnapshot, ...extra.services].sort((a, b) => a.name.localeCompare(b.name, 'en')) };

  const { missingDetails, ...fromItems } = pvogResponsibilities(snap.id, pvogItems, servicesByArs, gaps);
  const pvog: PvogInput = { servicesByArs, ...fromItems };
  // A bulk-feed harvest holds no Suchdienst descriptions (P-11 reads them): only those are asked live, named in the basis.
  if (missingDetails.length) {
    live.push(LIVE_SUPPLEMENTS.pvog);
    pvog.details.push(...(await fetchDetails(opts, missingDetails, run, call, gap)));
  }
  // P-12: the bulk feed's orphans, stored by a harvest that read the feed (src/harvest/pvog-bulk.ts).
  for (const { payload } of pvogItems) if (payload.kind === 'feed-orphans') pvog.feedOrphans = payload.orphans;
  progress('dvdv', 0, 1);
  const dvdv = await dvdvOfSnapshot(reader, snap, opts, pvog).catch(gap('dvdv', 'directory lookups'));
  if (dvdv?.missing.length) gaps.push({ upstream: 'dvdv', what: 'directory lookups', error: `snapshot ${snap.id} lacks ${dvdv.missing.length} lookup(s), e.g. ${dvdv.missing[0]}` });

  return conformanceInput(opts, collectedAt, {
    upstreamUrls: upstreamUrlsOf(snap, opts),
    urlAliases,
    pvog,
    thavel,
    geomis,
    geoproxy,
    dvdv: dvdv?.dvdv ?? null,
    gaps,
    basis: {
      source: 'snapshot',
      snapshotId: snap.id,
      snapshotFinishedAt: snap.finishedAt.toISOString(),
      harvestedAt: Object.fromEntries(Object.entries(snap.counts).flatMap(([u, c]) => (c.harvestedAt ? [[u, c.harvestedAt]] : []))),
      live,
    },
  });
}

/**
 * What `collectPvogResponsibilities` (collect.ts) reads live, from the snapshot's items: the units per listed (ARS,
 * Leistung), one description per Leistung at the first place it is listed, and every unit named. A listed pair without
 * a responsibility item (a snapshot harvested before they were, or a municipality whose harvest failed every time) is a
 * gap, so its rules say `not-evaluated`; a missing description or unit is what PVOG's 404 leaves (the live read drops
 * those too).
 */
function pvogResponsibilities(
  snapshotId: number,
  items: { payload: PvogItem }[],
  servicesByArs: PvogInput['servicesByArs'],
  gaps: ConformanceInput['gaps'],
): Omit<PvogInput, 'servicesByArs'> & { missingDetails: [lbId: string, ars: string][] } {
  const titles = new Map<string, UnitTitle[]>();
  const detailAt = new Map<string, ServiceDetail>();
  const unitById = new Map<string, UnitDetail>();
  for (const { payload: p } of items) {
    if (p.kind === 'responsibility') titles.set(`${p.ars}|${p.lbId}`, p.units);
    else if (p.kind === 'detail') detailAt.set(`${p.ars}|${p.lbId}`, p.detail);
    else if (p.kind === 'unit') unitById.set(p.unit.id, p.unit);
  }
  const unitsByService: PvogInput['unitsByService'] = [];
  let missing = 0;
  for (const { ars, services } of servicesByArs) {
    for (const s of services) {
      const units = titles.get(`${ars}|${s.id}`);
      if (units) unitsByService.push({ ars, lbId: s.id, leikaKey: s.leikaKey, units });
      else if (missing++ < 20) gaps.push({ upstream: 'pvog', what: `units of ${s.id} in ${ars}`, error: `snapshot ${snapshotId} holds no responsibilities for it; run a PVOG harvest` });
    }
  }
  if (missing > 20) gaps.push({ upstream: 'pvog', what: `units of ${missing - 20} more (ARS, Leistung) pairs`, error: `snapshot ${snapshotId} holds no responsibilities for them; run a PVOG harvest` });
  const firstPlace = new Map<string, string>();
  for (const { ars, services } of servicesByArs) for (const s of services) if (!firstPlace.has(s.id)) firstPlace.set(s.id, ars);
  const details = [...firstPlace].flatMap(([lbId, ars]) => detailAt.get(`${ars}|${lbId}`) ?? []);
  // A per-ARS harvest stores a description wherever PVOG has one (a 404 leaves none); a bulk-feed harvest stores none.
  const bulk = items.some((i) => i.payload.kind === 'feed-orphans');
  const missingDetails = bulk ? [...firstPlace].filter(([lbId, ars]) => !detailAt.has(`${ars}|${lbId}`)) : [];
  const unitIds = [...new Set(unitsByService.flatMap((u) => u.units.map((x) => x.id)))].sort();
  const units = unitIds.flatMap((id) => unitById.get(id) ?? []);
  return { unitsByService, details, units, missingDetails };
}

/**
 * The D-rules' DVDV input from the harvested lookups (src/harvest/items.ts DvdvLookupItem): no directory request.
 * Read as of the DVDV phase of the harvest (`harvestedAt`), which D-7 measures against the run.
 */
async function dvdvOfSnapshot(reader: SnapshotReader, snap: SnapshotInfo, opts: SnapshotCollectOptions, pvog: PvogInput) {
  const harvestedAt = snap.counts.dvdv?.harvestedAt;
  if (!harvestedAt) throw new Error(`snapshot ${snap.id} has no DVDV harvest`);
  const payloads = async (prefix: string) => (await reader.items('dvdv', { snapshotId: snap.id, prefix })).map((i) => i.payload as DvdvLookupItem);
  const [categories, authorities, services] = await Promise.all([payloads(DVDV_PREFIX.categories), payloads(DVDV_PREFIX.authority), payloads(DVDV_PREFIX.service)]);
  return dvdvFromSnapshot(opts, pvog, {
    retrievedAt: harvestedAt,
    categories: categories.flatMap((c) => (c.kind === 'categories' ? [c.categories] : []))[0] ?? null,
    authorities: new Map(authorities.flatMap((a) => (a.kind === 'authority' ? [[`${a.category}|${a.organizationKey}`, a.organization] as const] : []))),
    services: new Map(services.flatMap((x) => (x.kind === 'service' ? [[`${x.organizationKey}|${x.serviceUri}`, { service: x.service, warning: x.warning }] as const] : []))),
  });
}

/** The snapshot's base URLs, plus the configured ones the live supplements used. */
function upstreamUrlsOf(snap: SnapshotInfo, opts: SnapshotCollectOptions): ConformanceInput['upstreamUrls'] {
  const out: Record<string, string[]> = {};
  for (const [n, urls] of Object.entries(snap.baseUrls)) out[n] = [...urls];
  for (const [n, s] of Object.entries(opts.sources)) if (!out[n]?.includes(s.client.baseUrl)) out[n] = [...(out[n] ?? []), s.client.baseUrl];
  return out as ConformanceInput['upstreamUrls'];
}

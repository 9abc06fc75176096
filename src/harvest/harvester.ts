import type { Database } from '../persistence/orm';
import type { UpstreamCounts } from '../persistence/entities';
import type { Logger } from '../observability/log';
import type { MunicipalityDirectory } from '../reference/municipalities';
import type { AdapterClients } from '../upstreams/registry';
import { isUpstreamError, type UpstreamError } from '../upstreams/runtime/errors';
import { isOutage } from '../upstreams/runtime/fallback';
import { DEFAULT_BREAKER } from '../upstreams/runtime/policy';
import { upstreamRequests } from '../upstreams/runtime/metrics';
import { UPSTREAMS, type UpstreamName } from '../upstreams/runtime/names';
import type { CallContext } from '../upstreams/runtime/source';
import { aggregatesOf, computeFacts, type SnapshotPortalData } from './facts';
import { DVDV_PREFIX, THAVEL_PREFIX, itemKey, type DvdvItem, type DvdvLookupItem, type GeoproxyItem, type PvogItem, type ThavelWarningsItem } from './items';
import { mappedLookups } from '../conformance/dvdv-mapping';
import { describeHolder, thisHolder, tryHarvestLock } from './lock';
import { harvestPvogBulk } from './pvog-bulk';
import type { ProgressReporter } from './progress';
import { eachLimited } from '../util/each-limited';
import { SnapshotStore, type ItemInput, type ItemVersion, type SnapshotRow, type UnitCounts } from './store';
import type { OnlineServiceDto, ServiceDetail, ServiceSummary } from '../upstreams/pvog/mapper';
import { responsibilityItems, unitIdsOf } from './pvog-places';
import type { Catalogue, CatalogueEntry, CatalogueWarning } from '../upstreams/thavel/mapper';

export interface HarvestOptions {
  db: Database;
  clients: AdapterClients;
  directory: MunicipalityDirectory;
  /** Base URLs actually used, recorded in the snapshot. */
  baseUrls: Record<string, string[]>;
  logger: Logger;
  progress?: ProgressReporter;
  /** Only these upstreams (default: all); the others are carried over from the previous snapshot. */
  only?: readonly UpstreamName[];
  /** Ignore delta feeds and modification dates: read everything (still writes only what changed). */
  full?: boolean;
  /** Work units in flight per upstream (HARVEST_CONCURRENCY); PVOG_MAX_RPS is enforced by the PVOG client itself. */
  concurrency?: number;
  /** Complete snapshots kept (HARVEST_KEEP_SNAPSHOTS). */
  keepSnapshots?: number;
  /** Deadline of one upstream call (ms). */
  callTimeoutMs?: number;
  signal?: AbortSignal;
}

export type HarvestOutcome =
  | { status: 'complete'; snapshotId: number; resumed: boolean; counts: Record<string, UpstreamCounts>; durationMs: number; pruned: { snapshots: number; rows: number } }
  | { status: 'locked'; holder: string }
  | { status: 'failed'; snapshotId: number; error: string; durationMs: number };

/** Overlap of delta windows: changes stamped just before the previous run started are read again (idempotent by hash). */
const DELTA_OVERLAP_MS = 10 * 60_000;
/** Share of a phase's units that may fail (keeping their previous items) before the harvest stops. */
const MAX_FAILED_SHARE = 0.05;
/** Pause before units an outage refused are tried again: past the circuit breaker's half-open delay. */
const RETRY_PAUSE_MS = DEFAULT_BREAKER.halfOpenAfterMs + 2_000;

const zero = (): UnitCounts => ({ added: 0, changed: 0, removed: 0, unchanged: 0 });
const addCounts = (a: UnitCounts, b: Partial<UnitCounts>): void => {
  a.added += b.added ?? 0;
  a.changed += b.changed ?? 0;
  a.removed += b.removed ?? 0;
  a.unchanged += b.unchanged ?? 0;
};

async function requestsSoFar(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await upstreamRequests.get()).values) {
    const u = String(v.labels.upstream);
    out[u] = (out[u] ?? 0) + v.value;
  }
  return out;
}

/**
 * One harvest (issue 11): takes the advisory lock, resumes a killed snapshot or starts a new one, syncs each
 * selected upstream unit by unit (each unit commits its rows with its progress mark), recomputes the
 * availability facts, then completes the snapshot and flips the pointer in one transaction, and prunes.
 */
export async function runHarvest(o: HarvestOptions): Promise<HarvestOutcome> {
  const lock = await tryHarvestLock(o.db);
  if (!lock) return { status: 'locked', holder: await describeHolder(o.db) };
  const started = Date.now();
  const store = new SnapshotStore(o.db);
  const selected = UPSTREAMS.filter((n) => !o.only || o.only.includes(n));
  let snap: SnapshotRow | undefined;
  try {
    const conn = o.db.orm.em.getConnection();
    // Runs left `running` by a killed process: we hold the lock, so nobody else is running them.
    await conn.execute(`update harvest_run set status = 'failed', finished_at = current_timestamp, error = 'interrupted: the harvesting process ended before finishing' where status = 'running'`);
    const previous = await store.current();
    const resumable = await store.building();
    const resumed = resumable !== null;
    snap = resumable
      ? await store.adopt(resumable, { upstreams: selected, baseUrls: pick(o.baseUrls, selected), holder: thisHolder() })
      : await store.create({ full: !!o.full, upstreams: selected, baseUrls: { ...(previous?.baseUrls ?? {}), ...pick(o.baseUrls, selected) }, holder: thisHolder() });
    o.logger.info(resumed ? 'harvest resumes snapshot' : 'harvest starts snapshot', { snapshot: snap.id, upstreams: selected, full: !!o.full });
    const done = await store.doneUnits(snap.id);
    const ctx = new HarvestContext(o, store, snap, done, previous);

    const counts: Record<string, UpstreamCounts> = { ...(previous?.counts ?? {}) };
    for (const [k, c] of Object.entries(counts)) counts[k] = { ...c, added: 0, changed: 0, removed: 0, unchanged: c.total, requests: 0, mode: 'carried', failedUnits: 0, errors: [] };
    for (const name of selected) {
      const before = (await requestsSoFar())[name] ?? 0;
      const runId = await startRun(o.db, name, snap.id);
      try {
        const r = await PHASES[name](ctx);
        const requests = Math.round(((await requestsSoFar())[name] ?? 0) - before);
        const failed = ctx.failures.filter((f) => f.upstream === name);
        counts[name] = {
          ...r.counts,
          total: await store.countItems(name, snap.id),
          requests,
          mode: r.mode,
          harvestedAt: new Date().toISOString(),
          failedUnits: failed.length,
          errors: failed.slice(0, 5).map((f) => `${f.unit}: ${f.error}`),
        };
        await finishRun(o.db, runId, 'succeeded', null, counts[name]);
        o.progress?.done(name, counts[name]);
      } catch (e) {
        await finishRun(o.db, runId, 'failed', messageOf(e), null);
        throw e;
      }
    }

    // Facts follow PVOG and ThAVEL; recomputed whenever either was read (a delta in one changes the other's meaning).
    if (selected.includes('pvog') || selected.includes('thavel') || !done.has('facts')) {
      const facts = await ctx.computeFacts(counts);
      const f = await store.applyFacts(snap.id, facts);
      o.logger.info('availability facts', { snapshot: snap.id, ...f });
      await store.complete(snap.id, counts, aggregatesOf(facts));
    } else {
      await store.complete(snap.id, counts, aggregatesOf(await store.facts(snap.id)));
    }
    const pruned = await store.prune(o.keepSnapshots ?? 30);
    return { status: 'complete', snapshotId: snap.id, resumed, counts, durationMs: Date.now() - started, pruned };
  } catch (e) {
    const error = messageOf(e);
    if (snap) {
      // The snapshot stays `building` with its finished units: the previous one stays current, and the next run resumes.
      o.logger.error('harvest failed; the previous snapshot stays current and the next run resumes this one', { snapshot: snap.id, error });
      await store.noteError(snap.id, error).catch(() => undefined);
      return { status: 'failed', snapshotId: snap.id, error, durationMs: Date.now() - started };
    }
    throw e;
  } finally {
    await lock.release().catch(() => undefined);
  }
}

function pick(urls: Record<string, string[]>, names: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(names.filter((n) => urls[n]).map((n) => [n, urls[n]]));
}

async function startRun(db: Database, upstream: string, snapshotId: number): Promise<string> {
  const rows = await db.orm.em
    .getConnection()
    .execute<{ id: string }[]>(`insert into harvest_run (id, upstream, started_at, status, item_count, snapshot_id) values (gen_random_uuid(), ?, current_timestamp, 'running', 0, ?) returning id`, [upstream, snapshotId]);
  return rows[0].id;
}

async function finishRun(db: Database, id: string, status: 'succeeded' | 'failed', error: string | null, counts: UpstreamCounts | null): Promise<void> {
  await db.orm.em
    .getConnection()
    .execute(`update harvest_run set status = ?, finished_at = current_timestamp, error = ?, item_count = ?, counts = ?::jsonb where id = ?`, [
      status,
      error,
      counts?.total ?? 0,
      counts ? JSON.stringify(counts) : null,
      id,
    ]);
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

interface PhaseResult {
  counts: UnitCounts;
  mode: UpstreamCounts['mode'];
}

/** What a phase needs: the store, the snapshot and its finished units, and the previous snapshot for deltas. */
class HarvestContext {
  readonly failures: { upstream: string; unit: string; error: string; permanent: boolean }[] = [];

  constructor(
    readonly o: HarvestOptions,
    readonly store: SnapshotStore,
    readonly snap: SnapshotRow,
    readonly done: Map<string, Record<string, number>>,
    readonly previous: SnapshotRow | null,
  ) {}

  call(): CallContext {
    const timeout = this.o.callTimeoutMs ?? 60_000;
    const signal = this.o.signal ? AbortSignal.any([this.o.signal, AbortSignal.timeout(timeout)]) : AbortSignal.timeout(timeout);
    return { signal, deadline: Date.now() + timeout };
  }

  /** Since when a delta may be asked: the previous harvest of this upstream, minus an overlap; undefined = read in full. */
  since(upstream: UpstreamName): Date | undefined {
    if (this.o.full || this.snap.full) return undefined;
    const c = this.previous?.counts[upstream];
    if (!c?.harvestedAt) return undefined;
    return new Date(Date.parse(c.harvestedAt) - DELTA_OVERLAP_MS);
  }

  /** Runs units not yet finished in this snapshot, with progress; sums their counts (finished ones from their progress rows). */
  async units<U>(upstream: UpstreamName, units: readonly { id: string; value: U }[], run: (u: U) => Promise<UnitCounts>): Promise<UnitCounts> {
    const total = zero();
    const todo = units.filter((u) => {
      const prior = this.done.get(u.id);
      if (prior) addCounts(total, prior);
      return !prior;
    });
    this.o.progress?.start(upstream, units.length, units.length - todo.length);
    const failedNow: { unit: { id: string; value: U }; error: UpstreamError }[] = [];
    const pass = (list: readonly { id: string; value: U }[], last: boolean) =>
      eachLimited(list, this.o.concurrency ?? 4, async (u) => {
        try {
          addCounts(total, await run(u.value));
        } catch (e) {
          // One unit the upstream refuses (an access-protected Geoproxy service, one broken ARS) keeps its previous
          // items and is retried next run; an upstream that fails every unit fails the harvest (below).
          if (!isUpstreamError(e)) throw e;
          failedNow.push({ unit: u, error: e });
          if (last) this.o.logger.warn('harvest unit failed; its previous items are kept', { upstream, unit: u.id, error: e.message });
        }
        if (last || !isOutage(failedNow.at(-1)?.error)) this.o.progress?.tick(upstream);
      });
    await pass(todo, false);
    // Units an outage refused (a timeout burst that opened the circuit breaker) get one more pass once the breaker
    // lets requests through again: a long harvest (PVOG: some 55 requests per municipality) must not fail on one burst.
    const retry = failedNow.filter((f) => isOutage(f.error)).map((f) => f.unit);
    if (retry.length > 0 && !this.o.signal?.aborted) {
      this.o.logger.info('harvest retries units an upstream outage refused', { upstream, units: retry.length, afterMs: RETRY_PAUSE_MS });
      await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
      failedNow.splice(0, failedNow.length, ...failedNow.filter((f) => !isOutage(f.error)));
      await pass(retry, true);
    }
    for (const f of failedNow) {
      this.failures.push({ upstream, unit: f.unit.id, error: f.error.message, permanent: f.error.code === 'UPSTREAM_PROTECTED' || f.error.code === 'UPSTREAM_NOT_FOUND' });
    }
    // A few refused units are data (kept from before, retried next run); many mean the upstream is failing.
    // Access-protected or unknown resources are a property of the upstream, not an outage: they never stop a harvest.
    const failed = this.failures.filter((f) => f.upstream === upstream && !f.permanent && failedNow.some((x) => x.unit.id === f.unit));
    if (failed.length > 0 && failed.length > Math.max(1, units.length * MAX_FAILED_SHARE)) {
      throw new Error(`${failed.length} of ${units.length} ${upstream} units failed, e.g. ${failed[0].error}`);
    }
    return total;
  }

  async computeFacts(counts: Record<string, UpstreamCounts>): Promise<ReturnType<typeof computeFacts> extends Promise<infer T> ? T : never> {
    const data: SnapshotPortalData = {
      servicesByArs: new Map(),
      onlineByArs: new Map(),
      catalogue: [],
      pvogAt: new Date(counts.pvog?.harvestedAt ?? this.snap.startedAt),
      thavelAt: new Date(counts.thavel?.harvestedAt ?? this.snap.startedAt),
    };
    for (const prefix of ['service:', 'online:']) {
      for (const { payload } of await this.store.items<PvogItem>('pvog', this.snap.id, prefix)) {
        if (payload.kind === 'service') push(data.servicesByArs, payload.ars, payload.service);
        else if (payload.kind === 'online') push(data.onlineByArs, payload.ars, payload.onlineService);
      }
    }
    data.catalogue = (await this.store.items<CatalogueEntry>('thavel', this.snap.id, THAVEL_PREFIX.entry)).map((i) => i.payload);
    return computeFacts(this.o.directory, this.o.clients, data);
  }
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Keys of `versions` starting with one of `prefixes`: the items a unit is authoritative for. */
/**
 * The conformance D-rules' lookups of one district (items.ts DvdvLookupItem): every (category, key) the reviewed
 * mapping can expect there in one batch, then `findservicedescription` per organisation found and specification URI
 * (one by one: only the single call reports the `dvdv-warning-msg` of an entry that exists but is not valid).
 */
async function dvdvLookups(c: HarvestContext, ars: string, agsList: readonly string[]): Promise<ItemInput[]> {
  const client = c.o.clients.dvdv;
  const lookups = mappedLookups(agsList.map((ags) => ({ ags, districtArs: ars })));
  const found = (await client.findAuthoritiesBatch(lookups, c.call())).flatMap((p) => p.value);
  const out: ItemInput[] = [];
  const services = new Map<string, { organizationKey: string; serviceUri: string }>();
  lookups.forEach(({ category, organizationKey, serviceUris }, i) => {
    const organization = found[i] ?? null;
    out.push({ key: itemKey.authority(ars, category, organizationKey), payload: { kind: 'authority', category, organizationKey, organization } satisfies DvdvLookupItem });
    // The key collectDvdv asks the service under: the organisation's first key.
    const key = organization ? (organization.keys[0] ?? organizationKey) : null;
    if (key) for (const serviceUri of serviceUris) services.set(`${key}|${serviceUri}`, { organizationKey: key, serviceUri });
  });
  for (const q of services.values()) {
    const r = (await client.findService(q, c.call())).value;
    out.push({ key: itemKey.lookupService(ars, q.organizationKey, q.serviceUri), payload: { kind: 'service', ...q, service: r.service, warning: r.warning } satisfies DvdvLookupItem });
  }
  return out;
}

function scopeOf(versions: Map<string, ItemVersion>, prefixes: string[]): string[] {
  return [...versions.keys()].filter((k) => prefixes.some((p) => k.startsWith(p)));
}

/**
 * The ThAVEL reader's warnings as snapshot items (items.ts, ThavelItem): each Onlinedienst read gets its own warnings
 * item, or loses it when it has none now — so a delta read leaves the warnings of unchanged Onlinedienste as they were.
 * Warnings about no single Onlinedienst (skipped elements) are replaced by a full read; a delta read adds its own to the
 * stored ones, since the Leistungen it does not re-send keep their faults.
 */
export function thavelWarningItems(cat: Catalogue, previous: ThavelWarningsItem | undefined): { upserts: ItemInput[]; removes: string[] } {
  const ids = new Set(cat.entries.map((e) => e.id));
  const perEntry = new Map<string, CatalogueWarning[]>();
  const general: CatalogueWarning[] = [...(previous?.warnings ?? [])];
  const same = (a: CatalogueWarning, b: CatalogueWarning) => a.element === b.element && a.id === b.id && a.reason === b.reason;
  for (const w of cat.warnings) {
    if (w.id !== null && ids.has(w.id)) push(perEntry, w.id, w);
    else if (w.id === null && !general.some((g) => same(g, w))) general.push(w);
    // else: about an Onlinedienst deleted later in the same read
  }
  const upserts: ItemInput[] = [...perEntry].map(([id, warnings]) => ({ key: itemKey.warnings(id), payload: { warnings } satisfies ThavelWarningsItem }));
  if (general.length) upserts.push({ key: THAVEL_PREFIX.catalogueWarnings, payload: { warnings: general } satisfies ThavelWarningsItem });
  return { upserts, removes: [...ids].filter((id) => !perEntry.has(id)).map(itemKey.warnings) };
}

const PHASES: Record<UpstreamName, (c: HarvestContext) => Promise<PhaseResult>> = {
  /**
   * PVOG per municipality: services and online services at its ARS, and per listed Leistung its responsible
   * Organisationseinheiten and its description there (pvog-places.ts); then every Organisationseinheit named anywhere,
   * once per harvest, as a unit of its own (it belongs to no one municipality). Unchanged content costs no write.
   */
  async pvog(c) {
    const client = c.o.clients.pvog;
    // The Bereitstelldienst feed where configured (PVOG_BULK_URL): the same items from one read of the whole feed.
    if (client.bulkFeed) return { counts: await harvestPvogBulk(c, client.bulkFeed), mode: 'full' };
    const versions = await c.store.itemVersions('pvog', c.snap.id);
    const full = !!(c.o.full || c.snap.full);
    const units = c.o.directory.all.map((m) => ({ id: `pvog:${m.ars}`, value: m.ars }));
    const counts = await c.units('pvog', units, async (ars) => {
      const [services, online] = await Promise.all([client.servicesByArs(ars, {}, c.call()), client.onlineServices(ars, c.call())]);
      const stored = new Map<string, ServiceDetail>();
      for (const { payload: p } of await c.store.items<PvogItem>('pvog', c.snap.id, `detail:${ars}:`)) if (p.kind === 'detail') stored.set(p.lbId, p.detail);
      const upserts: ItemInput[] = [
        ...services.value.items.map((s: ServiceSummary): ItemInput => ({ key: itemKey.service(ars, s.id), payload: { kind: 'service', ars, service: s } satisfies PvogItem })),
        ...online.value.map((d: OnlineServiceDto): ItemInput => ({ key: itemKey.online(ars, d.id), payload: { kind: 'online', ars, onlineService: d } satisfies PvogItem })),
        ...(await responsibilityItems(client, ars, services.value.items, { stored, full, call: () => c.call() })),
      ];
      const scope = scopeOf(versions, [`service:${ars}:`, `online:${ars}:`, `responsibility:${ars}:`, `detail:${ars}:`]);
      return c.store.applyUnit({ snapshotId: c.snap.id, upstream: 'pvog', unit: `pvog:${ars}`, upserts, scope, versions });
    });

    // Organisationseinheiten: the ids every municipality's responsibilities name (all municipality units are done here).
    const ids = unitIdsOf(await c.store.items<PvogItem>('pvog', c.snap.id, 'responsibility:'));
    const unitCounts = await c.units('pvog', ids.map((id) => ({ id: `pvog-unit:${id}`, value: id })), async (id) => {
      const r = await client.unitDetail(id, {}, c.call());
      const upserts: ItemInput[] = r.value ? [{ key: itemKey.unit(id), payload: { kind: 'unit', unit: r.value } satisfies PvogItem }] : [];
      return c.store.applyUnit({ snapshotId: c.snap.id, upstream: 'pvog', unit: `pvog-unit:${id}`, upserts, scope: [itemKey.unit(id)], versions });
    });
    addCounts(counts, unitCounts);
    // Units no municipality names any more leave the snapshot (one unit of work, so a resumed run does not count it twice).
    if (!c.done.has('pvog-units:gone')) {
      const named = new Set(ids.map(itemKey.unit));
      const removes = [...versions.keys()].filter((k) => k.startsWith('unit:') && !named.has(k));
      addCounts(counts, await c.store.applyUnit({ snapshotId: c.snap.id, upstream: 'pvog', unit: 'pvog-units:gone', upserts: [], removes, versions }));
    } else addCounts(counts, c.done.get('pvog-units:gone')!);
    return { counts, mode: 'full' };
  },

  /** ThAVEL: the delta feed (`geaendertSeit`, deletions honoured) after a first full read. */
  async thavel(c) {
    const client = c.o.clients.thavel;
    const versions = await c.store.itemVersions('thavel', c.snap.id);
    const since = versions.size ? c.since('thavel') : undefined;
    const counts = await c.units('thavel', [{ id: 'thavel', value: since }], async (from) => {
      const cat = from ? await client.changesSince(from.toISOString(), c.call()) : await client.list(c.call());
      const previous = from ? (await c.store.items<ThavelWarningsItem>('thavel', c.snap.id, THAVEL_PREFIX.catalogueWarnings))[0]?.payload : undefined;
      const w = thavelWarningItems(cat.value, previous);
      const upserts = [...cat.value.entries.map((e): ItemInput => ({ key: itemKey.entry(e.id), payload: e })), ...w.upserts];
      return c.store.applyUnit({
        snapshotId: c.snap.id,
        upstream: 'thavel',
        unit: 'thavel',
        upserts,
        scope: from ? [] : versions.keys(),
        removes: [...cat.value.deletedIds.flatMap((id) => [itemKey.entry(id), itemKey.warnings(id)]), ...w.removes],
        versions,
      });
    });
    return { counts, mode: since ? 'delta' : 'full' };
  },

  /**
   * GeoMIS: records modified since the previous harvest (apiso:Modified); a full read also finds deletions,
   * which CSW has no feed for.
   */
  async geomis(c) {
    const client = c.o.clients.geomis;
    const versions = await c.store.itemVersions('geomis', c.snap.id);
    const since = versions.size ? c.since('geomis') : undefined;
    const counts = await c.units('geomis', [{ id: 'geomis', value: since }], async (from) => {
      const query = from ? { modifiedSince: from.toISOString().slice(0, 10) } : {};
      const r = await client.harvest(query, { maxPages: 1000, maxRecords: 100_000 }, c.call(), { property: 'Identifier', order: 'ASC' });
      const upserts = r.value.records.map((rec): ItemInput => ({ key: itemKey.record(rec.fileIdentifier), payload: rec }));
      return c.store.applyUnit({ snapshotId: c.snap.id, upstream: 'geomis', unit: 'geomis', upserts, scope: from ? [] : versions.keys(), versions });
    });
    return { counts, mode: since ? 'delta' : 'full' };
  },

  /** Geoproxy: the capabilities of every configured service. */
  async geoproxy(c) {
    const client = c.o.clients.geoproxy;
    const versions = await c.store.itemVersions('geoproxy', c.snap.id);
    const units = client.services.map((s) => ({ id: `geoproxy:${s.name}`, value: s }));
    const counts = await c.units('geoproxy', units, async (service) => {
      const caps = await client.capabilities(service.name, c.call());
      const payload: GeoproxyItem = { service, capabilities: caps.value };
      const key = itemKey.capabilities(service.name);
      return c.store.applyUnit({ snapshotId: c.snap.id, upstream: 'geoproxy', unit: `geoproxy:${service.name}`, upserts: [{ key, payload }], scope: [key], versions });
    });
    // Services no longer configured leave the snapshot.
    const configured = new Set(client.services.map((s) => itemKey.capabilities(s.name)));
    const stale = [...versions.keys()].filter((k) => !configured.has(k));
    if (stale.length) addCounts(counts, await c.store.applyUnit({ snapshotId: c.snap.id, upstream: 'geoproxy', unit: 'geoproxy:(removed)', upserts: [], removes: stale, versions }));
    return { counts, mode: 'full' };
  },

  /**
   * DVDV, district by district: the organisations carrying each municipality's key (`ags:<AGS>`) and the lookups the
   * conformance D-rules read (items.ts DvdvLookupItem); then `/categories`. Conformance only.
   */
  async dvdv(c) {
    const client = c.o.clients.dvdv;
    const versions = await c.store.itemVersions('dvdv', c.snap.id);
    const districts = new Map<string, string[]>();
    for (const m of c.o.directory.all) push(districts, m.district.ars, m.ags);
    const units = [...districts].map(([ars, agsList]) => ({ id: `dvdv:${ars}`, value: { ars, agsList } }));
    const counts = await c.units('dvdv', units, async ({ ars, agsList }) => {
      const upserts: ItemInput[] = [];
      for (const ags of agsList) {
        const organizationKey = `ags:${ags}`;
        const r = await client.findAuthorities(organizationKey, c.call());
        r.value.forEach((org, i) => {
          upserts.push({ key: itemKey.org(ags, String(org.id ?? `n${i}`)), payload: { ags, organizationKey, organization: org } satisfies DvdvItem });
        });
      }
      upserts.push(...(await dvdvLookups(c, ars, agsList)));
      const scope = scopeOf(versions, [...agsList.map((ags) => `org:${ags}:`), `${DVDV_PREFIX.authority}${ars}:`, `${DVDV_PREFIX.service}${ars}:`]);
      return c.store.applyUnit({ snapshotId: c.snap.id, upstream: 'dvdv', unit: `dvdv:${ars}`, upserts, scope, versions });
    });
    const categories = await c.units('dvdv', [{ id: 'dvdv:categories', value: null }], async () => {
      const payload: DvdvLookupItem = { kind: 'categories', categories: (await client.categories(c.call())).value };
      return c.store.applyUnit({ snapshotId: c.snap.id, upstream: 'dvdv', unit: 'dvdv:categories', upserts: [{ key: DVDV_PREFIX.categories, payload }], scope: [DVDV_PREFIX.categories], versions });
    });
    addCounts(counts, categories);
    return { counts, mode: 'full' };
  },
};

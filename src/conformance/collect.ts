import { readCompleteFeed } from '../harvest/pvog-bulk';
import { setMaxListeners } from 'node:events';
import { bulkhead } from 'cockatiel';
import type { MunicipalityRecord } from '../reference/municipalities';
import type { IsoRecord } from '../formats/iso19139/iso19139';
import type { AdapterClients } from '../upstreams/registry';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { CallContext, UpstreamSource } from '../upstreams/runtime/source';
import { GeoproxyClient } from '../upstreams/geoproxy/client';
import type { GeoproxyServiceConfig } from '../upstreams/geoproxy/config';
import type { OgcKind } from '../upstreams/geoproxy/capabilities';
import type { ServiceSummary, UnitDetail } from '../upstreams/pvog/mapper';
import { DVDV_MAPPING, dvdvKey } from './dvdv-mapping';
import type { ConformanceInput, DvdvInput, GeoproxyServiceInput, PvogInput } from './input';

export interface CollectOptions {
  clients: AdapterClients;
  sources: Record<UpstreamName, UpstreamSource>;
  municipalities: readonly MunicipalityRecord[];
  /** Parallel upstream calls at most (bounded, so a check run never floods an upstream). */
  concurrency?: number;
  /** Reference instant of time-dependent rules; default now (the embedded gateway passes the sandbox world's date). */
  asOf?: Date;
  /** Deadline of each upstream call. */
  callTimeoutMs?: number;
  signal?: AbortSignal;
  /** See ConformanceInput.urlAliases (the embedded gateway passes the sandbox world's canonical origins). */
  urlAliases?: ConformanceInput['urlAliases'];
  onProgress?: (step: string, done: number, total: number) => void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The producer over live upstreams: asks each configured upstream, through the same adapter clients the gateway
 * uses (so the shared cache, rate limits, breakers and the host allow-list of src/upstreams/runtime apply), with at
 * most `concurrency` calls in flight. A part that cannot be read is recorded in `gaps`, never silently empty.
 */
export async function collectFromUpstreams(opts: CollectOptions): Promise<ConformanceInput> {
  const collectedAt = new Date();
  const { run, call, gap, gaps, progress } = collectRuntime(opts);
  const upstreamUrls = Object.fromEntries(Object.entries(opts.sources).map(([n, s]) => [n, [s.client.baseUrl]])) as ConformanceInput['upstreamUrls'];

  const [pvog, thavel, geomis] = await Promise.all([
    collectPvog(opts, run, call, gap, progress),
    run(() => opts.clients.thavel.list(call())).then((r) => ({ catalogue: r.value }), gap('thavel', 'catalogue')),
    run(() => opts.clients.geomis.harvest({}, { maxRecords: 20_000, maxPages: 500 }, call())).then((r) => ({ records: r.value.records }), gap('geomis', 'catalogue harvest')),
  ]);
  progress('geoproxy', 0, 1);
  const urlAliases = opts.urlAliases ?? [];
  const geoproxy = await collectGeoproxy(opts, geomis?.records ?? [], urlAliases, run, call);
  progress('dvdv', 0, 1);
  const dvdv = await collectDvdv(opts, pvog, run, call).catch(gap('dvdv', 'directory lookups'));
  return conformanceInput(opts, collectedAt, {
    upstreamUrls,
    urlAliases,
    pvog,
    thavel,
    geomis,
    geoproxy,
    dvdv,
    gaps,
    basis: { source: 'live', snapshotId: null, snapshotFinishedAt: null, harvestedAt: {}, live: ['everything: no harvest snapshot was used'] },
  });
}

/** The input both producers (live and snapshot) return: collection time, reference instant and register from the options. */
export function conformanceInput(
  opts: Pick<CollectOptions, 'asOf' | 'municipalities'>,
  collectedAt: Date,
  parts: Omit<ConformanceInput, 'collectedAt' | 'asOf' | 'municipalities'>,
): ConformanceInput {
  return { collectedAt: collectedAt.toISOString(), asOf: (opts.asOf ?? collectedAt).toISOString(), municipalities: [...opts.municipalities], ...parts };
}

/** Bounded concurrency, per-call deadlines and the gap record shared by the producers (live and snapshot). */
export function collectRuntime(opts: Pick<CollectOptions, 'concurrency' | 'signal' | 'callTimeoutMs' | 'onProgress'>) {
  const limiter = bulkhead(opts.concurrency ?? 8, Number.MAX_SAFE_INTEGER);
  const signal = opts.signal ?? new AbortController().signal;
  setMaxListeners(0, signal); // one listener per call in flight
  const call = (): CallContext => ({ signal, deadline: Date.now() + (opts.callTimeoutMs ?? 30_000) });
  const run: Run = (fn) => limiter.execute(fn);
  const gaps: ConformanceInput['gaps'] = [];
  const gap: Gap = (upstream, what) => (e) => {
    gaps.push({ upstream, what, error: message(e) });
    return null;
  };
  const progress = opts.onProgress ?? (() => {});
  return { run, call, gap, gaps, progress };
}

export type Run = <T>(fn: () => Promise<T>) => Promise<T>;
export type Gap = (upstream: UpstreamName, what: string) => (e: unknown) => null;

async function collectPvog(opts: CollectOptions, run: Run, call: () => CallContext, gap: Gap, progress: NonNullable<CollectOptions['onProgress']>): Promise<PvogInput> {
  const pvog = opts.clients.pvog;
  let done = 0;
  const servicesByArs = (
    await Promise.all(
      opts.municipalities.map((m) =>
        run(() => pvog.servicesByArs(m.ars, {}, call())).then(
          (r) => (progress('pvog services', ++done, opts.municipalities.length), { ars: m.ars, services: r.value.items }),
          gap('pvog', `services of ${m.ars}`),
        ),
      ),
    )
  ).filter((x): x is { ars: string; services: ServiceSummary[] } => x !== null);
  const input: PvogInput = { servicesByArs, ...(await collectPvogResponsibilities(opts, servicesByArs, run, call, gap, progress)) };
  // P-12 reads the Bereitstelldienst feed where one is configured (the Suchdienst has no such orphans to show).
  const feed = pvog.bulkFeed;
  if (feed) {
    const orphans = await run(() => readCompleteFeed(feed, call)).then((f) => f.orphans(), gap('pvog', 'bulk feed'));
    if (orphans) input.feedOrphans = orphans;
  }
  return input;
}

/** One Suchdienst description per (lbId, ARS); a Leistung PVOG cannot describe there becomes a gap, not an error. */
export async function fetchDetails(opts: Pick<CollectOptions, 'clients'>, at: readonly (readonly [lbId: string, ars: string])[], run: Run, call: () => CallContext, gap: Gap) {
  const got = await Promise.all(at.map(([lbId, ars]) => run(() => opts.clients.pvog.serviceDetail(lbId, ars, {}, call())).then((r) => r.value, gap('pvog', `detail of ${lbId}`))));
  return got.filter((d) => d !== null);
}

/** Units and their roles per (ARS, Leistung), one detail per Leistung and the unit details: what no harvest snapshot holds. */
export async function collectPvogResponsibilities(
  opts: Pick<CollectOptions, 'clients'>,
  servicesByArs: PvogInput['servicesByArs'],
  run: Run,
  call: () => CallContext,
  gap: Gap,
  progress: NonNullable<CollectOptions['onProgress']>,
): Promise<Omit<PvogInput, 'servicesByArs'>> {
  const pvog = opts.clients.pvog;
  let done = 0;
  const pairs = servicesByArs.flatMap((p) => p.services.map((s) => ({ ars: p.ars, s })));
  done = 0;
  const unitsByService = (
    await Promise.all(
      pairs.map(({ ars, s }) =>
        run(() => pvog.unitTitles(ars, s.id, call())).then(
          (r) => (progress('pvog responsibilities', ++done, pairs.length), { ars, lbId: s.id, leikaKey: s.leikaKey, units: r.value }),
          gap('pvog', `units of ${s.id} in ${ars}`),
        ),
      ),
    )
  ).filter((x) => x !== null);

  const firstPlace = new Map<string, string>();
  for (const { ars, s } of pairs) if (!firstPlace.has(s.id)) firstPlace.set(s.id, ars);
  const details = await fetchDetails(opts, [...firstPlace], run, call, gap);

  const unitIds = [...new Set(unitsByService.flatMap((u) => u.units.map((x) => x.id)))].sort();
  const units = (
    await Promise.all(unitIds.map((id) => run(() => pvog.unitDetail(id, {}, call())).then((r) => r.value, gap('pvog', `unit ${id}`))))
  ).filter((u): u is UnitDetail => u !== null);
  return { unitsByService, details, units };
}

/** Geoproxy services: the configured ones plus those the GeoMIS service records point to below the Geoproxy base URL. */
export async function collectGeoproxy(
  opts: Pick<CollectOptions, 'clients' | 'sources'>,
  records: IsoRecord[],
  aliases: ConformanceInput['urlAliases'],
  run: Run,
  call: () => CallContext,
  /** Services whose capabilities the caller already has (a harvest snapshot): not asked again. */
  known: ReadonlySet<string> = new Set(),
): Promise<{ services: GeoproxyServiceInput[] }> {
  const source = opts.sources.geoproxy;
  const base = source.client.baseUrl.replace(/\/$/, '');
  const byName = new Map<string, GeoproxyServiceConfig>(opts.clients.geoproxy.services.map((s) => [s.name, s]));
  for (const r of records) {
    for (const url of serviceUrlsOf(r)) {
      const found = [base, ...aliases.filter((a) => a.upstream === 'geoproxy').map((a) => a.from)].map((b) => geoproxyServiceOf(url, b.replace(/\/$/, ''))).find((x) => x);
      if (found && !byName.has(found.name)) byName.set(found.name, found);
    }
  }
  // Same source (host, cache, breaker) as the gateway's client; only the list of service names is longer.
  const client = new GeoproxyClient(source, [...byName.values()]);
  const services = await Promise.all(
    [...byName.values()].filter((s) => !known.has(s.name)).map(async (s): Promise<GeoproxyServiceInput> => {
      const url = `${base}/${s.name}?SERVICE=${s.kind}&REQUEST=GetCapabilities&VERSION=${s.version}`;
      try {
        const r = await run(() => client.capabilities(s.name, call()));
        return { ...s, url, capabilities: r.value, error: null, protected: false };
      } catch (e) {
        const status = (e as { status?: number }).status;
        const prot = status === 401 || status === 403 || /\b40[13]\b/.test(message(e));
        return { ...s, url, capabilities: null, error: message(e), protected: prot };
      }
    }),
  );
  return { services: services.sort((a, b) => a.name.localeCompare(b.name, 'en')) };
}

/** URLs of a service record that may name its endpoint (transfer options, operation connect points). */
export function serviceUrlsOf(r: IsoRecord): string[] {
  return [...r.onlineResources.map((o) => o.url), ...(r.service?.operations.flatMap((o) => o.urls) ?? [])];
}

/** `<base>/<name>?SERVICE=WMS&VERSION=1.3.0…` → the Geoproxy service it addresses (kind and version from the query). */
export function geoproxyServiceOf(url: string, base: string): GeoproxyServiceConfig | null {
  if (!url.toLowerCase().startsWith(base.toLowerCase() + '/')) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const name = decodeURIComponent(u.pathname.slice(new URL(base + '/').pathname.length)).replace(/\/$/, '');
  const q = new Map([...u.searchParams].map(([k, v]) => [k.toUpperCase(), v]));
  const kind = (q.get('SERVICE') ?? '').toUpperCase() as OgcKind;
  if (!name || (kind !== 'WMS' && kind !== 'WFS')) return null;
  const version = q.get('VERSION') ?? (kind === 'WMS' ? '1.3.0' : '2.0.0');
  return { name, kind, version };
}

export async function collectDvdv(opts: Pick<CollectOptions, 'clients' | 'municipalities'>, pvog: Pick<PvogInput, 'servicesByArs'>, run: Run, call: () => CallContext): Promise<DvdvInput> {
  const dvdv = opts.clients.dvdv;
  const retrievedAt = new Date().toISOString();
  const categories = (await run(() => dvdv.categories(call()))).value;
  const authorities = expectedAuthorities(opts, pvog);
  const answers = await run(() => dvdv.findAuthoritiesBatch(authorities.map((a) => ({ category: a.category, organizationKey: a.organizationKey })), call()));
  const flat = answers.flatMap((p) => p.value);
  authorities.forEach((a, i) => (a.organization = flat[i] ?? null));
  const services = await Promise.all(
    wantedServices(authorities).map((q) => run(() => dvdv.findService(q, call())).then((r) => ({ ...q, service: r.value.service, warning: r.value.warning }))),
  );
  return { retrievedAt, categories, authorities, services };
}

/** What the DVDV harvest stored for the D-rules (src/harvest/items.ts DvdvLookupItem), indexed as collectDvdv asks. */
export interface DvdvSnapshot {
  /** When the lookups were read: the DVDV phase of the harvest that wrote the snapshot. */
  retrievedAt: string;
  categories: DvdvInput['categories'] | null;
  /** By `<category>|<key>`. */
  authorities: ReadonlyMap<string, DvdvInput['authorities'][number]['organization']>;
  /** By `<key>|<uri>`. */
  services: ReadonlyMap<string, Pick<DvdvInput['services'][number], 'service' | 'warning'>>;
}

/**
 * collectDvdv over a harvest snapshot: the same expected (category, key) pairs and service lookups, answered from the
 * harvested lookups instead of the directory. A lookup the snapshot lacks (a municipality the harvest did not reach)
 * is left out and named in `missing`, never taken as "no entry" (that would be a false D-2/D-3 finding).
 */
export function dvdvFromSnapshot(
  opts: Pick<CollectOptions, 'municipalities'>,
  pvog: Pick<PvogInput, 'servicesByArs'>,
  snap: DvdvSnapshot,
): { dvdv: DvdvInput; missing: string[] } {
  if (!snap.categories) throw new Error('the snapshot holds no DVDV /categories answer');
  const missing: string[] = [];
  const authorities = expectedAuthorities(opts, pvog).filter((a) => {
    const id = `${a.category}|${a.organizationKey}`;
    if (!snap.authorities.has(id)) return (missing.push(`findauthoritydescription(${a.category}, ${a.organizationKey})`), false);
    a.organization = snap.authorities.get(id)!;
    return true;
  });
  const services = wantedServices(authorities).flatMap((q) => {
    const r = snap.services.get(`${q.organizationKey}|${q.serviceUri}`);
    if (!r) return (missing.push(`findservicedescription(${q.organizationKey}, ${q.serviceUri})`), []);
    return [{ ...q, service: r.service, warning: r.warning }];
  });
  return { dvdv: { retrievedAt: snap.retrievedAt, categories: snap.categories, authorities, services }, missing };
}

/** Expected (category, key) from what PVOG offers where: only Leistungen of the reviewed mapping. */
function expectedAuthorities(opts: Pick<CollectOptions, 'municipalities'>, pvog: Pick<PvogInput, 'servicesByArs'>): DvdvInput['authorities'] {
  const byArs = new Map(opts.municipalities.map((m) => [m.ars, m]));
  const expected = new Map<string, DvdvInput['authorities'][number]>();
  for (const { ars, services } of pvog.servicesByArs) {
    const m = byArs.get(ars);
    if (!m) continue;
    for (const s of services) {
      const entry = s.leikaKey ? MAPPING_BY_LEIKA.get(s.leikaKey) : undefined;
      if (!entry) continue;
      const key = dvdvKey(entry, { ags: m.ags, districtArs: m.district.ars });
      const id = `${entry.category}|${key}`;
      const e = expected.get(id) ?? { category: entry.category, organizationKey: key, leikaKeys: [], ars: [], organization: null };
      if (!e.leikaKeys.includes(s.leikaKey!)) e.leikaKeys.push(s.leikaKey!);
      if (!e.ars.includes(ars)) e.ars.push(ars);
      expected.set(id, e);
    }
  }
  return [...expected.values()].sort((a, b) => (a.organizationKey < b.organizationKey ? -1 : a.organizationKey > b.organizationKey ? 1 : a.category.localeCompare(b.category)));
}

const MAPPING_BY_LEIKA = new Map(DVDV_MAPPING.map((e) => [e.leikaKey, e]));

/** One findservicedescription per organisation found (by its first key) and specification its Leistungen need. */
function wantedServices(authorities: DvdvInput['authorities']): { organizationKey: string; serviceUri: string }[] {
  const wanted = new Map<string, { organizationKey: string; serviceUri: string }>();
  for (const a of authorities) {
    if (!a.organization) continue;
    const key = a.organization.keys[0] ?? a.organizationKey;
    for (const lk of a.leikaKeys) {
      const uri = MAPPING_BY_LEIKA.get(lk)!.serviceSpecificationUri;
      wanted.set(`${key}|${uri}`, { organizationKey: key, serviceUri: uri });
    }
  }
  return [...wanted.values()];
}

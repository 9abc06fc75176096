import { isLeikaKey } from '../reference/leika';
import type { AdministrativeService } from '../schema/types/administrative-service';
import type { DigitalOffer, OnlineService, OnlineServiceLink } from '../schema/types/online-service';
import type { OnlineServiceDto } from '../upstreams/pvog/mapper';
import type { PvogLoaders } from '../upstreams/pvog/loaders';
import { Counter } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../observability/metrics';
import { mergeProvenance, provenanceOf } from '../upstreams/runtime/source';
import type { ProvenanceInfo, Provenanced } from '../upstreams/runtime/source';
import { areaCovers, type Catalogue, type CatalogueEntry } from '../upstreams/thavel/mapper';
import type { ThavelLoaders } from '../upstreams/thavel/loaders';
import type { PortalService } from './portal';

/**
 * Online services (Onlinedienste) merged from the ThAVEL catalogue and PVOG `/onlineservices` by id
 * (docs/upstreams/thavel.md §2). Neither source is trusted over the other silently: every source that lists a service
 * appears in `sources`, and disagreements are reported in `discrepancies`. URLs are passed on as data;
 * nothing here ever requests them.
 */

export const SOURCE_THAVEL = 'THAVEL_CATALOGUE';
export const SOURCE_PVOG = 'PVOG';
export const DISCREPANCY = {
  notInPvog: 'NOT_IN_PVOG',
  notInThavel: 'NOT_IN_THAVEL_CATALOGUE',
  titleDiffers: 'TITLE_DIFFERS',
  linksDiffer: 'LINKS_DIFFER',
} as const;

const provenance = provenanceOf;
const oldest = (a: ProvenanceInfo, b: ProvenanceInfo): ProvenanceInfo => mergeProvenance([a, b]);
const hostOf = (url: string): string | null => {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
};
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sameList = (a: string[], b: string[]) => {
  if (a.length !== b.length) return false;
  const sb = [...b].sort();
  return [...a].sort().every((x, i) => x === sb[i]);
};

/** Link hosts the ThAVEL catalogue itself uses: a PVOG-only entry on such a host is a ThAVEL form missing from the catalogue. */
function catalogueHosts(c: Catalogue): Set<string> {
  return new Set(c.entries.flatMap((e) => e.links.map((l) => hostOf(l.url)).filter((h): h is string => h !== null)));
}

export function mergeOnlineService(
  t: { e: CatalogueEntry; p: ProvenanceInfo } | undefined,
  v: { dto: OnlineServiceDto; p: ProvenanceInfo } | undefined,
  thavelHosts: Set<string>,
): OnlineService {
  if (!t && !v) throw new TypeError('mergeOnlineService: neither source given');
  const links: OnlineServiceLink[] = t
    ? t.e.links.map((l) => ({ ...l }))
    : v!.dto.links.map((l) => ({ url: l.url, title: l.title, typeCode: null, languageCode: null }));
  const sources = [
    ...(t ? [{ source: SOURCE_THAVEL, title: t.e.title, urls: t.e.links.map((l) => l.url), provenance: provenance(t.p) }] : []),
    ...(v ? [{ source: SOURCE_PVOG, title: v.dto.name, urls: v.dto.links.map((l) => l.url), provenance: provenance(v.p) }] : []),
  ];
  const discrepancies: string[] = [];
  if (t && !v) discrepancies.push(DISCREPANCY.notInPvog);
  const onThavelHost = v?.dto.links.some((l) => thavelHosts.has(hostOf(l.url) ?? '')) ?? false;
  if (v && !t && onThavelHost) discrepancies.push(DISCREPANCY.notInThavel);
  if (t && v && t.e.title !== v.dto.name) discrepancies.push(DISCREPANCY.titleDiffers);
  if (t && v && !sameList(sources[0].urls, sources[1].urls)) discrepancies.push(DISCREPANCY.linksDiffer);
  const p = t && v ? oldest(t.p, v.p) : (t?.p ?? v!.p);
  return {
    id: (t?.e.id ?? v?.dto.id)!,
    title: t?.e.title ?? v!.dto.name,
    url: (links.find((l) => l.typeCode === '01') ?? links[0])?.url ?? null,
    links,
    trustLevel: t?.e.trustLevel ?? null,
    requiresLogin: t ? t.e.loginMethods.length > 0 : null,
    loginMethods: t?.e.loginMethods ?? [],
    payment: t ? t.e.payment : null,
    languages: t?.e.languages ?? [],
    leikaKeys: [...new Set([...(t?.e.leikaKeys ?? []), ...(v?.dto.leikaKeys ?? [])])].filter(isLeikaKey).sort(),
    areas: t?.e.areas ?? [],
    provider: t || onThavelHost ? 'ThAVEL' : null,
    operatorUnitId: t?.e.operatorUnitId ?? null,
    validFrom: t?.e.validFrom ?? null,
    validTo: t?.e.validTo ?? null,
    sources,
    discrepancies,
    provenance: provenance(p),
  };
}

/** Lookups over one catalogue version; see OnlineServicesService.indexOf. */
export class CatalogueIndex {
  readonly hosts: Set<string>;
  readonly byLeikaKey = new Map<string, CatalogueEntry[]>();
  private readonly byId = new Map<string, CatalogueEntry>();

  constructor(readonly catalogue: Catalogue) {
    this.hosts = catalogueHosts(catalogue);
    for (const e of catalogue.entries) {
      this.byId.set(e.id, e);
      for (const k of e.leikaKeys) {
        const list = this.byLeikaKey.get(k);
        if (list) list.push(e);
        else this.byLeikaKey.set(k, [e]);
      }
    }
  }

  /** The catalogue entry with this id when it covers the place. */
  coveringEntry(id: string, ars: string): CatalogueEntry | undefined {
    const e = this.byId.get(id);
    return e && e.areas.some((a) => areaCovers(a, ars)) ? e : undefined;
  }
}

/**
 * Memos of pure functions of the data, not request state (issue 15): the ThAVEL client hands every request the same
 * Catalogue object while its cached pages are unchanged, and the PVOG client the same list object while the cached
 * pages of a place are unchanged (both are read-only cache reads). What depends only on them is computed once per
 * version and goes away with it (WeakMap); `thuegate_online_services_merges_total` counts the computations.
 */
export const mergeWork = registeredMetric(
  'thuegate_online_services_merges_total',
  () =>
    new Counter({
      name: 'thuegate_online_services_merges_total',
      help: 'Online-service merge work done (not served from the per-version memo): index = catalogue index built, place = merged answer for a place and LeiKa key, unit = answer for an Organisationseinheit',
      labelNames: ['kind'] as const,
      registers: [metricsRegistry],
    }),
);

const indexes = new WeakMap<Catalogue, CatalogueIndex>();

/** What depends only on the catalogue (link hosts, entries by LeiKa key and by id), built once per catalogue version. */
function indexOf(cat: Catalogue): CatalogueIndex {
  let index = indexes.get(cat);
  if (!index) {
    indexes.set(cat, (index = new CatalogueIndex(cat)));
    mergeWork.inc({ kind: 'index' });
  }
  return index;
}

/** The PVOG list of one place by id and by LeiKa key, built once per list. */
const pvogIndexes = new WeakMap<OnlineServiceDto[], { fromPvog: Map<string, OnlineServiceDto>; idsByLeikaKey: Map<string, string[]> }>();
function pvogIndexOf(list: OnlineServiceDto[]): { fromPvog: Map<string, OnlineServiceDto>; idsByLeikaKey: Map<string, string[]> } {
  let index = pvogIndexes.get(list);
  if (!index) {
    const idsByLeikaKey = new Map<string, string[]>();
    for (const d of list) {
      for (const k of new Set(d.leikaKeys)) {
        const ids = idsByLeikaKey.get(k);
        if (ids) ids.push(d.id);
        else idsByLeikaKey.set(k, [d.id]);
      }
    }
    pvogIndexes.set(list, (index = { fromPvog: new Map(list.map((d) => [d.id, d])), idsByLeikaKey }));
  }
  return index;
}

/** Answers differ by provenance too (a stale read of the same version says so), so it is part of the memo key. */
const stampOf = (p: ProvenanceInfo): string => `${p.fetchedAt.getTime()}${p.stale ? 's' : ''}`;

/** Distinct (place, LeiKa key) answers kept per (catalogue, PVOG list) pair: more than a place has Leistungen. */
const MAX_ANSWERS = 4096;
const placeMerges = new WeakMap<Catalogue, WeakMap<OnlineServiceDto[], Map<string, readonly OnlineService[]>>>();
const unitMerges = new WeakMap<Catalogue, Map<string, readonly OnlineService[]>>();

function remember(answers: Map<string, readonly OnlineService[]>, key: string, kind: 'place' | 'unit', compute: () => OnlineService[]): readonly OnlineService[] {
  let r = answers.get(key);
  if (!r) {
    if (answers.size >= MAX_ANSWERS) answers.clear();
    answers.set(key, (r = freezeAnswer(compute())));
    mergeWork.inc({ kind });
  }
  return r;
}

/**
 * Shared answers are frozen, so a reader that tried to change one (and so every later request's answer) fails
 * loudly instead. Arrays the catalogue entry owns (areas, login methods…) are the catalogue's, which is read-only too.
 */
function freezeAnswer(list: OnlineService[]): readonly OnlineService[] {
  for (const m of list) {
    for (const l of m.links) Object.freeze(l);
    for (const src of m.sources) Object.freeze(src);
    Object.freeze(m.links);
    Object.freeze(m.sources);
    Object.freeze(m.discrepancies);
    Object.freeze(m.leikaKeys);
    Object.freeze(m.provenance);
    Object.freeze(m);
  }
  return Object.freeze(list);
}

/** `OnlineServicesService.at` for one version of both sources; see `merge`. */
function mergedAt(cat: Provenanced<Catalogue>, pv: Provenanced<OnlineServiceDto[]>, ars: string, leikaKey: string | undefined): readonly OnlineService[] {
  let perList = placeMerges.get(cat.value);
  if (!perList) placeMerges.set(cat.value, (perList = new WeakMap()));
  let answers = perList.get(pv.value);
  if (!answers) perList.set(pv.value, (answers = new Map()));
  const key = `${ars}|${leikaKey ?? ''}|${stampOf(cat.provenance)}|${stampOf(pv.provenance)}`;
  return remember(answers, key, 'place', () => merge(cat, pv, ars, leikaKey));
}

/** The merge itself: ThAVEL entries covering the place and PVOG's list of the place, joined by id. */
function merge(cat: Provenanced<Catalogue>, pv: Provenanced<OnlineServiceDto[]>, ars: string, leikaKey: string | undefined): OnlineService[] {
  const index = indexOf(cat.value);
  // Only entries that can carry the key are merged: a merged entry's keys are the union of both sources' keys.
  const thavelCandidates = leikaKey ? (index.byLeikaKey.get(leikaKey) ?? []) : cat.value.entries;
  const fromThavel = new Map(thavelCandidates.filter((e) => e.areas.some((a) => areaCovers(a, ars))).map((e) => [e.id, e]));
  const { fromPvog, idsByLeikaKey } = pvogIndexOf(pv.value);
  const ids = leikaKey
    ? [...new Set([...fromThavel.keys(), ...(idsByLeikaKey.get(leikaKey) ?? [])])]
    : [...new Set([...fromThavel.keys(), ...fromPvog.keys()])];
  const merged = ids.map((id) => {
    // A PVOG-listed id whose ThAVEL entry covers the place but lacks the key still merges with that entry.
    const e = fromThavel.get(id) ?? (leikaKey ? index.coveringEntry(id, ars) : undefined);
    const d = fromPvog.get(id);
    return mergeOnlineService(e && { e, p: cat.provenance }, d && { dto: d, p: pv.provenance }, index.hosts);
  });
  // A PVOG answer does not say where an entry applies beyond the place asked: that place is its area here.
  for (const m of merged) if (m.areas.length === 0) m.areas = [ars];
  return merged.filter((m) => !leikaKey || m.leikaKeys.includes(leikaKey)).sort(byId);
}

export class OnlineServicesService {

  constructor(
    private readonly portal: PortalService,
    private readonly pvog: PvogLoaders,
    private readonly thavel: ThavelLoaders,
  ) {}

  /**
   * Merged online services for a place (any ARS level), optionally for one LeiKa key, ordered by id. The answer is
   * shared (frozen): it is a pure function of the catalogue version, the PVOG list of the place and their provenance,
   * so it is merged once per those (see `mergedAt`), not once per request and Leistung.
   */
  async at(ars: string, leikaKey?: string | null, argument = 'ars', opts: { leikaKeyArgument?: boolean } = {}): Promise<readonly OnlineService[]> {
    this.portal.checkArs(ars, argument);
    const [cat, pv] = await Promise.all([this.thavel.catalogue(), this.pvog.onlineServices.load(ars)]);
    const result = mergedAt(cat, pv, ars, leikaKey ?? undefined);
    // A key the caller typed gets NOT_FOUND when no Leistung carries it; keys taken from PVOG data are known to exist.
    if (opts.leikaKeyArgument && leikaKey && result.length === 0) await this.portal.requireCarried([leikaKey], 'leikaKey');
    return result;
  }

  /**
   * `at(svc.ars, svc.leikaKey)`, synchronously when the request has both sources at hand already (a warm request:
   * every service of a page asks, and a value costs the executor less than a promise; runtime/now.ts).
   */
  forService(svc: AdministrativeService): readonly OnlineService[] | Promise<readonly OnlineService[]> {
    if (!svc.leikaKey) return [];
    return this.atNow(svc.ars, svc.leikaKey) ?? this.at(svc.ars, svc.leikaKey);
  }

  private atNow(ars: string, leikaKey: string): readonly OnlineService[] | undefined {
    this.portal.checkArs(ars);
    const cat = this.thavel.catalogueNow();
    const pv = cat && this.pvog.onlineServicesNow(ars);
    return pv && mergedAt(cat, pv, ars, leikaKey);
  }

  /** Services an Organisationseinheit provides (only the ThAVEL catalogue names the provider). */
  async forUnit(unitId: string): Promise<readonly OnlineService[]> {
    const cat = await this.thavel.catalogue();
    let answers = unitMerges.get(cat.value);
    if (!answers) unitMerges.set(cat.value, (answers = new Map()));
    return remember(answers, `${unitId}|${stampOf(cat.provenance)}`, 'unit', () => {
      const hosts = indexOf(cat.value).hosts;
      return cat.value.entries
        .filter((e) => e.operatorUnitId === unitId)
        .map((e) => mergeOnlineService({ e, p: cat.provenance }, undefined, hosts))
        .map((m) => ({ ...m, discrepancies: [] })) // PVOG was not asked here, so "not in PVOG" would be a guess
        .sort(byId);
    });
  }

  /** Share of the Leistungen relevant to a municipality that can be applied for online there. */
  async digitalOffer(ars: string): Promise<DigitalOffer> {
    const [services, online] = await Promise.all([this.portal.services(ars, {}), this.at(ars)]);
    const onlineKeys = new Set(online.filter((o) => o.url !== null).flatMap((o) => o.leikaKeys));
    const isOnline = (s: AdministrativeService) => s.leikaKey !== null && onlineKeys.has(s.leikaKey);
    const done = services.filter(isOnline);
    const missing = services.filter((s) => !isOnline(s));
    const parts = [...services.map((s) => s.provenance), ...online.map((o) => o.provenance)];
    const p = mergeProvenance(parts, { source: 'pvog', fetchedAt: new Date(), stale: false });
    return {
      ars,
      servicesTotal: services.length,
      servicesOnline: done.length,
      share: services.length ? done.length / services.length : 0,
      onlineLeikaKeys: [...new Set(done.map((s) => s.leikaKey!))].sort(),
      missing: missing.map((s) => ({ leikaKey: s.leikaKey, serviceId: s.id, name: s.name })),
      onlineServiceCount: online.length,
      provenance: p,
    };
  }
}

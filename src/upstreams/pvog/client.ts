import { fetchPages, joinPages, pagesNow, type Paged } from '../runtime/paging';
import { LeikaCatalogue } from './leika-catalogue';
import { BULK_FEED_ARS, HttpBulkFeed, type BulkFeed } from './bulk-feed';
import type { PvogBulkConfig } from './config';
import type { CachedCall, CallContext, Provenanced, UpstreamSource } from '../runtime/source';
import {
  parseLocations,
  parseOnlineServicesPage,
  parseServiceDetail,
  parseServicePage,
  parseUnitDetail,
  parseUnitTitles,
  type Location,
  type OnlineServiceDto,
  type OnlineServicesPage,
  type ServiceDetail,
  type ServiceSummary,
  type SpringPage,
  type UnitDetail,
  type UnitTitle,
} from './mapper';

/**
 * Versioned paths per resource, as PVOG versions each endpoint separately (docs/upstreams/portal-pvog.md §1).
 * A configuration value, not a constant of the protocol: pass overrides when PVOG moves a version.
 */
export const PVOG_PATHS = {
  locations: '/v3/locations',
  servicesByArs: '/v7/servicedescriptions', // + /{ars}
  servicesByLeikaIds: '/v3/servicedescriptions/leikaid',
  serviceDetail: '/v6/servicedescriptions', // + /{lbId}/detail
  unitTitles: '/v2/organisationunits/titles',
  unitDetail: '/v5/organisationunits/detail',
  onlineServices: '/v1beta2/onlineservices',
  /** Bereitstelldienst (bulk XZuFi feed); a separate host in production. */
  bulk: '/bereitstelldienst/api/v2/verwaltungsobjekte',
} as const;
export type PvogPaths = { [K in keyof typeof PVOG_PATHS]: string };

/** The Suchdienst rejects pages smaller than 5; 100 keeps the number of round trips low. */
export const PVOG_PAGE_SIZE = 100;
/** Safety stop for paging loops (a broken upstream must not keep us paging forever). */
const MAX_PAGES = 50;

/** Right-pads an ARS of 2..12 digits with zeros to the 12 digits `/v6/…/detail` demands (`16067` → `160670000000`). */
export function padArs(ars: string): string {
  if (!/^\d{2,12}$/.test(ars)) throw new TypeError(`not an ARS: ${JSON.stringify(ars)}`);
  return ars.padEnd(12, '0');
}


export interface ValidDateOpt {
  /** `yyyy-MM-dd`: the version valid on that day; undefined = today's. */
  validDate?: string;
}

/**
 * PVOG Suchdienst client. Every call goes through the upstream source (shared cache, conditional
 * revalidation, provenance); keys are normalised so equal questions share a cache entry.
 */
export class PvogClient {
  /** LeiKa keys carried by some Leistung in Thüringen (the whole Bereitstelldienst feed for ARS 16), read on demand. */
  readonly leikaCatalogue = new LeikaCatalogue((index, call) => this.bulkPage(index, BULK_FEED_ARS, call).then((r) => r.value));
  /** The feed the harvester reads instead of asking per ARS (PVOG_BULK_URL); undefined = harvest per ARS. */
  readonly bulkFeed: BulkFeed | undefined;

  constructor(
    private readonly source: UpstreamSource,
    private readonly paths: PvogPaths = PVOG_PATHS,
    /** Services per listing page (the Suchdienst takes 5..100). */
    private readonly pageSize = PVOG_PAGE_SIZE,
    bulk?: PvogBulkConfig,
  ) {
    if (!Number.isInteger(pageSize) || pageSize < 5 || pageSize > 100) throw new RangeError(`PVOG page size: expected an integer from 5 to 100, got ${pageSize}`);
    this.bulkFeed =
      bulk?.kind === 'sandbox'
        ? { url: `${source.client.baseUrl.replace(/\/$/, '')}${paths.bulk}`, page: (index, call) => this.bulkPage(index, BULK_FEED_ARS, call).then((r) => r.value) }
        : bulk
          ? new HttpBulkFeed(bulk)
          : undefined;
  }

  locations(q: string, call: CallContext): Promise<Provenanced<Location[]>> {
    return this.source.fetch(
      { operation: 'locations', key: q.trim().toLowerCase(), request: { path: this.paths.locations, query: { q: q.trim() } }, parse: parseLocations, freeText: true },
      call,
    );
  }

  /**
   * Services at a place (`/v7/servicedescriptions/{ars}`). Without `window`: every page. With `window`: only the
   * pages up to the `first` services after the id `after` (a `first: 5` slice reads one page, not all), as long
   * as the pages read so far list services in ascending id order — the order the Suchdienst pages in; if a page
   * breaks it, every page is read, so the slice stays right. `totalElements` comes from the last page read.
   */
  async servicesByArs(ars: string, opts: ListingOpts, call: CallContext): Promise<Provenanced<ServiceListing>> {
    // Each read gets its own paging spec; a fresh listing is read without a promise per page.
    return this.servicesByArsNow(ars, opts, call) ?? listing(await fetchPages<number, SpringPage<ServiceSummary>>(this.servicesPaging(ars, opts, call)));
  }

  /** `servicesByArs` when every page it needs is a fresh cache hit, read synchronously; else undefined. */
  servicesByArsNow(ars: string, opts: ListingOpts, call: CallContext): Provenanced<ServiceListing> | undefined {
    const r = pagesNow<number, SpringPage<ServiceSummary>>(this.servicesPaging(ars, opts, call));
    return r && listing(r);
  }

  private servicesPaging(ars: string, opts: ListingOpts, call: CallContext) {
    const key = `${ars}|${opts.validDate ?? ''}|${opts.q ?? ''}`;
    const pageCall = (page: number): CachedCall<SpringPage<ServiceSummary>> => ({
      operation: 'servicedescriptions.byArs',
      key: `${key}|p${page}`,
      request: {
        path: `${this.paths.servicesByArs}/${encodeURIComponent(ars)}`,
        query: { q: opts.q || undefined, validDate: opts.validDate, page, size: this.pageSize },
      },
      parse: parseServicePage,
      freeText: Boolean(opts.q),
      // Readers map summaries into new objects (services/portal.ts): hits share one parsed page.
      readOnly: true,
    });
    return {
      start: 0,
      maxPages: MAX_PAGES,
      fetch: (page: number) => this.source.fetch(pageCall(page), call),
      fetchNow: (page: number) => this.source.fetchFresh(pageCall(page), call),
      next: nextPage,
      enough: opts.window ? (pages: readonly SpringPage<ServiceSummary>[]) => windowFilled(pages.flatMap((p) => p.items), opts.window!) : undefined,
    };
  }

  /** Services at a place for a list of LeiKa keys in one request (`leikaIds` list form). */
  servicesByLeikaIds(ars: string, leikaKeys: readonly string[], opts: ValidDateOpt, call: CallContext): Promise<Provenanced<ServiceSummary[]>> {
    const ids = [...new Set(leikaKeys)].sort();
    return this.allPages(
      'servicedescriptions.byLeikaIds',
      `${ars}|${opts.validDate ?? ''}|${ids.join(',')}`,
      (page) => ({
        path: this.paths.servicesByLeikaIds,
        query: { leikaIds: ids.join(','), ars, validDate: opts.validDate, page, size: this.pageSize },
      }),
      call,
    );
  }

  /** Full description with text modules; `ars` is padded to the 12 digits this endpoint requires. Null when PVOG has none. */
  serviceDetail(lbId: string, ars: string, opts: ValidDateOpt, call: CallContext): Promise<Provenanced<ServiceDetail | null>> {
    const ars12 = padArs(ars);
    return this.source.fetch(
      {
        operation: 'servicedescriptions.detail',
        key: `${lbId}|${ars12}|${opts.validDate ?? ''}`,
        request: {
          path: `${this.paths.serviceDetail}/${encodeURIComponent(lbId)}/detail`,
          query: { ars: ars12, validDate: opts.validDate },
          acceptStatus: [404],
        },
        parse: (res) => (res.status === 404 ? null : parseServiceDetail(res)),
      },
      call,
    );
  }

  unitTitles(ars: string, lbId: string, call: CallContext): Promise<Provenanced<UnitTitle[]>> {
    return this.source.fetch(
      {
        operation: 'organisationunits.titles',
        key: `${ars}|${lbId}`,
        request: { path: this.paths.unitTitles, query: { ars, lbId } },
        parse: parseUnitTitles,
      },
      call,
    );
  }

  /** One Organisationseinheit; with `ars` + `lbId` PVOG reports its role for that Leistung there. Null when unknown. */
  unitDetail(id: string, opts: ValidDateOpt & { ars?: string; lbId?: string }, call: CallContext): Promise<Provenanced<UnitDetail | null>> {
    return this.source.fetch(
      {
        operation: 'organisationunits.detail',
        key: `${id}|${opts.ars ?? ''}|${opts.lbId ?? ''}|${opts.validDate ?? ''}`,
        request: { path: this.paths.unitDetail, query: { q: id, ars: opts.ars, lbId: opts.lbId, validDate: opts.validDate }, acceptStatus: [404] },
        parse: parseUnitDetail,
      },
      call,
    );
  }

  /** Online services at a place, following `nextPageToken` until it is absent or repeats. */
  async onlineServices(ars: string, call: CallContext): Promise<Provenanced<OnlineServiceDto[]>> {
    // Each read gets its own paging state (the tokens seen).
    return this.onlineServicesNow(ars, call) ?? joinedOnline(await fetchPages(this.onlineServicesPaging(ars, call)));
  }

  /** `onlineServices` when every page is a fresh cache hit, read synchronously (runtime/paging.ts `pagesNow`); else undefined. */
  onlineServicesNow(ars: string, call: CallContext): Provenanced<OnlineServiceDto[]> | undefined {
    const r = pagesNow(this.onlineServicesPaging(ars, call));
    return r && joinedOnline(r);
  }

  private onlineServicesPaging(ars: string, call: CallContext) {
    const seen = new Set<string>();
    const pageCall = (token: string | null): CachedCall<OnlineServicesPage> => ({
      operation: 'onlineservices',
      key: `${ars}|${token ?? ''}`,
      request: { path: this.paths.onlineServices, query: { ars, nextPageToken: token ?? undefined } },
      parse: parseOnlineServicesPage,
      // Readers only read (services/online-services.ts merges into new objects): hits share one parsed page.
      readOnly: true,
    });
    return {
      start: null as string | null,
      maxPages: MAX_PAGES,
      fetch: (token: string | null) => this.source.fetch(pageCall(token), call),
      fetchNow: (token: string | null) => this.source.fetchFresh(pageCall(token), call),
      next: (page: OnlineServicesPage) => {
        const token = page.nextPageToken;
        if (!token || seen.has(token) || page.items.length === 0) return null;
        seen.add(token);
        return token;
      },
    };
  }

  /** One page of the Bereitstelldienst feed: the raw JSON envelope (see xzufi.ts for reading it). */
  bulkPage(index: number, ars: string, call: CallContext): Promise<Provenanced<unknown>> {
    return this.source.fetch(
      {
        operation: 'bereitstelldienst.page',
        key: `${ars}|${index}`,
        request: { path: this.paths.bulk, query: { index, ars } },
        parse: (res) => res.json(),
        // The harvester reads each page once; keeping megabytes of XML in the cache helps nobody.
        policy: { ttlMs: 0, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 },
      },
      call,
    );
  }

  private async allPages(
    operation: string,
    key: string,
    request: (page: number) => { path: string; query: Record<string, string | number | undefined> },
    call: CallContext,
    freeText = false,
  ): Promise<Provenanced<ServiceSummary[]>> {
    const r = await fetchPages<number, SpringPage<ServiceSummary>>({
      start: 0,
      maxPages: MAX_PAGES,
      fetch: (page) => this.source.fetch({ operation, key: `${key}|p${page}`, request: request(page), parse: parseServicePage, freeText }, call),
      next: nextPage,
    });
    return { value: r.pages.flatMap((p) => p.items), provenance: r.provenance };
  }
}

const nextPage = (res: SpringPage<unknown>, page: number): number | null => (res.items.length === 0 || page + 1 >= res.totalPages ? null : page + 1);

/** Which part of an id-ordered listing the caller needs: `first` services after the id `after`. */
export interface ListWindow {
  first: number;
  after?: string;
}

/** A listing of services: all of them (`complete`), or the leading pages that cover a window. */
export interface ServiceListing {
  items: ServiceSummary[];
  /** The upstream's count of all matching services (Spring-Data `totalElements`). */
  totalElements: number;
  complete: boolean;
}

/**
 * Whether the services read so far answer the window: in ascending id order (else the next page could still
 * hold a smaller id), with at least `first` ids after `after` (`hasNextPage` then follows from `totalElements`).
 */
export function windowFilled(items: readonly ServiceSummary[], w: ListWindow): boolean {
  for (let i = 1; i < items.length; i++) if (!(items[i - 1].id < items[i].id)) return false;
  const after = w.after;
  const past = after === undefined ? items.length : items.filter((s) => s.id > after).length;
  return past >= w.first;
}

type ListingOpts = ValidDateOpt & { q?: string; window?: ListWindow };

/** The listing of the pages read; one items list per version of the cached pages (portal.ts sorts it once per version). */
const listing = (r: Paged<SpringPage<ServiceSummary>>): Provenanced<ServiceListing> => ({
  value: { items: joinPages(r.pages, (p) => p.items), totalElements: r.pages.at(-1)?.totalElements ?? 0, complete: r.stop !== 'enough' },
  provenance: r.provenance,
});

/** One list object per version of the cached pages, so the merge with ThAVEL is memoised per version. */
const joinedOnline = (r: Paged<OnlineServicesPage>): Provenanced<OnlineServiceDto[]> => ({ value: joinPages(r.pages, (p) => p.items), provenance: r.provenance });

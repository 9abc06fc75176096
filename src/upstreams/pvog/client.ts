import { fetchPages } from '../runtime/paging';
import { LeikaCatalogue } from './leika-catalogue';
import type { CallContext, Provenanced, UpstreamSource } from '../runtime/source';
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
  readonly leikaCatalogue = new LeikaCatalogue((index, call) => this.bulkPage(index, '16', call).then((r) => r.value));

  constructor(
    private readonly source: UpstreamSource,
    private readonly paths: PvogPaths = PVOG_PATHS,
  ) {}

  locations(q: string, call: CallContext): Promise<Provenanced<Location[]>> {
    return this.source.fetch(
      { operation: 'locations', key: q.trim().toLowerCase(), request: { path: this.paths.locations, query: { q: q.trim() } }, parse: parseLocations },
      call,
    );
  }

  /** All services at a place (`/v7/servicedescriptions/{ars}`), every page. */
  servicesByArs(ars: string, opts: ValidDateOpt & { q?: string }, call: CallContext): Promise<Provenanced<ServiceSummary[]>> {
    return this.allPages(
      'servicedescriptions.byArs',
      `${ars}|${opts.validDate ?? ''}|${opts.q ?? ''}`,
      (page) => ({
        path: `${this.paths.servicesByArs}/${encodeURIComponent(ars)}`,
        query: { q: opts.q || undefined, validDate: opts.validDate, page, size: PVOG_PAGE_SIZE },
      }),
      call,
    );
  }

  /** Services at a place for a list of LeiKa keys in one request (`leikaIds` list form). */
  servicesByLeikaIds(ars: string, leikaKeys: readonly string[], opts: ValidDateOpt, call: CallContext): Promise<Provenanced<ServiceSummary[]>> {
    const ids = [...new Set(leikaKeys)].sort();
    return this.allPages(
      'servicedescriptions.byLeikaIds',
      `${ars}|${opts.validDate ?? ''}|${ids.join(',')}`,
      (page) => ({
        path: this.paths.servicesByLeikaIds,
        query: { leikaIds: ids.join(','), ars, validDate: opts.validDate, page, size: PVOG_PAGE_SIZE },
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
    const seen = new Set<string>();
    const r = await fetchPages<string | null, OnlineServicesPage>({
      start: null,
      maxPages: MAX_PAGES,
      fetch: (token) =>
        this.source.fetch(
          {
            operation: 'onlineservices',
            key: `${ars}|${token ?? ''}`,
            request: { path: this.paths.onlineServices, query: { ars, nextPageToken: token ?? undefined } },
            parse: parseOnlineServicesPage,
          },
          call,
        ),
      next: (page) => {
        const token = page.nextPageToken;
        if (!token || seen.has(token) || page.items.length === 0) return null;
        seen.add(token);
        return token;
      },
    });
    return { value: r.pages.flatMap((p) => p.items), provenance: r.provenance };
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
  ): Promise<Provenanced<ServiceSummary[]>> {
    const r = await fetchPages<number, SpringPage<ServiceSummary>>({
      start: 0,
      maxPages: MAX_PAGES,
      fetch: (page) => this.source.fetch({ operation, key: `${key}|p${page}`, request: request(page), parse: parseServicePage }, call),
      next: (res, page) => (res.items.length === 0 || page + 1 >= res.totalPages ? null : page + 1),
    });
    return { value: r.pages.flatMap((p) => p.items), provenance: r.provenance };
  }
}

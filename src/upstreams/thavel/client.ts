import { fetchPages, pagesNow } from '../runtime/paging';
import type { CachedCall, CallContext, Provenanced, UpstreamSource } from '../runtime/source';
import { readCataloguePage, resolveCatalogue, type Catalogue, type CataloguePage } from './mapper';

/**
 * Client for the ThAVEL catalogue as adopted in docs/upstreams/thavel.md §2: pages in the Bereitstelldienst envelope
 * carrying XZuFi 2.2 `onlinedienst` (and `leistung`) objects, requested with `?index=<n>`. The path is
 * configuration, not protocol: no ThAVEL interface is published, so the operator's URL may differ.
 * Delta fetch uses `geaendertSeit=<ISO instant>` [sandbox contract], answered in the same envelope.
 */
export const THAVEL_PATHS = { catalogue: '/catalogue/v1/onlinedienste' } as const;
export type ThavelPaths = { [K in keyof typeof THAVEL_PATHS]: string };

/** Safety stop: a feed whose index never ends must not keep us paging forever. */
const MAX_PAGES = 200;

export class ThavelClient {
  /** The last full catalogue resolved, by the versions of the cached pages it was built from. */
  private resolved?: { stamp: string; value: Catalogue };

  constructor(
    private readonly source: UpstreamSource,
    private readonly paths: ThavelPaths = THAVEL_PATHS,
  ) {}

  /** One page; `since` switches to the delta feed. Malformed entries are skipped and counted in the page. */
  page(index: number, since: string | undefined, call: CallContext): Promise<Provenanced<CataloguePage>> {
    return this.source.fetch(this.pageCall(index, since), call);
  }

  private pageCall(index: number, since: string | undefined): CachedCall<CataloguePage> {
    return {
      operation: since ? 'catalogue.delta' : 'catalogue',
      key: `${since ?? ''}|${index}`,
      request: { path: this.paths.catalogue, query: { index, geaendertSeit: since } },
      parse: (res) => readCataloguePage(res, index),
      // Pages are only read (resolveCatalogue builds new entries), so hits share one parsed page.
      readOnly: true,
    };
  }

  /** The whole catalogue, every page, with Leistung references resolved to LeiKa keys. */
  list(call: CallContext): Promise<Provenanced<Catalogue>> {
    return Promise.resolve(this.listNow(call) ?? this.readAll(undefined, call));
  }

  /**
   * The whole catalogue when every page is a fresh cache hit, read synchronously: the same pages in the same order
   * as `readAll`'s paging loop, the same cache metrics and spans, the same Catalogue object and provenance — without a
   * promise chain per page (issue 15: a warm request reads all pages). Undefined as soon as one page is not fresh;
   * `readAll` then reads them all as usual.
   */
  listNow(call: CallContext): Provenanced<Catalogue> | undefined {
    const stamps: string[] = [];
    const r = pagesNow<number, CataloguePage>({
      start: 0,
      maxPages: MAX_PAGES,
      fetchNow: (index) => {
        const page = this.source.fetchFresh(this.pageCall(index, undefined), call);
        if (page) stamps.push(`${index}@${page.provenance.fetchedAt.getTime()}`);
        return page;
      },
      next: nextIndex,
    });
    // The capped case is rare: `readAll` handles it.
    return r && r.stop === 'end' ? { value: this.resolve(stamps.join('|'), r.pages), provenance: r.provenance } : undefined;
  }

  /** Objects changed at or after `since` (ISO 8601 instant): apply with `applyDelta` to an earlier list. */
  async changesSince(since: string, call: CallContext): Promise<Provenanced<Catalogue>> {
    if (Number.isNaN(Date.parse(since))) throw new TypeError(`since: expected an ISO 8601 instant, got ${JSON.stringify(since)}`);
    return this.readAll(since, call);
  }

  private async readAll(since: string | undefined, call: CallContext): Promise<Provenanced<Catalogue>> {
    // Which stored page versions were read: the same cache entries (same fetch instants) give the same catalogue.
    const stamps: string[] = [];
    const r = await fetchPages<number, CataloguePage>({
      start: 0,
      maxPages: MAX_PAGES,
      fetch: async (index) => {
        const page = await this.page(index, since, call);
        stamps.push(`${index}@${page.provenance.fetchedAt.getTime()}`);
        return page;
      },
      next: nextIndex,
    });
    if (since !== undefined) return { value: resolveCatalogue(r.pages), provenance: r.provenance };
    return { value: this.resolve(stamps.join('|'), r.pages), provenance: r.provenance };
  }

  /**
   * Resolving the full list is per catalogue version, not per request (issue 15): every request that reads the
   * same cached pages gets the same (never mutated) Catalogue object, so work derived from it can be memoised too.
   */
  private resolve(stamp: string, pages: CataloguePage[]): Catalogue {
    if (this.resolved?.stamp !== stamp) this.resolved = { stamp, value: resolveCatalogue(pages) };
    return this.resolved.value;
  }
}

/** The next page's index, or null after the last page (also for an index that does not advance). */
function nextIndex(p: CataloguePage, index: number): number | null {
  return p.complete || p.next === null || p.next <= index ? null : p.next;
}

import { mergeProvenance, type Provenanced, type ProvenanceInfo } from './source';

/**
 * The one paging loop of the adapters: fetch a page, ask the adapter for the next cursor, stop at the end,
 * at the page cap (a broken upstream must not keep us paging forever) or as soon as the caller has enough.
 */
export interface PagingSpec<C, P> {
  /** Cursor of the first page (page number, index, start position, token…). */
  start: C;
  /** Safety stop: at most this many pages. */
  maxPages: number;
  fetch(cursor: C): Promise<Provenanced<P>>;
  /** The next page's cursor, or null when `page` was the last (the adapter also returns null for a cursor that does not advance). */
  next(page: P, cursor: C): C | null;
  /** Stop early once the pages read so far answer the question (e.g. a `first: 5` slice). */
  enough?(pages: readonly P[]): boolean;
}

export interface Paged<P> {
  pages: P[];
  provenance: ProvenanceInfo;
  /** `end`: the upstream said it was the last page; `cap`: maxPages reached; `enough`: the caller had what it needed. */
  stop: 'end' | 'cap' | 'enough';
}

/** Pages one by one as they arrive (feeds too large to hold); `stop` is told once the loop ends. */
export async function* eachPage<C, P>(spec: PagingSpec<C, P>, onStop?: (stop: Paged<P>['stop']) => void): AsyncGenerator<Provenanced<P> & { cursor: C }> {
  let cursor: C | null = spec.start;
  const seen: P[] = [];
  for (let n = 0; ; n++) {
    if (n >= spec.maxPages) return void onStop?.('cap');
    const page: Provenanced<P> = await spec.fetch(cursor as C);
    yield { ...page, cursor: cursor as C };
    seen.push(page.value);
    cursor = spec.next(page.value, cursor as C);
    if (cursor === null) return void onStop?.('end');
    if (spec.enough?.(seen)) return void onStop?.('enough');
  }
}

/**
 * `fetchPages` over pages the cache holds fresh, read synchronously: the same pages in the same order (same cap,
 * `next` and `enough`), without a promise per page (issue 15: a warm request reads whole listings this way).
 * Undefined as soon as one page is not fresh (`fetchNow` gives undefined); `fetchPages` then reads them as usual.
 */
export function pagesNow<C, P>(spec: Omit<PagingSpec<C, P>, 'fetch'> & { fetchNow(cursor: C): Provenanced<P> | undefined }): Paged<P> | undefined {
  const pages: P[] = [];
  const parts: ProvenanceInfo[] = [];
  let cursor: C | null = spec.start;
  for (let n = 0; ; n++) {
    if (n >= spec.maxPages) return { pages, provenance: mergeProvenance(parts), stop: 'cap' };
    const page = spec.fetchNow(cursor as C);
    if (!page) return undefined;
    pages.push(page.value);
    parts.push(page.provenance);
    cursor = spec.next(page.value, cursor as C);
    if (cursor === null) return { pages, provenance: mergeProvenance(parts), stop: 'end' };
    if (spec.enough?.(pages)) return { pages, provenance: mergeProvenance(parts), stop: 'enough' };
  }
}

/** Every page (up to the cap or `enough`), with the merged provenance of the pages read. */
export async function fetchPages<C, P>(spec: PagingSpec<C, P>): Promise<Paged<P>> {
  const pages: P[] = [];
  const parts: ProvenanceInfo[] = [];
  let stop: Paged<P>['stop'] = 'end';
  for await (const p of eachPage(spec, (s) => (stop = s))) {
    pages.push(p.value);
    parts.push(p.provenance);
  }
  return { pages, provenance: mergeProvenance(parts), stop };
}

const joined = new WeakMap<object, { pages: readonly object[]; items: unknown[] }>();

/**
 * The items of all pages as one list, the same list object for the same page objects (issue 15): with read-only
 * cache reads the pages of an unchanged upstream answer are shared, and so is their join, which lets work derived
 * from the list be memoised per version (services/online-services.ts). A single page's own items list is returned
 * as it is. Callers must treat the list as read-only, like the pages.
 */
export function joinPages<P extends object, T>(pages: readonly P[], items: (page: P) => T[]): T[] {
  if (pages.length === 1) return items(pages[0]);
  if (pages.length === 0) return [];
  const known = joined.get(pages[0]);
  if (known && known.pages.length === pages.length && known.pages.every((p, i) => p === pages[i])) return known.items as T[];
  const list = pages.flatMap(items);
  joined.set(pages[0], { pages: [...pages], items: list });
  return list;
}

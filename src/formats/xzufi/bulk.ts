import { eachPage } from '../../upstreams/runtime/paging';
import { parseXzufiMessage, XzufiError, type DeleteClass, type XzufiMessage, type XzufiObject } from './xzufi';

/**
 * The Bereitstelldienst bulk feed (PVOG) and the ThAVEL catalogue share this envelope: one page of
 * XZuFi 2.2 objects plus the index of the next page (docs/upstreams/portal-pvog.md §3). The harvester
 * (src/harvest/) reads whole feeds with `readBulkFeed` and applies them like `XzufiSnapshot`.
 */

export interface BulkEnvelope {
  xzufiObjekte: string;
  vollstaendig: boolean;
  naechsterIndex: number | null;
  naechsteAnfrageUrl: string | null;
}

export function parseBulkEnvelope(v: unknown): BulkEnvelope {
  if (typeof v !== 'object' || v === null) throw new XzufiError('Bereitstelldienst page is not a JSON object');
  const o = v as Record<string, unknown>;
  if (typeof o.xzufiObjekte !== 'string') throw new XzufiError('Bereitstelldienst page has no xzufiObjekte string');
  return {
    xzufiObjekte: o.xzufiObjekte,
    vollstaendig: o.vollstaendig === true,
    naechsterIndex: typeof o.naechsterIndex === 'number' && Number.isInteger(o.naechsterIndex) ? o.naechsterIndex : null,
    naechsteAnfrageUrl: typeof o.naechsteAnfrageUrl === 'string' ? o.naechsteAnfrageUrl : null,
  };
}

export interface BulkPage {
  index: number;
  message: XzufiMessage;
  envelope: Omit<BulkEnvelope, 'xzufiObjekte'>;
}

export interface ReadFeedOptions {
  startIndex?: number;
  /** Safety stop; the feed ends earlier on `vollstaendig` or when `naechsterIndex` stops advancing. */
  maxPages?: number;
}

/** Pages through the feed via `naechsterIndex` until `vollstaendig` is true or the index does not advance. */
export async function* readBulkFeed(fetchPage: (index: number) => Promise<unknown>, opts: ReadFeedOptions = {}): AsyncGenerator<BulkPage> {
  const pages = eachPage<number, BulkEnvelope>({
    start: opts.startIndex ?? 0,
    maxPages: opts.maxPages ?? 100_000,
    // The feed is read raw (no cache entry per page), so provenance is the time of reading.
    fetch: async (index) => ({ value: parseBulkEnvelope(await fetchPage(index)), provenance: { source: 'pvog', fetchedAt: new Date(), stale: false } }),
    next: (e, index) => (e.vollstaendig || e.naechsterIndex === null || e.naechsterIndex <= index ? null : e.naechsterIndex),
  });
  for await (const { value: envelope, cursor: index } of pages) {
    const { xzufiObjekte, ...rest } = envelope;
    yield { index, message: parseXzufiMessage(xzufiObjekte), envelope: rest };
  }
}

export interface HarvestSummary {
  pages: number;
  written: number;
  deleted: number;
  /** Deletions of ids never seen ("verwaiste Löschungen"): a no-op, counted. */
  orphanDeletes: number;
  skipped: number;
  complete: boolean;
}

/**
 * In-memory application of the feed (the harvester persists the same way): writes replace by id,
 * deletes remove, deletes of unknown ids are counted and otherwise ignored.
 */
export class XzufiSnapshot {
  readonly objects = new Map<string, XzufiObject>();
  readonly summary: HarvestSummary = { pages: 0, written: 0, deleted: 0, orphanDeletes: 0, skipped: 0, complete: false };

  apply(page: BulkPage): void {
    this.summary.pages++;
    for (const w of page.message.writes) {
      this.objects.set(`${w.kind}:${w.id}`, w);
      this.summary.written++;
    }
    for (const d of page.message.deletes) {
      const key = `${DELETE_KIND[d.klasse]}:${d.id}`;
      if (this.objects.delete(key)) this.summary.deleted++;
      else this.summary.orphanDeletes++;
    }
    this.summary.skipped += page.message.skipped.length;
    this.summary.complete = page.envelope.vollstaendig;
  }

  byKind<K extends XzufiObject['kind']>(kind: K): Extract<XzufiObject, { kind: K }>[] {
    return [...this.objects.values()].filter((o): o is Extract<XzufiObject, { kind: K }> => o.kind === kind);
  }
}

const DELETE_KIND: Record<DeleteClass, XzufiObject['kind']> = {
  Zustaendigkeit: 'zustaendigkeit',
  Leistung: 'leistung',
  Organisationseinheit: 'organisationseinheit',
  LeistungSpezialisierung: 'spezialisierung',
  Onlinedienst: 'onlinedienst',
};

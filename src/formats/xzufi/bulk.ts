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
  /** The same per `klasse`. */
  orphanDeletesByClass: Partial<Record<DeleteClass, number>>;
  skipped: number;
  complete: boolean;
}

/**
 * In-memory application of the feed (the harvester persists the same way): writes replace by id,
 * deletes remove, deletes of unknown ids are counted and otherwise ignored.
 */
export class XzufiSnapshot {
  readonly objects = new Map<string, XzufiObject>();
  readonly summary: HarvestSummary = { pages: 0, written: 0, deleted: 0, orphanDeletes: 0, orphanDeletesByClass: {}, skipped: 0, complete: false };

  apply(page: BulkPage): void {
    this.summary.pages++;
    for (const w of page.message.writes) {
      this.objects.set(`${w.kind}:${w.id}`, w);
      this.summary.written++;
    }
    for (const d of page.message.deletes) {
      const key = `${DELETE_KIND[d.klasse]}:${d.id}`;
      if (this.objects.delete(key)) this.summary.deleted++;
      else {
        this.summary.orphanDeletes++;
        this.summary.orphanDeletesByClass[d.klasse] = (this.summary.orphanDeletesByClass[d.klasse] ?? 0) + 1;
      }
    }
    this.summary.skipped += page.message.skipped.length;
    this.summary.complete = page.envelope.vollstaendig;
  }

  byKind<K extends XzufiObject['kind']>(kind: K): Extract<XzufiObject, { kind: K }>[] {
    return [...this.objects.values()].filter((o): o is Extract<XzufiObject, { kind: K }> => o.kind === kind);
  }

  /**
   * Zuständigkeiten that point nowhere once the feed is read (portal-pvog.md §4: a Zuständigkeit names a Leistung and
   * hangs under an OE or an Onlinedienst): transfer objects whose `leistungID` or `uebergeordnetesObjektID` is unknown,
   * and Zuständigkeiten embedded in an OE or Onlinedienst whose `leistungID` is unknown (subject: the parent's id).
   * Meaningful only over the whole feed: a reference may point to an object on a later page.
   */
  orphans(): FeedOrphans {
    const known = (kind: XzufiObject['kind'], id: string | null) => id !== null && this.objects.has(`${kind}:${id}`);
    const responsibilities: OrphanResponsibility[] = [];
    for (const o of this.objects.values()) {
      if (o.kind === 'zustaendigkeit') {
        const leistung = known('leistung', o.leistungId);
        const parent = known('organisationseinheit', o.parentId) || known('onlinedienst', o.parentId);
        if (!leistung || !parent) responsibilities.push({ id: o.id, embeddedIn: null, leistungIds: leistung ? [] : [o.leistungId], parentId: parent ? null : o.parentId, areaIds: o.areaIds });
      } else if (o.kind === 'organisationseinheit' || o.kind === 'onlinedienst') {
        const missing = o.responsibilities.filter((z) => !known('leistung', z.leistungId));
        if (missing.length) {
          responsibilities.push({ id: o.id, embeddedIn: o.kind, leistungIds: [...new Set(missing.map((z) => z.leistungId))], parentId: null, areaIds: [...new Set(missing.flatMap((z) => z.areaIds))] });
        }
      }
    }
    responsibilities.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { responsibilities, orphanDeletes: this.summary.orphanDeletes, orphanDeletesByClass: { ...this.summary.orphanDeletesByClass } };
  }
}

/**
 * One Zuständigkeit of the feed that points nowhere. `id` is the transfer object's id, or for a Zuständigkeit embedded in
 * an OE/Onlinedienst (which has no id of its own) the parent's id with `embeddedIn` naming its kind.
 */
export interface OrphanResponsibility {
  id: string;
  embeddedIn: 'organisationseinheit' | 'onlinedienst' | null;
  /** Leistung ids the feed never wrote (empty when only the parent is unknown). */
  leistungIds: string[];
  /** The unknown `uebergeordnetesObjektID` (null when the parent is known or the Zuständigkeit is embedded). */
  parentId: string | null;
  areaIds: string[];
}

/** What of the feed points nowhere (rule P-12): orphan Zuständigkeiten and the count of deletions of unknown ids. */
export interface FeedOrphans {
  responsibilities: OrphanResponsibility[];
  orphanDeletes: number;
  orphanDeletesByClass: Partial<Record<DeleteClass, number>>;
}

const DELETE_KIND: Record<DeleteClass, XzufiObject['kind']> = {
  Zustaendigkeit: 'zustaendigkeit',
  Leistung: 'leistung',
  Organisationseinheit: 'organisationseinheit',
  LeistungSpezialisierung: 'spezialisierung',
  Onlinedienst: 'onlinedienst',
};

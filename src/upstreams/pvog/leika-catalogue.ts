import { readBulkFeed, XzufiSnapshot } from '../../formats/xzufi/bulk';
import { untilAborted } from '../../util/abort';
import type { CallContext } from '../runtime/source';

export interface LeikaCatalogueOptions {
  /** How long a catalogue that was read completely is used (default 6 h). */
  ttlMs?: number;
  /** How long after a failed or incomplete read nobody tries again (default 60 s). */
  retryAfterMs?: number;
  /** Bound of one read of the whole feed, independent of the request that started it (default 60 s). */
  loadTimeoutMs?: number;
  /** Safety stop for the feed (default 2000 pages). */
  maxPages?: number;
  now?: () => number;
}

type FetchPage = (index: number, call: CallContext) => Promise<unknown>;

/**
 * Which LeiKa keys some Leistung in Thüringen carries, read from the Bereitstelldienst feed
 * (docs/upstreams/portal-pvog.md §3: `leistung/referenzLeiKa/code`, deletions applied). It answers one question
 * the Suchdienst cannot: a well-formed key with no description at a place is either offered elsewhere
 * (the answer there is empty) or carried by no Leistung at all (a NOT_FOUND, issue 14). One catalogue per process,
 * read only when such a question comes up, shared by all requests; a read that fails, times out or does not reach
 * the end of the feed answers `undefined` ("cannot tell"), so nobody is told "not found" on partial knowledge.
 */
export class LeikaCatalogue {
  private current?: { keys: Promise<ReadonlySet<string> | undefined>; until: number };
  private readonly now: () => number;

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly opts: LeikaCatalogueOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** True or false when the catalogue is known; undefined when it could not be read (in time for this request). */
  async carries(leikaKey: string, call: CallContext): Promise<boolean | undefined> {
    // The caller stops waiting when its request ends; the shared read goes on for the others.
    const keys = await untilAborted(this.keys(), call.signal, () => undefined).catch(() => undefined);
    return keys ? keys.has(leikaKey) : undefined;
  }

  private keys(): Promise<ReadonlySet<string> | undefined> {
    if (this.current && this.current.until > this.now()) return this.current.keys;
    const retry = this.opts.retryAfterMs ?? 60_000;
    const entry = { keys: this.read(), until: this.now() + retry };
    this.current = entry;
    void entry.keys.then((k) => {
      if (k && this.current === entry) entry.until = this.now() + (this.opts.ttlMs ?? 6 * 3600_000);
    });
    return entry.keys;
  }

  private async read(): Promise<ReadonlySet<string> | undefined> {
    const timeout = this.opts.loadTimeoutMs ?? 60_000;
    // Its own deadline: the read is shared, so the request that happened to start it must not cancel it for the others.
    const call: CallContext = { signal: AbortSignal.timeout(timeout), deadline: this.now() + timeout };
    try {
      const snapshot = new XzufiSnapshot();
      for await (const page of readBulkFeed((index) => this.fetchPage(index, call), { maxPages: this.opts.maxPages ?? 2000 })) snapshot.apply(page);
      if (!snapshot.summary.complete) return undefined;
      return new Set(snapshot.byKind('leistung').flatMap((l) => (l.leikaKey ? [l.leikaKey] : [])));
    } catch {
      return undefined;
    }
  }
}

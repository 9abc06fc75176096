import { allValid, orSnapshot, shape } from '../runtime/fallback';
import type { CallContext, Provenanced } from '../runtime/source';
import type { ThavelClient } from './client';
import type { Catalogue, CatalogueEntry } from './mapper';

/**
 * Per-request access to the ThAVEL catalogue: read at most once per GraphQL request, however many
 * municipalities, services or units ask (pages themselves are shared across requests by the data cache).
 * When ThAVEL is down and the cache has nothing, the catalogue of the latest harvest snapshot answers (stale).
 */
export interface ThavelLoaders {
  client: ThavelClient;
  catalogue(): Promise<Provenanced<Catalogue>>;
  /** The request's catalogue when it can be had without waiting: read already, or every page fresh in the cache. */
  catalogueNow(): Provenanced<Catalogue> | undefined;
}

/** Item keys of catalogue entries in a harvest snapshot (src/harvest/items.ts). */
const SNAPSHOT_PREFIX = 'entry:';

const strOrNull = shape.strOrNull;
/** The shape the mapper gives a catalogue entry; anything else in the snapshot is not served. */
function entry(p: unknown): CatalogueEntry | undefined {
  if (!shape.obj(p)) return undefined;
  const ok =
    shape.str(p.id) &&
    shape.str(p.title) &&
    shape.obj(p.titles) &&
    shape.strings(p.languages) &&
    shape.arr(p.links) &&
    p.links.every((l) => shape.obj(l) && shape.str(l.url) && strOrNull(l.title) && strOrNull(l.typeCode) && strOrNull(l.languageCode)) &&
    (p.trustLevel === null || (shape.obj(p.trustLevel) && shape.str(p.trustLevel.code))) &&
    shape.strings(p.leikaKeys) &&
    shape.strings(p.areas) &&
    shape.strings(p.loginMethods) &&
    shape.obj(p.payment) &&
    shape.strings(p.payment.methods) &&
    strOrNull(p.operatorUnitId) &&
    strOrNull(p.validFrom) &&
    strOrNull(p.validTo);
  return ok ? (p as unknown as CatalogueEntry) : undefined;
}

export function createThavelLoaders(client: ThavelClient, call: CallContext): ThavelLoaders {
  let pending: Promise<Provenanced<Catalogue>> | undefined;
  let settled: Provenanced<Catalogue> | undefined;
  return {
    client,
    catalogue: () =>
      (pending ??= orSnapshot(call, 'thavel', () => client.list(call), [SNAPSHOT_PREFIX], ([s]) => {
        if (s.items.length === 0) return undefined; // a snapshot without ThAVEL (never harvested) cannot stand in
        const entries = allValid(s.items, entry);
        return entries && { entries, deletedIds: [], warnings: [] };
      }).then((c) => (settled = c))),
    // One catalogue per request, however it was read (runtime/now.ts says why this matters).
    catalogueNow: () => {
      if (settled || pending) return settled;
      const c = client.listNow(call);
      if (c) pending = Promise.resolve((settled = c));
      return c;
    },
  };
}

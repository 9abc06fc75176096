import DataLoader from 'dataloader';
import { asError, chunk, settlePerKey } from '../runtime/batch';
import { fromSnapshot, orSnapshot } from '../runtime/fallback';
import { loaderWithNow } from '../runtime/now';
import type { CallContext, Provenanced } from '../runtime/source';
import { detailIn, onlineAt, responsibilityIn, servicesAt, SNAPSHOT_PREFIX, unitIn } from './snapshot';
import type { ListWindow, PvogClient, ServiceListing } from './client';
import type { OnlineServiceDto, ServiceDetail, ServiceSummary, UnitDetail, UnitTitle } from './mapper';

/**
 * Per-request DataLoaders over the PVOG client: each distinct (endpoint, key) is requested at most once
 * per GraphQL request, and LeiKa lookups for one place are merged into one `leikaIds` list request.
 */

export interface LeikaLookupKey {
  ars: string;
  leikaKey: string;
  validDate?: string;
}
export interface DetailKey {
  lbId: string;
  ars: string;
  validDate?: string;
}
export interface TitlesKey {
  ars: string;
  lbId: string;
}
export interface UnitKey {
  id: string;
  validDate?: string;
}
export interface ArsKey {
  ars: string;
  validDate?: string;
  q?: string;
  /** Only the leading pages covering this slice; absent = every page. */
  window?: ListWindow;
}

export interface PvogLoaders {
  client: PvogClient;
  servicesByArs: DataLoader<ArsKey, Provenanced<ServiceListing>, string>;
  /** The request's `servicesByArs` answer when it can be had without waiting (runtime/now.ts). */
  servicesByArsNow(key: ArsKey): Provenanced<ServiceListing> | undefined;
  serviceByLeika: DataLoader<LeikaLookupKey, Provenanced<ServiceSummary | null>, string>;
  serviceDetail: DataLoader<DetailKey, Provenanced<ServiceDetail | null>, string>;
  unitTitles: DataLoader<TitlesKey, Provenanced<UnitTitle[]>, string>;
  unitDetail: DataLoader<UnitKey, Provenanced<UnitDetail | null>, string>;
  onlineServices: DataLoader<string, Provenanced<OnlineServiceDto[]>, string>;
  /** The request's `onlineServices` answer for a place when it can be had without waiting (runtime/now.ts). */
  onlineServicesNow(ars: string): Provenanced<OnlineServiceDto[]> | undefined;
  /** Whether some Leistung in Thüringen carries the key; undefined when the catalogue cannot be read in time. */
  leikaCarried(leikaKey: string): Promise<boolean | undefined>;
}

/** The Suchdienst takes the list in the query string; keep URLs well below common limits. */
const LEIKA_IDS_PER_REQUEST = 50;


export function createPvogLoaders(client: PvogClient, call: CallContext): PvogLoaders {
  const listings = loaderWithNow<ArsKey, Provenanced<ServiceListing>>(
    (keys) =>
      settlePerKey(keys, (k) => {
        const live = () => client.servicesByArs(k.ars, { validDate: k.validDate, q: k.q, window: k.window }, call);
        // The snapshot holds today's list per municipality; a day or a text search it cannot answer.
        if (k.validDate || k.q) return live();
        return orSnapshot(call, 'pvog', live, [SNAPSHOT_PREFIX.services(k.ars)], ([s]) => {
          const items = servicesAt(s);
          return items && { items, totalElements: items.length, complete: true };
        });
      }),
    (k) => `${k.ars}|${k.validDate ?? ''}|${k.q ?? ''}|${k.window ? `${k.window.first}|${k.window.after ?? ''}` : '*'}`,
    (k) => client.servicesByArsNow(k.ars, { validDate: k.validDate, q: k.q, window: k.window }, call),
  );
  const online = loaderWithNow<string, Provenanced<OnlineServiceDto[]>>(
    (keys) =>
      settlePerKey(keys, (ars) =>
        orSnapshot(call, 'pvog', () => client.onlineServices(ars, call), [SNAPSHOT_PREFIX.services(ars), SNAPSHOT_PREFIX.online(ars)], ([services, online]) =>
          servicesAt(services) ? onlineAt(online) : undefined,
        ),
      ),
    (ars) => ars,
    (ars) => client.onlineServicesNow(ars, call),
  );
  return {
    client,
    servicesByArs: listings.loader,
    servicesByArsNow: listings.now,
    serviceByLeika: new DataLoader(
      async (keys) => {
        // One leikaIds request per (place, day) for all keys asked in this tick.
        const groups = new Map<string, { ars: string; validDate?: string; keys: Set<string> }>();
        for (const k of keys) {
          const g = `${k.ars}|${k.validDate ?? ''}`;
          if (!groups.has(g)) groups.set(g, { ars: k.ars, validDate: k.validDate, keys: new Set() });
          groups.get(g)!.keys.add(k.leikaKey);
        }
        const results = new Map<string, Provenanced<ServiceSummary[]> | Error>();
        await Promise.all(
          [...groups].flatMap(([g, { ars, validDate, keys: set }]) => {
            return chunk([...set].sort(), LEIKA_IDS_PER_REQUEST).map(async (part) => {
              const r = await client.servicesByLeikaIds(ars, part, { validDate }, call).catch(async (e: unknown) => {
                const backed = validDate ? undefined : await fromSnapshot(call, 'pvog', e, [SNAPSHOT_PREFIX.services(ars)], ([s]) => servicesAt(s)?.filter((x) => x.leikaKey !== null && part.includes(x.leikaKey)));
                return backed ?? asError(e);
              });
              for (const key of part) results.set(`${g}|${key}`, r);
            });
          }),
        );
        return keys.map((k) => {
          const r = results.get(`${k.ars}|${k.validDate ?? ''}|${k.leikaKey}`)!;
          if (r instanceof Error) return r;
          return { value: r.value.find((s) => s.leikaKey === k.leikaKey) ?? null, provenance: r.provenance };
        });
      },
      { cacheKeyFn: (k) => `${k.ars}|${k.validDate ?? ''}|${k.leikaKey}` },
    ),
    // The snapshot holds today's description, responsibilities and units (src/harvest/pvog-places.ts); not another day's.
    serviceDetail: new DataLoader(
      (keys) =>
        settlePerKey(keys, (k) => {
          const live = () => client.serviceDetail(k.lbId, k.ars, { validDate: k.validDate }, call);
          if (k.validDate) return live();
          return orSnapshot<ServiceDetail | null>(call, 'pvog', live, [SNAPSHOT_PREFIX.detail(k.ars, k.lbId)], ([s]) => detailIn(s, k.ars, k.lbId));
        }),
      { cacheKeyFn: (k) => `${k.lbId}|${k.ars}|${k.validDate ?? ''}` },
    ),
    unitTitles: new DataLoader(
      (keys) =>
        settlePerKey(keys, (k) =>
          orSnapshot(call, 'pvog', () => client.unitTitles(k.ars, k.lbId, call), [SNAPSHOT_PREFIX.responsibility(k.ars, k.lbId)], ([s]) => responsibilityIn(s, k.ars, k.lbId)),
        ),
      { cacheKeyFn: (k) => `${k.ars}|${k.lbId}` },
    ),
    unitDetail: new DataLoader(
      (keys) =>
        settlePerKey(keys, (k) => {
          const live = () => client.unitDetail(k.id, { validDate: k.validDate }, call);
          if (k.validDate) return live();
          return orSnapshot<UnitDetail | null>(call, 'pvog', live, [SNAPSHOT_PREFIX.unit(k.id)], ([s]) => unitIn(s, k.id));
        }),
      { cacheKeyFn: (k) => `${k.id}|${k.validDate ?? ''}` },
    ),
    onlineServices: online.loader,
    onlineServicesNow: online.now,
    leikaCarried: (leikaKey) => client.leikaCatalogue.carries(leikaKey, call),
  };
}

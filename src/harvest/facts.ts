import DataLoader from 'dataloader';
import type { MunicipalityDirectory } from '../reference/municipalities';
import { MunicipalityService } from '../services/municipalities';
import { OnlineServicesService } from '../services/online-services';
import { PortalService } from '../services/portal';
import type { PvogClient } from '../upstreams/pvog/client';
import type { PvogLoaders } from '../upstreams/pvog/loaders';
import type { OnlineServiceDto, ServiceSummary } from '../upstreams/pvog/mapper';
import type { ThavelClient } from '../upstreams/thavel/client';
import type { ThavelLoaders } from '../upstreams/thavel/loaders';
import type { CatalogueEntry } from '../upstreams/thavel/mapper';
import type { ProvenanceInfo } from '../upstreams/runtime/source';
import type { SnapshotAggregates } from '../persistence/entities';
import type { FactInput } from './store';

/**
 * Availability facts from a snapshot's PVOG and ThAVEL items, by the *live* rule: the same
 * `OnlineServicesService.digitalOffer` the `Municipality.digitalOffer` field runs, fed with loaders that
 * answer from the snapshot instead of the upstreams. So "online" in a snapshot means exactly what
 * `digitalOffer.onlineLeikaKeys` says live for the same upstream data.
 */

export interface SnapshotPortalData {
  servicesByArs: Map<string, ServiceSummary[]>;
  onlineByArs: Map<string, OnlineServiceDto[]>;
  catalogue: CatalogueEntry[];
  pvogAt: Date;
  thavelAt: Date;
}

const notInSnapshot = (what: string) => () => Promise.reject(new Error(`${what} is not part of a harvest snapshot`));

function snapshotPvogLoaders(client: PvogClient, data: SnapshotPortalData): PvogLoaders {
  const provenance: ProvenanceInfo = { source: 'pvog', fetchedAt: data.pvogAt, stale: false };
  const refuse = <K, V>(what: string) => new DataLoader<K, V, string>(notInSnapshot(what), { cacheKeyFn: (k) => JSON.stringify(k) });
  return {
    client,
    servicesByArs: new DataLoader(async (keys) => keys.map((k) => {
      const items = data.servicesByArs.get(k.ars) ?? [];
      return { value: { items, totalElements: items.length, complete: true }, provenance };
    }), {
      cacheKeyFn: (k) => `${k.ars}|${k.validDate ?? ''}|${k.q ?? ''}`,
    }),
    onlineServices: new DataLoader(async (keys) => keys.map((ars) => ({ value: data.onlineByArs.get(ars) ?? [], provenance })), { cacheKeyFn: (k) => k }),
    // Facts read through `services` and `at`, which wait anyway.
    servicesByArsNow: () => undefined,
    onlineServicesNow: () => undefined,
    serviceByLeika: refuse('serviceByLeika'),
    serviceDetail: refuse('serviceDetail'),
    unitTitles: refuse('unitTitles'),
    unitDetail: refuse('unitDetail'),
    // The snapshot cannot tell whether a key exists anywhere; undefined keeps the answer empty rather than NOT_FOUND.
    leikaCarried: async () => undefined,
  };
}

function snapshotThavelLoaders(client: ThavelClient, data: SnapshotPortalData): ThavelLoaders {
  const value = { entries: data.catalogue, deletedIds: [], warnings: [] };
  return { client, catalogue: async () => ({ value, provenance: { source: 'thavel', fetchedAt: data.thavelAt, stale: false } }), catalogueNow: () => undefined };
}

/** One fact per (municipality, Leistung) PVOG lists there: online when `digitalOffer.onlineLeikaKeys` has its key. */
export async function computeFacts(
  directory: MunicipalityDirectory,
  clients: { pvog: PvogClient; thavel: ThavelClient },
  data: SnapshotPortalData,
): Promise<FactInput[]> {
  const pvog = snapshotPvogLoaders(clients.pvog, data);
  const portal = new PortalService(new MunicipalityService(directory), pvog);
  const online = new OnlineServicesService(portal, pvog, snapshotThavelLoaders(clients.thavel, data));
  const out: FactInput[] = [];
  for (const m of directory.all) {
    const [offer, services] = await Promise.all([online.digitalOffer(m.ars), portal.services(m.ars, {})]);
    const keys = new Set(offer.onlineLeikaKeys);
    for (const s of services) {
      out.push({ ars: m.ars, serviceId: s.id, leikaKey: s.leikaKey, serviceName: s.name, online: s.leikaKey !== null && keys.has(s.leikaKey) });
    }
  }
  return out;
}

/** What history keeps of a snapshot once its rows are pruned: per LeiKa key, its name and where it is online. */
export function aggregatesOf(facts: readonly FactInput[]): SnapshotAggregates {
  const out: SnapshotAggregates = {};
  for (const f of facts) {
    if (!f.leikaKey) continue;
    const a = (out[f.leikaKey] ??= { name: f.serviceName, onlineArs: [] });
    if (f.online && !a.onlineArs.includes(f.ars)) a.onlineArs.push(f.ars);
  }
  for (const a of Object.values(out)) a.onlineArs.sort();
  return out;
}

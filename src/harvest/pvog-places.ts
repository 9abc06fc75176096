import type { PvogClient } from '../upstreams/pvog/client';
import type { ServiceDetail, ServiceSummary, UnitTitle } from '../upstreams/pvog/mapper';
import type { CallContext } from '../upstreams/runtime/source';
import { eachLimited } from '../util/each-limited';
import { itemKey, type PvogItem } from './items';
import type { ItemInput } from './store';

/**
 * The per-Leistung part of a PVOG municipality unit (issue 11 item 1, "per municipality the PVOG services and
 * responsibilities"): for every Leistung PVOG lists at the place, the Organisationseinheiten the titles endpoint
 * names (`/v2/organisationunits/titles?ars&lbId`) and the description at the place (`/v6/…/{lbId}/detail?ars`), asked
 * exactly as the live loaders ask them (src/upstreams/pvog/loaders.ts), so the snapshot can stand in for them.
 *
 * Request volume: one titles request per (place, Leistung) — the Suchdienst has no list form for it — and one detail
 * request per (place, Leistung) unless the snapshot already holds a description with the `lastUpdate` the listing
 * shows for it now (docs/upstreams/portal-pvog.md §2, "Incremental sync": objects carry `lastUpdate`). `--full` asks
 * every description again. The detail's `organisations` list is not read by any consumer (the titles item is the
 * source of responsibilities), so a description kept by its `lastUpdate` cannot serve a stale responsibility.
 */

/** (Leistung) pairs asked at once within one municipality unit; the unit concurrency multiplies it, the client's rate limit bounds it. */
const PAIRS_IN_FLIGHT = 2;

export interface PlaceDetailsOptions {
  /** Descriptions the snapshot holds at the place (by lbId), reused while their `lastUpdate` is unchanged. */
  stored: ReadonlyMap<string, ServiceDetail>;
  /** Ask every description again (`--full`). */
  full: boolean;
  /** A fresh deadline per request: a unit of many requests under PVOG_MAX_RPS must not share one. */
  call: () => CallContext;
}

/** Items `responsibility:<ars>:<lbId>` and `detail:<ars>:<lbId>` for the services listed at `ars`. */
export async function responsibilityItems(client: PvogClient, ars: string, services: readonly ServiceSummary[], o: PlaceDetailsOptions): Promise<ItemInput[]> {
  const out: ItemInput[] = [];
  await eachLimited(services, PAIRS_IN_FLIGHT, async (s) => {
    const kept = o.stored.get(s.id);
    const reuse = !o.full && kept !== undefined && s.lastUpdate !== null && kept.lastUpdate === s.lastUpdate;
    const [titles, detail] = await Promise.all([
      client.unitTitles(ars, s.id, o.call()).then((r) => r.value),
      reuse ? kept : client.serviceDetail(s.id, ars, {}, o.call()).then((r) => r.value),
    ]);
    out.push({ key: itemKey.responsibility(ars, s.id), payload: { kind: 'responsibility', ars, lbId: s.id, units: titles } satisfies PvogItem });
    // No description at the place (404): nothing stored, so a fallback does not invent one.
    if (detail) out.push({ key: itemKey.detail(ars, s.id), payload: { kind: 'detail', ars, lbId: s.id, detail } satisfies PvogItem });
  });
  return out;
}

/** Distinct Organisationseinheit ids named in responsibility items, sorted (each is fetched once per harvest). */
export function unitIdsOf(items: readonly { payload: PvogItem }[]): string[] {
  const ids = new Set<string>();
  for (const { payload } of items) if (payload.kind === 'responsibility') for (const u of payload.units as UnitTitle[]) ids.add(u.id);
  return [...ids].sort();
}

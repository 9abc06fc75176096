import DataLoader from 'dataloader';
import { asError, chunk } from '../runtime/batch';
import { mergeProvenance } from '../runtime/source';
import type { CallContext, Provenanced, ProvenanceInfo } from '../runtime/source';
import type { GeomisClient } from './client';
import type { IsoRecord } from '../../formats/iso19139/iso19139';

/**
 * Per-request DataLoaders over the CSW: records asked for in one tick are fetched with one
 * GetRecordById (several ids), and coupling look-ups (services operating on datasets, records by
 * resource identifier) are merged into one GetRecords with an Or filter.
 */

export interface DatasetRef {
  fileIdentifier: string;
  /** Resource identifiers: operatesOn@uuidref may name these instead of the fileIdentifier. */
  resourceIdentifiers: string[];
}

export interface GeomisLoaders {
  client: GeomisClient;
  recordById: DataLoader<string, Provenanced<IsoRecord | null>, string>;
  /** Records whose fileIdentifier or resource identifier equals the key (first match). */
  recordByIdentifier: DataLoader<string, Provenanced<IsoRecord | null>, string>;
  /** Service records whose operatesOn names the dataset (by fileIdentifier or resource identifier). */
  servicesOperatingOn: DataLoader<DatasetRef, Provenanced<IsoRecord[]>, string>;
}

/** Keeps one Or filter at a size every CSW accepts. */
const IDS_PER_QUERY = 25;

export function createGeomisLoaders(client: GeomisClient, call: CallContext): GeomisLoaders {
  return {
    client,
    recordById: new DataLoader(async (ids) => {
      try {
        const res = await client.getRecordsById(ids, call);
        const byId = new Map(res.value.map((r) => [r.fileIdentifier, r]));
        return ids.map((id) => ({ value: byId.get(id.trim()) ?? null, provenance: res.provenance }));
      } catch (e) {
        return ids.map(() => asError(e));
      }
    }),
    recordByIdentifier: new DataLoader(async (ids) => {
      const results = new Map<string, Provenanced<IsoRecord | null> | Error>();
      await Promise.all(
        chunk([...new Set(ids.map((i) => i.trim()))], IDS_PER_QUERY).map(async (part) => {
          try {
            const res = await client.findByIdentifiers(part, call);
            for (const id of part) {
              const hit = res.value.find((r) => r.fileIdentifier === id) ?? res.value.find((r) => r.resourceIdentifiers.some((ri) => ri.code === id)) ?? null;
              results.set(id, { value: hit, provenance: res.provenance });
            }
          } catch (e) {
            for (const id of part) results.set(id, asError(e));
          }
        }),
      );
      return ids.map((id) => results.get(id.trim())!);
    }),
    servicesOperatingOn: new DataLoader(
      async (refs) => {
        const all = [...new Set(refs.flatMap((r) => [r.fileIdentifier, ...r.resourceIdentifiers]))];
        const found: IsoRecord[] = [];
        const parts: ProvenanceInfo[] = [];
        try {
          for (const part of chunk(all, IDS_PER_QUERY)) {
            const res = await client.servicesOperatingOn(part, call);
            found.push(...res.value);
            parts.push(res.provenance);
          }
        } catch (e) {
          return refs.map(() => asError(e));
        }
        return refs.map((ref) => {
          const ids = new Set([ref.fileIdentifier, ...ref.resourceIdentifiers]);
          const seen = new Set<string>();
          const value = found.filter(
            (s) => !seen.has(s.fileIdentifier) && (seen.add(s.fileIdentifier), s.service?.operatesOn.some((o) => operatesOnIds(o).some((id) => ids.has(id)))),
          );
          return { value, provenance: mergeProvenance(parts) };
        });
      },
      { cacheKeyFn: (r) => r.fileIdentifier },
    ),
  };
}

/**
 * The identifiers an operatesOn entry can name: its uuidref (a fileIdentifier in GeoNetwork practice,
 * or a resource identifier) and the `id` parameter of a CSW GetRecordById href. Never fetched.
 */
export function operatesOnIds(o: { uuidref: string | null; href: string | null }): string[] {
  const ids: string[] = [];
  if (o.uuidref) ids.push(o.uuidref.trim());
  const fromHref = o.href ? recordIdFromUrl(o.href) : null;
  if (fromHref && !ids.includes(fromHref)) ids.push(fromHref);
  return ids;
}

/** The record id in a CSW GetRecordById URL (`id`/`ID` parameter) or a GeoNetwork `/api/records/{uuid}` URL. */
export function recordIdFromUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  const params = new Map([...u.searchParams].map(([k, v]) => [k.toLowerCase(), v]));
  if ((params.get('request') ?? '').toLowerCase() === 'getrecordbyid' && params.get('id')) return params.get('id')!.split(',')[0].trim();
  const m = /\/api\/records\/([^/?#]+)/.exec(u.pathname);
  if (m) return decodeURIComponent(m[1]);
  if (params.get('uuid')) return params.get('uuid')!.trim();
  return null;
}

import DataLoader from 'dataloader';
import { asError, chunk } from '../runtime/batch';
import { allValid, fromSnapshot, shape, type SnapshotSlice } from '../runtime/fallback';
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

/** Item keys of records in a harvest snapshot (src/harvest/items.ts). */
const SNAPSHOT_PREFIX = 'record:';

const isArrays = (p: Record<string, unknown>, keys: string[]) => keys.every((k) => shape.arr(p[k]));
/** The shape the ISO 19139 reader gives a record (the fields the schema reads); anything else in the snapshot is not served. */
function record(p: unknown): IsoRecord | undefined {
  if (!shape.obj(p) || !shape.str(p.fileIdentifier) || !shape.strOrNull(p.type) || !shape.strOrNull(p.title) || typeof p.opendata !== 'boolean') return undefined;
  const arrays = ['alternateTitles', 'dates', 'metadataContacts', 'pointsOfContact', 'keywordGroups', 'inspireThemes', 'topicCategories', 'accessConstraints', 'useConstraints', 'otherConstraints', 'useLimitations', 'securityConstraints', 'distributors', 'crs', 'onlineResources', 'distributionFormats', 'conformity', 'browseGraphics'];
  if (!isArrays(p, arrays) || !shape.arr(p.resourceIdentifiers) || !p.resourceIdentifiers.every((r) => shape.obj(r) && shape.str(r.code))) return undefined;
  if (p.service !== null && !(shape.obj(p.service) && shape.arr(p.service.operatesOn) && shape.arr(p.service.operations))) return undefined;
  return p as unknown as IsoRecord;
}

/** Every record of the snapshot, validated; undefined when it holds none (GeoMIS never harvested) or one is malformed. */
function snapshotRecords([s]: SnapshotSlice[]): IsoRecord[] | undefined {
  return s.items.length ? allValid(s.items, record) : undefined;
}

/**
 * The snapshot's answer per key when GeoMIS is down: a full harvest holds the whole catalogue, so an id it lacks
 * was not in GeoMIS at harvest time (null, as a live lookup would say).
 */
async function recordsFromSnapshot(
  call: CallContext,
  e: unknown,
  ids: readonly string[],
  find: (all: IsoRecord[], id: string) => IsoRecord | undefined,
): Promise<(Provenanced<IsoRecord | null> | Error)[]> {
  const backed = await fromSnapshot(call, 'geomis', e, [SNAPSHOT_PREFIX], (slices) => {
    const all = snapshotRecords(slices);
    return all && ids.map((id) => find(all, id.trim()) ?? null);
  });
  return ids.map((_id, i) => (backed ? { value: backed.value[i], provenance: backed.provenance } : asError(e)));
}

const byIdentifier = (all: IsoRecord[], id: string) => all.find((r) => r.fileIdentifier === id) ?? all.find((r) => r.resourceIdentifiers.some((ri) => ri.code === id));

export function createGeomisLoaders(client: GeomisClient, call: CallContext): GeomisLoaders {
  return {
    client,
    recordById: new DataLoader(async (ids) => {
      try {
        const res = await client.getRecordsById(ids, call);
        const byId = new Map(res.value.map((r) => [r.fileIdentifier, r]));
        return ids.map((id) => ({ value: byId.get(id.trim()) ?? null, provenance: res.provenance }));
      } catch (e) {
        return recordsFromSnapshot(call, e, ids, (all, id) => all.find((r) => r.fileIdentifier === id));
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
            const backed = await recordsFromSnapshot(call, e, part, byIdentifier);
            part.forEach((id, i) => results.set(id, backed[i]));
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
          // A search over the whole snapshot: its answer (possibly empty) is complete for the snapshot's time.
          const backed = await fromSnapshot(call, 'geomis', e, [SNAPSHOT_PREFIX], snapshotRecords);
          if (!backed) return refs.map(() => asError(e));
          found.length = 0;
          found.push(...backed.value.filter((r) => r.service !== null));
          parts.length = 0;
          parts.push(backed.provenance);
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

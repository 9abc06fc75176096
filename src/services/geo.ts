import { BadInputError, NotFoundError } from '../schema/errors';
import { decodeCursor, encodeCursor } from '../schema/pagination';
import type { Connection } from '../schema/types/connection';
import type { GeoBoundingBoxInput, GeoCatalogue, GeoRecord, GeoRecordSearch, GeoRecordType, GeoWebService, OgcLayer, OgcServiceKind } from '../schema/types/geo';
import type { Municipality } from '../schema/types/municipality';
import { nextStart, type CswQuery } from '../upstreams/geomis/csw';
import type { IsoRecord } from '../formats/iso19139/iso19139';
import { operatesOnIds, recordIdFromUrl, type GeomisLoaders } from '../upstreams/geomis/loaders';
import type { OgcCapabilities } from '../upstreams/geoproxy/capabilities';
import type { GeoproxyLoaders } from '../upstreams/geoproxy/loaders';
import type { CallContext, ProvenanceInfo } from '../upstreams/runtime/source';

/**
 * Geo metadata over GeoMIS (CSW) and Geoproxy (OGC capabilities), and the coupling between them:
 * service records ↔ dataset records (operatesOn) and OGC layers ↔ dataset records (MetadataURL).
 * Identifiers found in documents are only ever used as CSW query values, never fetched as URLs.
 */

export const GEO_MAX_PAGE = 100;
const DEFAULT_PAGE = 20;

export function toGeoRecord(r: IsoRecord, provenance: ProvenanceInfo): GeoRecord {
  return {
    id: r.fileIdentifier,
    type: r.type,
    hierarchyLevelName: r.hierarchyLevelName,
    parentIdentifier: r.parentIdentifier,
    language: r.language,
    dateStamp: r.dateStamp,
    title: r.title,
    alternateTitles: r.alternateTitles,
    abstract: r.abstract,
    dates: r.dates,
    resourceIdentifiers: r.resourceIdentifiers,
    metadataContacts: r.metadataContacts,
    pointsOfContact: r.pointsOfContact,
    keywordGroups: r.keywordGroups,
    inspireThemes: r.inspireThemes,
    opendata: r.opendata,
    topicCategories: r.topicCategories,
    bbox: r.bbox,
    temporalExtent: r.temporalExtent,
    accessConstraints: r.accessConstraints,
    useConstraints: r.useConstraints,
    otherConstraints: r.otherConstraints,
    licence: r.licence,
    useLimitations: r.useLimitations,
    securityConstraints: r.securityConstraints,
    distributors: r.distributors,
    crs: r.crs,
    scaleDenominator: r.spatialResolution?.denominator ?? null,
    service: r.service,
    onlineResources: r.onlineResources,
    distributionFormats: r.distributionFormats,
    conformity: r.conformity,
    lineage: r.lineage,
    browseGraphics: r.browseGraphics,
    provenance,
  };
}

/** The service description every OGC capabilities document carries (CSW, WMS, WFS alike). */
const serviceDescription = <C extends Pick<GeoCatalogue, 'title' | 'abstract' | 'keywords' | 'fees' | 'accessConstraints' | 'provider'>>(c: C) => ({
  title: c.title,
  abstract: c.abstract,
  keywords: c.keywords,
  fees: c.fees,
  accessConstraints: c.accessConstraints,
  provider: c.provider,
});

function toWebService(name: string, c: OgcCapabilities, provenance: ProvenanceInfo): GeoWebService {
  return {
    name,
    kind: c.kind as OgcServiceKind,
    version: c.version,
    ...serviceDescription(c),
    operations: c.operations,
    outputFormats: c.outputFormats,
    inspireMetadataUrl: c.inspire?.metadataUrl ?? null,
    languages: c.inspire?.languages ?? [],
    layers: c.layers.map((l) => ({ ...l, serviceName: name, provenance })),
    provenance,
  };
}

// ------------------------------------------------------------------ input validation

export function validateBbox(b: GeoBoundingBoxInput, argument: string): GeoBoundingBoxInput {
  const ok =
    [b.west, b.east, b.south, b.north].every(Number.isFinite) &&
    b.west >= -180 && b.east <= 180 && b.south >= -90 && b.north <= 90 && b.west <= b.east && b.south <= b.north;
  if (!ok) throw new BadInputError(argument, 'a WGS84 box with −180 ≤ west ≤ east ≤ 180 and −90 ≤ south ≤ north ≤ 90', b);
  return b;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function toCswQuery(s: GeoRecordSearch | null | undefined): CswQuery {
  if (!s) return {};
  const q: CswQuery = {};
  const text = (v: string | undefined, arg: string) => {
    if (v === undefined || v === null) return undefined;
    const t = v.trim();
    if (t === '' || t.length > 200) throw new BadInputError(arg, 'a non-empty text of at most 200 characters', v);
    return t;
  };
  q.anyText = text(s.text, 'search.text');
  q.title = text(s.title, 'search.title');
  q.serviceType = text(s.serviceType, 'search.serviceType');
  q.organisationName = text(s.organisationName, 'search.organisationName');
  if (s.keywords?.length) q.keywords = s.keywords.map((k, i) => text(k, `search.keywords[${i}]`)!);
  if (s.types?.length) q.types = [...new Set(s.types as GeoRecordType[])] as CswQuery['types'];
  if (s.bbox) q.bbox = validateBbox(s.bbox, 'search.bbox');
  if (s.modifiedSince !== undefined && s.modifiedSince !== null) {
    if (!DAY.test(s.modifiedSince)) throw new BadInputError('search.modifiedSince', 'a day in the form yyyy-MM-dd, e.g. "2026-01-31"', s.modifiedSince);
    q.modifiedSince = s.modifiedSince;
  }
  for (const k of Object.keys(q) as (keyof CswQuery)[]) if (q[k] === undefined) delete q[k];
  return q;
}

function geoPageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > GEO_MAX_PAGE) throw new BadInputError('first', `an integer from 0 to ${GEO_MAX_PAGE}`, first);
  return first;
}

const POSITION = /^csw:(\d{1,9})$/;

/**
 * Municipality extent: the reference list has centre and area only, so the extent is the square
 * of the area around the centre (the same approximation the sandbox world uses).
 */
export function municipalityExtent(m: Pick<Municipality, 'location' | 'areaKm2'>): GeoBoundingBoxInput {
  const KM_PER_DEG_LAT = 111.32;
  const half = Math.sqrt(Math.max(m.areaKm2, 0.5)) / 2;
  const dLat = half / KM_PER_DEG_LAT;
  const dLon = half / (KM_PER_DEG_LAT * Math.cos((m.location.lat * Math.PI) / 180));
  const r = (x: number) => Math.round(x * 1e6) / 1e6;
  return { west: r(m.location.lon - dLon), east: r(m.location.lon + dLon), south: r(m.location.lat - dLat), north: r(m.location.lat + dLat) };
}

/** "Erfurt, Stadt" → "Erfurt": the form records use as a place keyword. */
export const placeKeyword = (official: string): string => official.replace(/, (Stadt|Gemeinde)$/, '');

// ------------------------------------------------------------------ service

export class GeoService {
  constructor(
    private readonly geomis: GeomisLoaders,
    private readonly geoproxy: GeoproxyLoaders,
    private readonly call: CallContext,
  ) {}

  async search(query: CswQuery, args: { first?: number | null; after?: string | null }): Promise<Connection<GeoRecord>> {
    const size = geoPageSize(args.first);
    let start = 1;
    if (args.after) {
      const m = POSITION.exec(decodeCursor(args.after));
      if (!m) throw new BadInputError('after', 'a cursor returned in pageInfo.endCursor or edges.cursor of an earlier geoRecords page', args.after);
      start = Number(m[1]) + 1;
    }
    // maxRecords=0 would be a hits-only request on some servers; ask for one and show none.
    const page = await this.geomis.client.getRecords(query, { startPosition: start, maxRecords: Math.max(size, 1) }, this.call);
    const records = page.value.records.slice(0, size);
    const edges = records.map((r, i) => ({ cursor: encodeCursor(`csw:${start + i}`), node: toGeoRecord(r, page.provenance) }));
    const next = nextStart(page.value, start);
    // first: 0 consumes nothing: the cursor to go on from is the position before this page.
    const endCursor = edges.at(-1)?.cursor ?? (size === 0 ? encodeCursor(`csw:${start - 1}`) : null);
    const more = size === 0 ? page.value.matched >= start : next !== null || records.length < page.value.records.length;
    return {
      edges,
      totalCount: page.value.matched,
      pageInfo: {
        // A next page is only announced with a cursor that leads there (never null).
        hasNextPage: more && endCursor !== null,
        hasPreviousPage: start > 1,
        startCursor: edges[0]?.cursor ?? null,
        endCursor,
      },
    };
  }

  /** The catalogue service itself, from its (cached) capabilities. */
  async catalogue(): Promise<GeoCatalogue> {
    const caps = await this.geomis.client.capabilities(this.call);
    const c = caps.value;
    return {
      version: c.version,
      ...serviceDescription(c),
      maxRecordDefault: c.maxRecordDefault,
      outputSchemas: c.getRecordsOutputSchemas,
      queryables: c.queryables,
      inspire: c.inspire,
      provenance: caps.provenance,
    };
  }

  async record(id: string): Promise<GeoRecord> {
    const trimmed = id.trim();
    if (trimmed === '' || trimmed.length > 200) throw new BadInputError('id', 'a fileIdentifier (non-empty, at most 200 characters)', id);
    const res = await this.geomis.recordById.load(trimmed);
    if (!res.value) throw new NotFoundError('GeoMIS record', 'id', trimmed);
    return toGeoRecord(res.value, res.provenance);
  }

  /** For a dataset/series: the service records that name it in operatesOn. */
  async servicesOf(r: GeoRecord): Promise<GeoRecord[]> {
    if (r.type === 'service') return [];
    const res = await this.geomis.servicesOperatingOn.load({ fileIdentifier: r.id, resourceIdentifiers: r.resourceIdentifiers.map((i) => i.code) });
    return res.value.map((s) => toGeoRecord(s, res.provenance));
  }

  /** For a service: the dataset records its operatesOn entries resolve to (uuidref as fileIdentifier, then as resource identifier). */
  async datasetsOf(r: GeoRecord): Promise<GeoRecord[]> {
    const out = new Map<string, GeoRecord>();
    await Promise.all(
      (r.service?.operatesOn ?? []).map(async (o) => {
        const hit = await this.resolveAny(operatesOnIds(o));
        if (hit) out.set(hit.id, hit);
      }),
    );
    const order = (r.service?.operatesOn ?? []).flatMap(operatesOnIds);
    return [...out.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  }

  /** OGC layers of the configured services whose MetadataURL points to this record (partial when some services fail). */
  async layersOf(r: GeoRecord): Promise<OgcLayer[]> {
    const ids = new Set([r.id, ...r.resourceIdentifiers.map((i) => i.code)]);
    const results = await this.geoproxy.capabilities.loadMany(this.geoproxy.client.services.map((s) => s.name));
    const errors = results.filter((x): x is Error => x instanceof Error);
    if (errors.length === results.length && errors.length > 0) throw errors[0];
    const out: OgcLayer[] = [];
    results.forEach((res, i) => {
      if (res instanceof Error) return;
      const ws = toWebService(this.geoproxy.client.services[i].name, res.value, res.provenance);
      for (const l of ws.layers) if (l.metadataUrls.some((m) => ids.has(recordIdFromUrl(m.url) ?? m.url.trim()))) out.push(l);
    });
    return out;
  }

  async webServices(names: string[] | null | undefined): Promise<(GeoWebService | Error)[]> {
    const configured = this.geoproxy.client.services.map((s) => s.name);
    const wanted = names ?? configured;
    for (const [i, n] of wanted.entries()) {
      if (!configured.includes(n)) throw new BadInputError(`names[${i}]`, `the name of a configured Geoproxy service (${configured.join(', ')})`, n);
    }
    const results = await this.geoproxy.capabilities.loadMany(wanted);
    return results.map((res, i) => (res instanceof Error ? res : toWebService(wanted[i], res.value, res.provenance)));
  }

  async webService(name: string): Promise<GeoWebService> {
    const [r] = await this.webServices([name]).catch((e) => {
      if (e instanceof BadInputError) throw new BadInputError('name', `the name of a configured Geoproxy service (${this.geoproxy.client.services.map((s) => s.name).join(', ')})`, name);
      throw e;
    });
    if (r instanceof Error) throw r;
    return r;
  }

  /** The dataset record a layer's MetadataURL names (XML forms first). */
  async layerMetadata(l: OgcLayer): Promise<GeoRecord | null> {
    const ordered = [...l.metadataUrls].sort((a, b) => Number(b.format?.includes('xml') ?? false) - Number(a.format?.includes('xml') ?? false));
    for (const m of ordered) {
      const id = recordIdFromUrl(m.url);
      const hit = await this.resolveAny(id ? [id] : [m.url.trim()]);
      if (hit) return hit;
    }
    return null;
  }

  /** The service record named by the INSPIRE ExtendedCapabilities MetadataUrl. */
  async serviceMetadata(ws: GeoWebService): Promise<GeoRecord | null> {
    const id = ws.inspireMetadataUrl ? recordIdFromUrl(ws.inspireMetadataUrl) : null;
    return id ? this.resolveAny([id]) : null;
  }

  async municipalityRecords(m: Municipality, types: GeoRecordType[] | null | undefined, args: { first?: number | null; after?: string | null }) {
    const query: CswQuery = { anyOf: [{ bbox: municipalityExtent(m) }, { keywords: [placeKeyword(m.name)] }] };
    if (types?.length) query.types = [...new Set(types)] as CswQuery['types'];
    return this.search(query, args);
  }

  private async resolveAny(ids: string[]): Promise<GeoRecord | null> {
    for (const id of ids) {
      const byFile = await this.geomis.recordById.load(id);
      if (byFile.value) return toGeoRecord(byFile.value, byFile.provenance);
    }
    for (const id of ids) {
      const byIdent = await this.geomis.recordByIdentifier.load(id);
      if (byIdent.value) return toGeoRecord(byIdent.value, byIdent.provenance);
    }
    return null;
  }
}

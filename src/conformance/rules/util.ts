import type { IsoRecord } from '../../formats/iso19139/iso19139';
import type { CapLayer } from '../../upstreams/geoproxy/capabilities';
import type { ConformanceInput, GeoproxyServiceInput } from '../input';
import type { InputIndex } from '../indexes';

export const isoDay = (s: string) => s.slice(0, 10);

/** Case-insensitive KVP value of a URL (`ID`, `id`, `Id` …). */
export function kvp(url: string, key: string): string | null {
  try {
    for (const [k, v] of new URL(url).searchParams) if (k.toUpperCase() === key.toUpperCase()) return v;
  } catch {
    /* not a URL */
  }
  return null;
}

/** The record a GetRecordById URL or a resource identifier URI points to (GDI-DE Daten-Dienste-Kopplung). */
export function recordOfReference(ix: InputIndex, ref: { href?: string | null; uuidref?: string | null }): IsoRecord | null {
  const byHref = ref.href && kvp(ref.href, 'REQUEST')?.toLowerCase() === 'getrecordbyid' ? kvp(ref.href, 'ID') : null;
  for (const id of [ref.uuidref, byHref]) {
    if (!id) continue;
    const r = ix.recordById.get(id) ?? ix.recordsByResourceId.get(id)?.[0];
    if (r) return r;
  }
  if (ref.href && !byHref) return ix.recordsByResourceId.get(ref.href)?.[0] ?? null;
  return null;
}

export const isDataRecord = (r: IsoRecord | null | undefined) => !!r && (r.type === 'dataset' || r.type === 'series');

/** Endpoint URL normalised for comparison (XG3): scheme, host and path, lower-cased, no query. */
export function endpointKey(url: string, input: ConformanceInput): string | null {
  const mapped = applyAliases(url, input);
  try {
    const u = new URL(mapped);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`.toLowerCase();
  } catch {
    return null;
  }
}

export function applyAliases(url: string, input: ConformanceInput): string {
  for (const a of input.urlAliases) if (url === a.from || url.startsWith(`${a.from}/`) || url.startsWith(`${a.from}?`)) return a.to.replace(/\/$/, '') + url.slice(a.from.length);
  return url;
}

/** Named layers / feature types of a service's capabilities. */
export const namedLayers = (s: GeoproxyServiceInput): CapLayer[] => (s.capabilities?.layers ?? []).filter((l) => l.name);

/** The GeoMIS service record describing a Geoproxy endpoint: the one whose transfer options or operations name it. */
export function serviceRecordOf(s: GeoproxyServiceInput, input: ConformanceInput): IsoRecord | null {
  const key = endpointKey(s.url, input);
  for (const r of input.geomis?.records ?? []) {
    if (r.type !== 'service') continue;
    const urls = [...r.onlineResources.map((o) => o.url), ...(r.service?.operations.flatMap((o) => o.urls) ?? [])];
    if (urls.some((u) => endpointKey(u, input) === key)) return r;
  }
  return null;
}

/** Datasets a layer's MetadataURLs couple it to (those that resolve to a dataset/series record). */
export function datasetsOfLayer(ix: InputIndex, l: CapLayer): IsoRecord[] {
  return l.metadataUrls.map((m) => recordOfReference(ix, { href: m.url })).filter((r): r is IsoRecord => isDataRecord(r));
}

/** Valid ISO 8601 calendar date (optionally with a time): `2026-13-45` is not. */
export function isIsoDateTime(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s.trim());
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > days) return false;
  if (m[4] && (Number(m[5]) > 23 || Number(m[6]) > 59 || (m[8] !== undefined && Number(m[8]) > 59))) return false;
  return true;
}

/**
 * The GeoMIS service record of a Geoproxy endpoint for the coupling rules XG3/XG7: the record its INSPIRE
 * ExtendedCapabilities MetadataUrl names when that is a service record (the GDI-DE coupling chain, XG2), else the one
 * whose transfer options or operations name the endpoint.
 */
export function coupledServiceRecord(s: GeoproxyServiceInput, input: ConformanceInput, ix: InputIndex): IsoRecord | null {
  const url = s.capabilities?.inspire?.metadataUrl;
  const viaCaps = url ? recordOfReference(ix, { href: url }) : null;
  if (viaCaps?.type === 'service' && viaCaps.service) return viaCaps;
  return serviceRecordOf(s, input);
}

/** `REQUEST=GetCapabilities` (KVP keys and value case-insensitive). */
export const isGetCapabilitiesUrl = (url: string) => kvp(url, 'REQUEST')?.toLowerCase() === 'getcapabilities';

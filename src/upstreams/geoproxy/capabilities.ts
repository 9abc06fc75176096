import type { XmlElement } from '../runtime/xml';
import { readOwsServiceProvider, readWmsContact, type OgcServiceProvider } from '../../formats/ogc/ows';
import { findInspireExtendedCapabilities, readInspireExtendedCapabilities, type InspireExtendedCapabilities } from '../../formats/ogc/inspire';

/**
 * OGC capabilities → plain JSON (docs/upstreams/geoproxy-ogc.md §2): WMS 1.3.0 / 1.1.1 and WFS 2.0.0 / 1.1.0.
 * The parser follows the version the document reports (a server may answer another version than
 * asked, §3). Layers and feature types are discovered here, never configured. Bounding boxes are
 * normalised to WGS84 lon/lat, CRS codes to `EPSG:n` (plus `CRS:84`).
 */

export const WMS_NS = 'http://www.opengis.net/wms';
export const WFS2_NS = 'http://www.opengis.net/wfs/2.0';
export const WFS1_NS = 'http://www.opengis.net/wfs';
const XLINK = 'http://www.w3.org/1999/xlink';

export type OgcKind = 'WMS' | 'WFS';

export interface LonLatBBox {
  west: number;
  east: number;
  south: number;
  north: number;
}

export interface CrsBBox {
  crs: string;
  minx: number;
  miny: number;
  maxx: number;
  maxy: number;
}

/** WMS Dimension (time, elevation, …) with its extent values (WMS 1.3.0 §C; 1.1.1 Dimension + Extent). */
export interface CapDimension {
  name: string;
  units: string | null;
  unitSymbol: string | null;
  default: string | null;
  /** Extent as written: a list and/or min/max/resolution intervals, e.g. `2020-01-01/2024-12-31/P1D`. */
  values: string | null;
  multipleValues: boolean;
  nearestValue: boolean;
  current: boolean;
}

export interface CapMetadataUrl {
  type: string | null;
  format: string | null;
  url: string;
}

export interface CapLayer {
  /** WMS layer name or WFS feature type QName as written (`prefix:Local`). */
  name: string;
  title: string | null;
  abstract: string | null;
  keywords: string[];
  queryable: boolean;
  /** Own plus inherited CRS (WMS), DefaultCRS first then OtherCRS (WFS); `EPSG:n` form. */
  crs: string[];
  /**
   * WGS84 extent: the layer's own EX_GeographicBoundingBox (1.1.1 LatLonBoundingBox), else its own
   * CRS:84/EPSG:4326 BoundingBox (axis order per version), else the inherited extent.
   */
  bbox: LonLatBBox | null;
  boundingBoxes: CrsBBox[];
  /** Own and inherited dimensions (a child's dimension replaces the parent's of the same name); WFS: none. */
  dimensions: CapDimension[];
  styles: { name: string; title: string | null; legendUrl: string | null }[];
  metadataUrls: CapMetadataUrl[];
  /** WMS Identifier (+ AuthorityURL of its authority); WFS: none (see INSPIRE dataset identifiers). */
  identifiers: { authority: string | null; authorityUrl: string | null; code: string }[];
  /** Name of the parent layer (WMS tree), null at the top. */
  parent: string | null;
}

export interface CapOperation {
  name: string;
  getUrl: string | null;
  postUrl: string | null;
  formats: string[];
}

export interface OgcCapabilities {
  kind: OgcKind;
  version: string;
  title: string | null;
  abstract: string | null;
  keywords: string[];
  fees: string | null;
  accessConstraints: string | null;
  /** WMS ContactInformation / WFS ows:ServiceProvider. */
  provider: OgcServiceProvider | null;
  operations: CapOperation[];
  /** WMS GetMap formats; WFS GetFeature outputFormat values. */
  outputFormats: string[];
  inspire: InspireExtendedCapabilities | null;
  layers: CapLayer[];
}

export class CapabilitiesFormatError extends Error {}

const num = (s: string | undefined | null): number | null => {
  if (s === undefined || s === null || s.trim() === '') return null;
  const n = Number(s.trim());
  return Number.isFinite(n) ? n : null;
};

/** `urn:ogc:def:crs:EPSG::25832`, `http://www.opengis.net/def/crs/EPSG/0/25832`, `EPSG:25832` → `EPSG:25832`. */
export function normaliseCrs(raw: string): string {
  const s = raw.trim();
  const m = /EPSG(?::(?:[\d.]*):|\/[\d.]+\/|:)(\d+)$/i.exec(s);
  if (m) return `EPSG:${m[1]}`;
  if (/^(urn:ogc:def:crs:OGC:(1\.3|):)?CRS:?84$/i.test(s) || /OGC\/1\.3\/CRS84$/i.test(s)) return 'CRS:84';
  return s;
}

const texts = (els: XmlElement[]) => els.map((e) => e.text()).filter(Boolean);
const uniq = <T>(xs: T[]) => [...new Set(xs)];

// ------------------------------------------------------------------ WMS

function wmsLayerTree(root: XmlElement, ns: string, version: string): CapLayer[] {
  const v130 = version.startsWith('1.3');
  const out: CapLayer[] = [];
  const c = (el: XmlElement, local: string) => el.child(ns, local);
  const cs = (el: XmlElement, local: string) => el.children(ns, local);

  interface Inherited {
    crs: string[];
    bbox: LonLatBBox | null;
    boxes: CrsBBox[];
    styles: CapLayer['styles'];
    authorities: Map<string, string>;
    dimensions: CapDimension[];
    parent: string | null;
  }

  const flag = (v: string | undefined) => v === '1' || v?.toLowerCase() === 'true';
  const dimensionsOf = (layer: XmlElement): CapDimension[] =>
    cs(layer, 'Dimension')
      .map((d) => {
        const name = d.attr('name')?.trim() ?? '';
        // 1.1.1 keeps the values (and default/flags) in a sibling Extent of the same name.
        const ext = v130 ? d : cs(layer, 'Extent').find((e) => e.attr('name')?.trim().toLowerCase() === name.toLowerCase());
        return {
          name,
          units: d.attr('units')?.trim() || null,
          unitSymbol: d.attr('unitSymbol')?.trim() || null,
          default: (ext?.attr('default') ?? d.attr('default'))?.trim() || null,
          values: ext?.text() || null,
          multipleValues: flag(ext?.attr('multipleValues') ?? d.attr('multipleValues')),
          nearestValue: flag(ext?.attr('nearestValue') ?? d.attr('nearestValue')),
          current: flag(ext?.attr('current') ?? d.attr('current')),
        };
      })
      .filter((d) => d.name !== '');

  /** A lon/lat box from the layer's own CRS:84 or EPSG:4326 BoundingBox; 1.3.0 EPSG:4326 is lat/lon (geoproxy-ogc.md §4). */
  const wgs84FromOwn = (own: CrsBBox[]): LonLatBBox | null => {
    const crs84 = own.find((b) => b.crs === 'CRS:84');
    if (crs84) return { west: crs84.minx, south: crs84.miny, east: crs84.maxx, north: crs84.maxy };
    const e4326 = own.find((b) => b.crs === 'EPSG:4326');
    if (!e4326) return null;
    return v130
      ? { south: e4326.minx, west: e4326.miny, north: e4326.maxx, east: e4326.maxy }
      : { west: e4326.minx, south: e4326.miny, east: e4326.maxx, north: e4326.maxy };
  };

  const geoBox = (layer: XmlElement): LonLatBBox | null => {
    if (v130) {
      const g = c(layer, 'EX_GeographicBoundingBox');
      if (!g) return null;
      const w = num(c(g, 'westBoundLongitude')?.text());
      const e = num(c(g, 'eastBoundLongitude')?.text());
      const s = num(c(g, 'southBoundLatitude')?.text());
      const n = num(c(g, 'northBoundLatitude')?.text());
      return w === null || e === null || s === null || n === null ? null : { west: w, east: e, south: s, north: n };
    }
    const g = c(layer, 'LatLonBoundingBox');
    if (!g) return null;
    const [w, s, e, n] = ['minx', 'miny', 'maxx', 'maxy'].map((a) => num(g.attr(a)));
    return w === null || e === null || s === null || n === null ? null : { west: w, east: e, south: s, north: n };
  };

  const visit = (layer: XmlElement, inh: Inherited) => {
    const name = c(layer, 'Name')?.text() || null;
    const crs = uniq([...inh.crs, ...texts(cs(layer, v130 ? 'CRS' : 'SRS')).flatMap((t) => t.split(/\s+/)).map(normaliseCrs)]);
    const own = cs(layer, 'BoundingBox')
      .map((b) => {
        const [minx, miny, maxx, maxy] = ['minx', 'miny', 'maxx', 'maxy'].map((a) => num(b.attr(a)));
        const crsAttr = b.attr(v130 ? 'CRS' : 'SRS');
        if (!crsAttr || minx === null || miny === null || maxx === null || maxy === null) return null;
        return { crs: normaliseCrs(crsAttr), minx, miny, maxx, maxy };
      })
      .filter((b): b is CrsBBox => b !== null);
    // A child's BoundingBox for a CRS replaces the inherited one for that CRS.
    const boxes = [...inh.boxes.filter((b) => !own.some((o) => o.crs === b.crs)), ...own];
    const styles = [
      ...inh.styles,
      ...cs(layer, 'Style').map((s) => ({
        name: c(s, 'Name')?.text() ?? '',
        title: c(s, 'Title')?.text() || null,
        legendUrl: c(s, 'LegendURL')?.child(ns, 'OnlineResource')?.attr('href', XLINK) ?? null,
      })),
    ];
    const authorities = new Map(inh.authorities);
    for (const a of cs(layer, 'AuthorityURL')) {
      const href = c(a, 'OnlineResource')?.attr('href', XLINK);
      if (a.attr('name') && href) authorities.set(a.attr('name')!, href);
    }
    const bbox = geoBox(layer) ?? wgs84FromOwn(own) ?? inh.bbox;
    const ownDims = dimensionsOf(layer);
    let dimensions = [...inh.dimensions.filter((d) => !ownDims.some((o) => o.name.toLowerCase() === d.name.toLowerCase())), ...ownDims];
    if (!v130) {
      // 1.1.1: a child may give the Extent of a Dimension declared by an ancestor.
      dimensions = dimensions.map((d) => {
        const ext = cs(layer, 'Extent').find((e) => e.attr('name')?.trim().toLowerCase() === d.name.toLowerCase());
        if (!ext || ownDims.includes(d)) return d;
        return { ...d, default: ext.attr('default')?.trim() || null, values: ext.text() || null, multipleValues: flag(ext.attr('multipleValues')), nearestValue: flag(ext.attr('nearestValue')), current: flag(ext.attr('current')) };
      });
    }
    if (name) {
      const kw = c(layer, 'KeywordList');
      out.push({
        name,
        title: c(layer, 'Title')?.text() || null,
        abstract: c(layer, 'Abstract')?.text() || null,
        keywords: kw ? texts(kw.children(ns, 'Keyword')) : [],
        queryable: layer.attr('queryable') === '1' || layer.attr('queryable') === 'true',
        crs,
        bbox,
        boundingBoxes: boxes,
        dimensions,
        styles,
        metadataUrls: cs(layer, 'MetadataURL')
          .map((m) => ({
            type: m.attr('type') ?? null,
            format: c(m, 'Format')?.text() || null,
            url: c(m, 'OnlineResource')?.attr('href', XLINK)?.trim() ?? '',
          }))
          .filter((m) => m.url !== ''),
        identifiers: cs(layer, 'Identifier')
          .map((i) => ({ authority: i.attr('authority') ?? null, authorityUrl: authorities.get(i.attr('authority') ?? '') ?? null, code: i.text() }))
          .filter((i) => i.code !== ''),
        parent: inh.parent,
      });
    }
    for (const child of cs(layer, 'Layer')) visit(child, { crs, bbox, boxes, styles, authorities, dimensions, parent: name ?? inh.parent });
  };

  const capability = c(root, 'Capability');
  for (const top of capability ? cs(capability, 'Layer') : []) {
    visit(top, { crs: [], bbox: null, boxes: [], styles: [], authorities: new Map(), dimensions: [], parent: null });
  }
  return out;
}

function parseWms(root: XmlElement, version: string): OgcCapabilities {
  const ns = root.ns; // WMS 1.3.0: WMS_NS; 1.1.1: no namespace
  const c = (el: XmlElement | undefined, local: string) => el?.child(ns, local);
  const service = c(root, 'Service');
  const capability = c(root, 'Capability');
  const request = c(capability, 'Request');
  const operations: CapOperation[] = (request?.elements ?? []).map((op) => {
    const http = op.child(ns, 'DCPType')?.child(ns, 'HTTP');
    return {
      name: op.local,
      getUrl: http?.child(ns, 'Get')?.child(ns, 'OnlineResource')?.attr('href', XLINK) ?? null,
      postUrl: http?.child(ns, 'Post')?.child(ns, 'OnlineResource')?.attr('href', XLINK) ?? null,
      formats: texts(op.children(ns, 'Format')),
    };
  });
  // ExtendedCapabilities live in an INSPIRE namespace (any known variant), under Capability (1.3.0) or VendorSpecificCapabilities (1.1.1).
  const ext = findInspireExtendedCapabilities(capability);
  const kw = c(service, 'KeywordList');
  return {
    kind: 'WMS',
    version,
    title: c(service, 'Title')?.text() || null,
    abstract: c(service, 'Abstract')?.text() || null,
    keywords: kw ? texts(kw.children(ns, 'Keyword')) : [],
    fees: c(service, 'Fees')?.text() || null,
    accessConstraints: c(service, 'AccessConstraints')?.text() || null,
    provider: readWmsContact(service),
    operations,
    outputFormats: operations.find((o) => o.name === 'GetMap')?.formats ?? [],
    inspire: ext ? readInspireExtendedCapabilities(ext) : null,
    layers: wmsLayerTree(root, ns, version),
  };
}

// ------------------------------------------------------------------ WFS

function parseWfs(root: XmlElement, version: string): OgcCapabilities {
  const wfs = root.ns;
  const v2 = wfs === WFS2_NS;
  const si = root.child('*', 'ServiceIdentification');
  const om = root.child('*', 'OperationsMetadata');
  const operations: CapOperation[] = (om?.children('*', 'Operation') ?? []).map((op) => {
    const http = op.child('*', 'DCP')?.child('*', 'HTTP');
    const formats = op.children('*', 'Parameter').find((p) => p.attr('name') === 'outputFormat');
    return {
      name: op.attr('name') ?? '',
      getUrl: http?.child('*', 'Get')?.attr('href', XLINK) ?? null,
      postUrl: http?.child('*', 'Post')?.attr('href', XLINK) ?? null,
      formats: formats ? texts(formats.descendants('*', 'Value')) : [],
    };
  });
  const getFeature = operations.find((o) => o.name === 'GetFeature');
  const globalFormats = (om?.children('*', 'Parameter') ?? []).find((p) => p.attr('name') === 'outputFormat');
  const ext = findInspireExtendedCapabilities(om?.child('*', 'ExtendedCapabilities'));
  const types = root.child(wfs, 'FeatureTypeList')?.children(wfs, 'FeatureType') ?? [];
  const layers: CapLayer[] = types.map((ft) => {
    const c = (local: string) => ft.child(wfs, local);
    const wgs = ft.child('*', 'WGS84BoundingBox');
    const lower = wgs?.child('*', 'LowerCorner')?.text().split(/\s+/).map(Number);
    const upper = wgs?.child('*', 'UpperCorner')?.text().split(/\s+/).map(Number);
    const bbox =
      lower && upper && lower.length >= 2 && upper.length >= 2 && [...lower, ...upper].every(Number.isFinite)
        ? { west: lower[0], south: lower[1], east: upper[0], north: upper[1] }
        : null;
    const kws = ft.children('*', 'Keywords').flatMap((k) => texts(k.children('*', 'Keyword')));
    return {
      name: c('Name')?.text() ?? '',
      title: c('Title')?.text() || null,
      abstract: c('Abstract')?.text() || null,
      keywords: kws,
      queryable: true,
      crs: uniq(
        [...texts(ft.children(wfs, v2 ? 'DefaultCRS' : 'DefaultSRS')), ...texts(ft.children(wfs, v2 ? 'OtherCRS' : 'OtherSRS'))].map(normaliseCrs),
      ),
      bbox,
      boundingBoxes: [],
      dimensions: [],
      styles: [],
      // WFS 2.0: xlink:href; WFS 1.1.0: the URL is the text content (§2).
      metadataUrls: ft
        .children(wfs, 'MetadataURL')
        .map((m) => ({
          type: m.attr('type') ?? null,
          format: m.attr('format') ?? null,
          url: (m.attr('href', XLINK) ?? m.text()).trim(),
        }))
        .filter((m) => m.url !== ''),
      identifiers: [],
      parent: null,
    };
  });
  return {
    kind: 'WFS',
    version,
    title: si?.child('*', 'Title')?.text() || null,
    abstract: si?.child('*', 'Abstract')?.text() || null,
    keywords: (si?.children('*', 'Keywords') ?? []).flatMap((k) => texts(k.children('*', 'Keyword'))),
    fees: si?.child('*', 'Fees')?.text() || null,
    accessConstraints: si?.child('*', 'AccessConstraints')?.text() || null,
    provider: readOwsServiceProvider(root.child('*', 'ServiceProvider')),
    operations,
    outputFormats: getFeature?.formats.length ? getFeature.formats : globalFormats ? texts(globalFormats.descendants('*', 'Value')) : [],
    inspire: ext ? readInspireExtendedCapabilities(ext) : null,
    layers: layers.filter((l) => l.name !== ''),
  };
}

/** Parses a capabilities document of any supported kind/version; anything else is a CapabilitiesFormatError. */
export function parseCapabilities(root: XmlElement): OgcCapabilities {
  const version = root.attr('version')?.trim() ?? '';
  if (root.local === 'WMS_Capabilities' && root.ns === WMS_NS) return parseWms(root, version || '1.3.0');
  if (root.local === 'WMT_MS_Capabilities' && root.ns === '') return parseWms(root, version || '1.1.1');
  if (root.local === 'WFS_Capabilities' && (root.ns === WFS2_NS || root.ns === WFS1_NS)) {
    return parseWfs(root, version || (root.ns === WFS2_NS ? '2.0.0' : '1.1.0'));
  }
  throw new CapabilitiesFormatError(`not a WMS/WFS capabilities document: root ${root.name} in ${JSON.stringify(root.ns)}`);
}

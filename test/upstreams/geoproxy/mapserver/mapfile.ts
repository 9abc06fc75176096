import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BBox, World } from '../../../../src/sandbox/world/types';

/**
 * A small MapServer layer set generated from the sandbox world: the municipalities of a few
 * districts (their sandbox extents as polygons) and the districts themselves, as GeoJSON in
 * EPSG:4326, served as WMS 1.3.0/1.1.1 and WFS 2.0.0/1.1.0. Labelled sandbox data throughout.
 */

export interface ExpectedLayer {
  name: string;
  title: string;
  extent: BBox;
  features: number;
  metadataUrl: string;
}

export interface MapserverFixture {
  dir: string;
  /** mapfile path per route name */
  mapfiles: Record<string, string>;
  layers: ExpectedLayer[];
  /** CRS list announced by the map (ows_srs), EPSG:n form. */
  srs: string[];
}

export const FIXTURE_DISTRICTS = ['16053', '16074']; // Jena, Saale-Holzland-Kreis
export const FIXTURE_SRS = ['EPSG:4326', 'EPSG:25832', 'EPSG:4258', 'EPSG:3857'];

const ring = (b: BBox) => [
  [b.west, b.south],
  [b.east, b.south],
  [b.east, b.north],
  [b.west, b.north],
  [b.west, b.south],
];
const union = (bs: BBox[]): BBox => ({
  west: Math.min(...bs.map((b) => b.west)),
  east: Math.max(...bs.map((b) => b.east)),
  south: Math.min(...bs.map((b) => b.south)),
  north: Math.max(...bs.map((b) => b.north)),
});

function featureCollection(items: { props: Record<string, string | number>; bbox: BBox }[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: items.map((i) => ({ type: 'Feature', properties: i.props, geometry: { type: 'Polygon', coordinates: [ring(i.bbox)] } })),
  });
}

const q = (s: string) => `"${s.replace(/"/g, '\\"')}"`;

function mapfile(opts: { dir: string; layers: (ExpectedLayer & { data: string })[]; extent: BBox; wfs: boolean }): string {
  const e = opts.extent;
  const layer = (l: ExpectedLayer & { data: string }) => `
  LAYER
    NAME ${q(l.name)}
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE OGR
    CONNECTION ${q(l.data)}
    EXTENT ${l.extent.west} ${l.extent.south} ${l.extent.east} ${l.extent.north}
    PROJECTION "init=epsg:4326" END
    METADATA
      "ows_title" ${q(l.title)}
      "ows_abstract" ${q(`${l.title} (Sandbox-Daten, generiert aus der Sandbox-Welt)`)}
      "ows_srs" ${q(FIXTURE_SRS.join(' '))}
      "ows_extent" "${l.extent.west} ${l.extent.south} ${l.extent.east} ${l.extent.north}"
      "wms_metadataurl_href" ${q(l.metadataUrl)}
      "wms_metadataurl_format" "text/xml"
      "wms_metadataurl_type" "ISO19115:2003"
      "wfs_metadataurl_href" ${q(l.metadataUrl)}
      "wfs_metadataurl_format" "text/xml"
      "wfs_metadataurl_type" "19139"
      "wfs_featureid" "ars"
      "gml_include_items" "all"
      "wms_include_items" "all"
    END
    CLASS STYLE OUTLINECOLOR 200 0 0 END END
  END`;
  return `MAP
  NAME "sbx_verwaltungsgrenzen"
  EXTENT ${e.west} ${e.south} ${e.east} ${e.north}
  SIZE 400 400
  PROJECTION "init=epsg:4326" END
  WEB
    METADATA
      "ows_title" "Verwaltungsgrenzen (Sandbox, MapServer)"
      "ows_abstract" "Generated sandbox layer set for adapter tests."
      "ows_onlineresource" "http://127.0.0.1/"
      "ows_srs" ${q(FIXTURE_SRS.join(' '))}
      "ows_fees" "keine"
      "ows_accessconstraints" "keine"
      "wms_enable_request" "*"
      "wfs_enable_request" ${opts.wfs ? '"*"' : '"!*"'}
      "wfs_getfeature_formatlist" "geojson"
      "ows_namespace_prefix" "sbx"
      "ows_namespace_uri" "https://geoproxy.sandbox.invalid/ns/sbx"
    END
  END
  OUTPUTFORMAT
    NAME "geojson"
    DRIVER "OGR/GEOJSON"
    MIMETYPE "application/json; subtype=geojson"
    FORMATOPTION "STORAGE=stream"
    FORMATOPTION "FORM=SIMPLE"
  END
${opts.layers.map(layer).join('\n')}
END
`;
}

export function writeMapserverFixture(world: World, dir: string, metadataUrl: (datasetTitle: string) => string): MapserverFixture {
  mkdirSync(dir, { recursive: true });
  const municipalities = world.municipalities.filter((m) => FIXTURE_DISTRICTS.includes(m.districtArs));
  const districts = world.districts.filter((d) => FIXTURE_DISTRICTS.includes(d.ars));
  const gemeinden = join(dir, 'gemeinden.geojson');
  const kreise = join(dir, 'kreise.geojson');
  writeFileSync(gemeinden, featureCollection(municipalities.map((m) => ({ props: { ars: m.ars, name: m.name }, bbox: m.bbox }))));
  writeFileSync(kreise, featureCollection(districts.map((d) => ({ props: { ars: d.ars, name: d.name }, bbox: d.bbox }))));
  const md = metadataUrl('Verwaltungsgrenzen Thüringen');
  const layers = [
    { name: 'sbx_gemeinden', title: 'Gemeinden (Sandbox)', extent: union(municipalities.map((m) => m.bbox)), features: municipalities.length, metadataUrl: md, data: gemeinden },
    { name: 'sbx_kreise', title: 'Landkreise und kreisfreie Städte (Sandbox)', extent: union(districts.map((d) => d.bbox)), features: districts.length, metadataUrl: md, data: kreise },
  ];
  const extent = union(layers.map((l) => l.extent));
  const full = join(dir, 'grenzen.map');
  const wmsOnly = join(dir, 'grenzen-wms-only.map');
  writeFileSync(full, mapfile({ dir, layers, extent, wfs: true }));
  writeFileSync(wmsOnly, mapfile({ dir, layers, extent, wfs: false }));
  return {
    dir,
    mapfiles: { 'sandbox/grenzen_wms': full, 'sandbox/grenzen_wfs': full, 'sandbox/grenzen_wms_only': wmsOnly },
    layers: layers.map(({ data: _data, ...l }) => l),
    srs: FIXTURE_SRS,
  };
}

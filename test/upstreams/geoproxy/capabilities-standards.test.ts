import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, type SandboxServer } from '../../../src/sandbox/http';
import { defaultWorld } from '../../../src/sandbox/world';
import { parseCapabilities, type CapLayer } from '../../../src/upstreams/geoproxy/capabilities';
import { geoproxySandboxRoutes } from '../../../src/upstreams/geoproxy/sandbox';
import { parseXml } from '../../../src/upstreams/runtime/xml';
import { fixtureText, fixtureXml } from '../geo-common/fixtures';

/** Issue 16 items 4, 5 and 7: INSPIRE namespace variants, layer extents and Dimension, version negotiation. */

const layer = (layers: CapLayer[], name: string) => layers.find((l) => l.name === name)!;

describe('INSPIRE extended capabilities under namespace variants (item 4)', () => {
  it('WMS 1.3.0 declaring inspire_vs/inspire_common with https:// reads like the recorded http:// original', () => {
    const original = parseCapabilities(fixtureXml('wms/wms130-dov-geoserver-inspire_vs.owslib.xml'));
    const https = parseCapabilities(fixtureXml('issue16/wms130-dov-inspire-https.derived.xml'));
    // values as written in the recorded document (lines 105-118)
    expect(https.inspire).toEqual({
      metadataUrl: 'https://www.dov.vlaanderen.be/geonetwork/srv/dut/csw?request=GetRecordById&ID=eab36660-76ec-11e0-994d-0002a5d5c51b',
      languages: ['dut'],
      responseLanguage: 'dut',
      spatialDataSetIdentifiers: [],
    });
    expect(https.inspire).toEqual(original.inspire);
  });

  it('WFS 2.0.0 with https:// and a trailing slash (inspire_dls) keeps MetadataUrl, languages and dataset identifiers', () => {
    const c = parseCapabilities(fixtureXml('issue16/wfs200-inspire-dls-https.synthetic.xml'));
    expect(c.inspire).toEqual({
      metadataUrl: 'http://127.0.0.1/csw?SERVICE=CSW&REQUEST=GetRecordById&ID=sandbox-svc-0001',
      languages: ['ger'],
      responseLanguage: 'ger',
      spatialDataSetIdentifiers: [{ code: 'sandbox-ds-0001', namespace: 'https://registry.gdi-de.org/id/sandbox' }],
    });
  });

  it('a synthetic document on the older inspire.europa.eu host and schema version 1.0.1 is read too', () => {
    const doc = `<WMS_Capabilities xmlns="http://www.opengis.net/wms" version="1.3.0"><Service><Title>x</Title></Service><Capability>
      <inspire_vs:ExtendedCapabilities xmlns:inspire_vs="http://inspire.europa.eu/schemas/inspire_vs/1.0.1" xmlns:inspire_common="https://inspire.europa.eu/schemas/common/1.0.1/">
      <inspire_common:MetadataUrl><inspire_common:URL>http://127.0.0.1/csw?request=GetRecordById&amp;id=abc</inspire_common:URL></inspire_common:MetadataUrl>
      <inspire_common:SupportedLanguages><inspire_common:DefaultLanguage><inspire_common:Language>ger</inspire_common:Language></inspire_common:DefaultLanguage>
      <inspire_common:SupportedLanguage><inspire_common:Language>eng</inspire_common:Language></inspire_common:SupportedLanguage></inspire_common:SupportedLanguages>
      <inspire_common:ResponseLanguage><inspire_common:Language>ger</inspire_common:Language></inspire_common:ResponseLanguage></inspire_vs:ExtendedCapabilities></Capability></WMS_Capabilities>`;
    expect(parseCapabilities(parseXml(doc)).inspire).toEqual({
      metadataUrl: 'http://127.0.0.1/csw?request=GetRecordById&id=abc',
      languages: ['ger', 'eng'],
      responseLanguage: 'ger',
      spatialDataSetIdentifiers: [],
    });
  });
});

describe('layer extents and dimensions (item 5)', () => {
  it('WMS 1.3.0: own EX_GeographicBoundingBox, else own EPSG:4326 (lat/lon) or CRS:84 box, before the inherited world box', () => {
    const c = parseCapabilities(fixtureXml('issue16/wms130-own-extents-dimension.synthetic.xml'));
    expect(layer(c.layers, 'own_geographic').bbox).toEqual({ west: 9.87, east: 12.65, south: 50.2, north: 51.65 });
    // BoundingBox CRS="EPSG:4326" minx="50.53" miny="10.95" maxx="51.02" maxy="11.65": lat/lon in 1.3.0
    expect(layer(c.layers, 'own_epsg4326').bbox).toEqual({ west: 10.95, east: 11.65, south: 50.53, north: 51.02 });
    expect(layer(c.layers, 'own_crs84').bbox).toEqual({ west: 11.0, east: 11.2, south: 50.9, north: 51.05 });
    expect(layer(c.layers, 'inherits').bbox).toEqual({ west: -180, east: 180, south: -90, north: 90 });
  });

  it('WMS 1.3.0: Dimension modelled, inherited and overridden by name', () => {
    const c = parseCapabilities(fixtureXml('issue16/wms130-own-extents-dimension.synthetic.xml'));
    const rootTime = { name: 'time', units: 'ISO8601', unitSymbol: null, default: '2024-01-01', values: '2020-01-01/2024-01-01/P1Y', multipleValues: false, nearestValue: true, current: false };
    expect(layer(c.layers, 'inherits').dimensions).toEqual([rootTime]);
    expect(layer(c.layers, 'own_epsg4326').dimensions).toEqual([
      { name: 'time', units: 'ISO8601', unitSymbol: null, default: '2023-06-30', values: '2021-06-30,2022-06-30,2023-06-30', multipleValues: true, nearestValue: false, current: true },
    ]);
    expect(layer(c.layers, 'own_crs84').dimensions).toEqual([
      rootTime,
      { name: 'elevation', units: 'EPSG:5030', unitSymbol: 'm', default: null, values: '0/1000/100', multipleValues: false, nearestValue: false, current: false },
    ]);
  });

  it('WMS 1.1.1: own BoundingBox SRS="EPSG:4326" is lon/lat; Extent of an inherited Dimension applies', () => {
    const c = parseCapabilities(parseXml(fixtureText('issue16/wms111-own-extents-dimension.synthetic.xml'), { doctype: 'skip-if-no-entities' }));
    expect(layer(c.layers, 'own_epsg4326').bbox).toEqual({ west: 10.95, east: 11.65, south: 50.53, north: 51.02 });
    expect(layer(c.layers, 'inherits').bbox).toEqual({ west: -180, east: 180, south: -90, north: 90 });
    expect(layer(c.layers, 'own_epsg4326').dimensions).toEqual([
      { name: 'time', units: 'ISO8601', unitSymbol: null, default: '2023-06-30', values: '2021-06-30,2022-06-30,2023-06-30', multipleValues: true, nearestValue: false, current: false },
    ]);
    expect(layer(c.layers, 'inherits').dimensions[0]).toMatchObject({ name: 'time', default: '2024-01-01', values: '2020-01-01/2024-01-01/P1Y' });
  });

  it('the recorded DOV WMS: layers carrying their own EPSG:4326 box do not report the root box', () => {
    const c = parseCapabilities(fixtureXml('wms/wms130-dov-geoserver-inspire_vs.owslib.xml'));
    const raw = fixtureText('wms/wms130-dov-geoserver-inspire_vs.owslib.xml');
    // every named layer with its own EX_GeographicBoundingBox reports exactly that box
    const own = [...raw.matchAll(/<Layer[^>]*>\s*<Name>([^<]+)<\/Name>[\s\S]*?<EX_GeographicBoundingBox>\s*<westBoundLongitude>([^<]+)</g)];
    expect(own.length).toBeGreaterThan(0);
    for (const [, name, west] of own) expect(layer(c.layers, name).bbox!.west).toBe(Number(west));
  });
});

describe('version negotiation of the Geoproxy sandbox (item 7)', () => {
  let server: SandboxServer;
  beforeAll(async () => {
    server = await startSandboxServer({ name: 'geoproxy', routes: geoproxySandboxRoutes(defaultWorld()) });
  });
  afterAll(async () => server?.close());

  const get = async (path: string, query: string) => {
    const res = await fetch(`${server.url}/${path}?${query}`);
    return { status: res.status, root: parseXml(await res.text(), { doctype: 'skip-if-no-entities' }) };
  };

  it.each([
    ['1.3.0', '1.3.0'], // offered: answered as asked
    ['1.1.1', '1.1.1'],
    ['1.2.0', '1.1.1'], // between: the highest lower than asked
    ['2.0.0', '1.3.0'], // above all: the highest lower
    ['1.0.0', '1.1.1'], // below all: the lowest
  ])('WMS (DOP offers 1.1.1 and 1.3.0) asked %s answers %s (WMS 1.3.0 §6.2.4)', async (asked, answered) => {
    const { root } = await get('DOP', `SERVICE=WMS&REQUEST=GetCapabilities&VERSION=${asked}`);
    expect(root.attr('version')).toBe(answered);
  });

  it('WMS without VERSION answers the highest', async () => {
    expect((await get('DOP', 'SERVICE=WMS&REQUEST=GetCapabilities')).root.attr('version')).toBe('1.3.0');
  });

  it.each([
    ['kommunal/komm_wfs', '2.0.0', '2.0.0'],
    ['kommunal/komm_wfs', '1.1.0,2.0.0', '2.0.0'],
    ['kommunal/komm_wfs', '3.0.0,2.0.0,1.1.0', '2.0.0'],
    ['STRNETZ_wfs', '2.0.0,1.1.0', '1.1.0'],
  ])('WFS %s AcceptVersions=%s answers the first supported entry (%s)', async (name, accept, answered) => {
    const { root, status } = await get(name, `SERVICE=WFS&REQUEST=GetCapabilities&AcceptVersions=${accept}`);
    expect(status).toBe(200);
    expect(root.local).toBe('WFS_Capabilities');
    expect(root.attr('version')).toBe(answered);
  });

  it('WFS answers VersionNegotiationFailed only when no AcceptVersions entry matches', async () => {
    const { root, status } = await get('kommunal/komm_wfs', 'SERVICE=WFS&REQUEST=GetCapabilities&AcceptVersions=1.0.0,1.1.0');
    expect(status).toBe(400);
    expect(root.local).toBe('ExceptionReport');
    expect(root.child('*', 'Exception')!.attr('exceptionCode')).toBe('VersionNegotiationFailed');
  });
});

import { describe, expect, it } from 'vitest';
import { CapabilitiesFormatError, normaliseCrs, parseCapabilities } from '../../../src/upstreams/geoproxy/capabilities';
import { parseXml } from '../../../src/upstreams/runtime/xml';
import { fixtureXml } from '../geo-common/fixtures';

describe('OGC capabilities parser on recorded documents', () => {
  it('WMS 1.3.0 (GeoServer, DOV) with inspire_vs: service, operations, inherited CRS, bbox, styles, MetadataURLs', () => {
    const c = parseCapabilities(fixtureXml('wms/wms130-dov-geoserver-inspire_vs.owslib.xml'));
    expect(c).toMatchObject({ kind: 'WMS', version: '1.3.0', title: 'DOV View Service', fees: 'No fees', accessConstraints: 'none' });
    expect(c.keywords.slice(0, 3)).toEqual(['WMS', 'INSPIRE', 'View Service']);
    expect(c.operations.map((o) => o.name)).toEqual(['GetCapabilities', 'GetMap', 'GetFeatureInfo']);
    expect(c.operations[1].getUrl).toBe('https://www.dov.vlaanderen.be:443/geoserver/gw_meetnetten/meetnetten/ows?SERVICE=WMS&');
    expect(c.outputFormats).toContain('image/png');
    expect(c.outputFormats).toHaveLength(18);
    expect(c.inspire).toEqual({
      metadataUrl: 'https://www.dov.vlaanderen.be/geonetwork/srv/dut/csw?request=GetRecordById&ID=eab36660-76ec-11e0-994d-0002a5d5c51b',
      languages: ['dut'],
      responseLanguage: 'dut',
      spatialDataSetIdentifiers: [],
    });
    // the root layer has no Name: not requestable, not listed
    expect(c.layers.map((l) => l.name)).toEqual(['meetnetten']);
    const l = c.layers[0];
    expect(l.title).toBe('Grondwatermeetnetten');
    expect(l.queryable).toBe(true);
    // CRS: own (31370, CRS:84) united with the root layer's ten
    expect(l.crs).toHaveLength(10);
    expect(l.crs).toEqual(expect.arrayContaining(['EPSG:31370', 'EPSG:4326', 'EPSG:25831', 'CRS:84']));
    expect(l.bbox).toEqual({ west: 2.4985990253931107, east: 5.959258812134792, south: 49.35896492737394, north: 52.81962471411561 });
    expect(l.boundingBoxes.find((b) => b.crs === 'EPSG:31370')).toEqual({ crs: 'EPSG:31370', minx: 22512, miny: 154145, maxx: 258199.43, maxy: 242848.38 });
    expect(l.styles.map((s) => s.name)).toEqual(['meetnetten', 'meetnetten_label']);
    expect(l.styles[0].legendUrl).toMatch(/request=GetLegendGraphic/);
    expect(l.metadataUrls).toHaveLength(2);
    expect(l.metadataUrls[0]).toEqual({
      type: 'ISO19115:2003',
      format: 'text/xml',
      url: 'https://www.dov.vlaanderen.be/geonetwork/srv/dut/csw?Service=CSW&Request=GetRecordById&Version=2.0.2&outputSchema=http://www.isotc211.org/2005/gmd&elementSetName=full&id=6c39d716-aecc-4fbc-bac8-4f05a49a78d5',
    });
    expect(l.metadataUrls[1].format).toBe('text/html');
  });

  it('WFS 2.0.0 (GeoServer, DOV): feature type, CRS in URN form normalised, WGS84 bbox lon/lat, output formats', () => {
    const c = parseCapabilities(fixtureXml('wfs/wfs200-dov-geoserver.owslib.xml'));
    expect(c).toMatchObject({ kind: 'WFS', version: '2.0.0', title: 'Download Service van Databank Ondergrond Vlaanderen' });
    expect(c.operations.map((o) => o.name)).toEqual(expect.arrayContaining(['GetCapabilities', 'DescribeFeatureType', 'GetFeature']));
    expect(c.outputFormats).toEqual(expect.arrayContaining(['application/gml+xml; version=3.2', 'GML2']));
    expect(c.layers).toHaveLength(1);
    expect(c.layers[0]).toMatchObject({ name: 'gw_meetnetten:meetnetten', title: 'Grondwatermeetnetten', crs: ['EPSG:31370'] });
    expect(c.layers[0].bbox).toEqual({ west: 2.5325270625180294, south: 50.683712231532894, east: 5.925330775009873, north: 51.49487740995666 });
    expect(c.layers[0].metadataUrls[0].url).toMatch(/GetRecordById.*id=6c39d716-aecc-4fbc-bac8-4f05a49a78d5$/);
  });

  it('WFS 2.0.0 (DWD, default namespace): 55 feature types, MetadataURL = GDI-DE resource identifier', () => {
    const c = parseCapabilities(fixtureXml('wfs/wfs200-dwd-geoserver-inspire_dls.mrmap.xml'));
    expect(c).toMatchObject({ kind: 'WFS', version: '2.0.0', title: 'DWD GeoServer WFS', fees: 'none' });
    expect(c.keywords).toEqual(['meteorology', 'climatology']);
    expect(c.outputFormats).toContain('application/json');
    expect(c.layers).toHaveLength(55);
    const ff = c.layers.find((l) => l.name === 'dwd:RBSN_FF')!;
    expect(ff.metadataUrls.map((m) => m.url)).toEqual(['https://registry.gdi-de.org/id/de.bund.dwd/de.dwd.geoserver.fach.RBSN_FF']);
    const ceilometer = c.layers.find((l) => l.name === 'dwd:Ceilometer')!;
    expect(ceilometer.crs).toEqual(['EPSG:4326']);
    expect(ceilometer.bbox).toEqual({ west: -180, south: -90, east: 180, north: 90 });
  });

  it('WMS 1.1.1 (WMT_MS_Capabilities with DOCTYPE): SRS, LatLonBoundingBox, inherited styles', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE WMT_MS_Capabilities SYSTEM "http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd">
      <WMT_MS_Capabilities version="1.1.1" xmlns:xlink="http://www.w3.org/1999/xlink"><Service><Name>OGC:WMS</Name><Title>DOP</Title></Service>
      <Capability><Request><GetMap><Format>image/png</Format><DCPType><HTTP><Get><OnlineResource xlink:href="http://h/DOP?"/></Get></HTTP></DCPType></GetMap></Request>
      <Layer><Title>root</Title><SRS>EPSG:25832 EPSG:4326</SRS><LatLonBoundingBox minx="9.8" miny="50.2" maxx="12.7" maxy="51.7"/>
        <Style><Name>default</Name></Style>
        <Layer queryable="0"><Name>th_dop</Name><Title>DOP20</Title><SRS>EPSG:3857</SRS>
          <BoundingBox SRS="EPSG:25832" minx="550000" miny="5560000" maxx="760000" maxy="5730000"/>
          <MetadataURL type="ISO19115:2003"><Format>text/xml</Format><OnlineResource xlink:href="http://csw?id=x"/></MetadataURL></Layer>
      </Layer></Capability></WMT_MS_Capabilities>`;
    const c = parseCapabilities(parseXml(xml, { doctype: 'skip-if-no-entities' }));
    expect(c).toMatchObject({ kind: 'WMS', version: '1.1.1', title: 'DOP', outputFormats: ['image/png'] });
    expect(c.layers).toEqual([
      {
        name: 'th_dop',
        title: 'DOP20',
        abstract: null,
        keywords: [],
        queryable: false,
        crs: ['EPSG:25832', 'EPSG:4326', 'EPSG:3857'],
        bbox: { west: 9.8, east: 12.7, south: 50.2, north: 51.7 },
        boundingBoxes: [{ crs: 'EPSG:25832', minx: 550000, miny: 5560000, maxx: 760000, maxy: 5730000 }],
        styles: [{ name: 'default', title: null, legendUrl: null }],
        metadataUrls: [{ type: 'ISO19115:2003', format: 'text/xml', url: 'http://csw?id=x' }],
        identifiers: [],
        dimensions: [],
        parent: null,
      },
    ]);
  });

  it('WFS 1.1.0: DefaultSRS/OtherSRS and MetadataURL as text content', () => {
    const xml = `<wfs:WFS_Capabilities version="1.1.0" xmlns:wfs="http://www.opengis.net/wfs" xmlns:ows="http://www.opengis.net/ows" xmlns:xlink="http://www.w3.org/1999/xlink">
      <ows:ServiceIdentification><ows:Title>STRNETZ</ows:Title></ows:ServiceIdentification>
      <ows:OperationsMetadata><ows:Operation name="GetFeature"><ows:DCP><ows:HTTP><ows:Get xlink:href="http://h/STRNETZ_wfs?"/></ows:HTTP></ows:DCP>
        <ows:Parameter name="outputFormat"><ows:Value>text/xml; subtype=gml/3.1.1</ows:Value></ows:Parameter></ows:Operation></ows:OperationsMetadata>
      <wfs:FeatureTypeList><wfs:FeatureType><wfs:Name>tlbv:Klassifiz_StrNetz</wfs:Name><wfs:Title>Straßennetz</wfs:Title>
        <wfs:DefaultSRS>urn:ogc:def:crs:EPSG::25832</wfs:DefaultSRS><wfs:OtherSRS>urn:x-ogc:def:crs:EPSG:4326</wfs:OtherSRS>
        <ows:WGS84BoundingBox><ows:LowerCorner>9.8 50.2</ows:LowerCorner><ows:UpperCorner>12.7 51.7</ows:UpperCorner></ows:WGS84BoundingBox>
        <wfs:MetadataURL type="19139" format="text/xml"> http://csw?id=y </wfs:MetadataURL></wfs:FeatureType></wfs:FeatureTypeList></wfs:WFS_Capabilities>`;
    const c = parseCapabilities(parseXml(xml));
    expect(c).toMatchObject({ kind: 'WFS', version: '1.1.0', title: 'STRNETZ', outputFormats: ['text/xml; subtype=gml/3.1.1'] });
    expect(c.layers[0]).toMatchObject({
      name: 'tlbv:Klassifiz_StrNetz',
      crs: ['EPSG:25832', 'EPSG:4326'],
      bbox: { west: 9.8, south: 50.2, east: 12.7, north: 51.7 },
      metadataUrls: [{ type: '19139', format: 'text/xml', url: 'http://csw?id=y' }],
    });
  });

  it('refuses documents that are not capabilities', () => {
    expect(() => parseCapabilities(parseXml('<html/>'))).toThrow(CapabilitiesFormatError);
  });

  it('normalises CRS spellings', () => {
    expect(normaliseCrs('urn:ogc:def:crs:EPSG::25832')).toBe('EPSG:25832');
    expect(normaliseCrs('http://www.opengis.net/def/crs/EPSG/0/4258')).toBe('EPSG:4258');
    expect(normaliseCrs('urn:ogc:def:crs:EPSG:6.9:4326')).toBe('EPSG:4326');
    expect(normaliseCrs('EPSG:3857')).toBe('EPSG:3857');
    expect(normaliseCrs('CRS:84')).toBe('CRS:84');
    expect(normaliseCrs('urn:ogc:def:crs:OGC:1.3:CRS84')).toBe('CRS:84');
  });
});

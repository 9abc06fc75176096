import { describe, expect, it } from 'vitest';
import { findMetadataElements, mapIsoRecord, type IsoRecord } from '../../../src/formats/iso19139/iso19139';
import { parseXml } from '../../../src/upstreams/runtime/xml';
import { fixtureXml } from '../geo-common/fixtures';

const one = (rel: string): IsoRecord => {
  const mds = findMetadataElements(fixtureXml(rel));
  expect(mds).toHaveLength(1);
  const r = mapIsoRecord(mds[0]);
  expect(r).not.toBeNull();
  return r!;
};

describe('ISO 19139 mapper on recorded records', () => {
  it('real German dataset (DWD RBSN): identifiers, dates, INSPIRE theme, bbox, CRS as Anchor, conformity, lineage', () => {
    const r = one('iso19139/dataset-dwd-rbsn.mrmap.xml');
    expect(r.fileIdentifier).toBe('de.dwd.geoserver.fach.RBSN_FF');
    expect(r.type).toBe('dataset');
    expect(r.title).toBe('Windgeschwindigkeit an RBSN Stationen');
    // the real identifier ends in "RBSN_FF\n": trimmed
    expect(r.resourceIdentifiers).toEqual([{ code: 'https://registry.gdi-de.org/id/de.bund.dwd/de.dwd.geoserver.fach.RBSN_FF', codeSpace: null }]);
    expect(r.dateStamp).toBe('2019-05-16T12:55:18'); // gco:DateTime, precision kept
    expect(r.dates).toEqual([
      { date: '2016-02-25', type: 'publication' },
      { date: '2019-01-09', type: 'revision' },
    ]);
    expect(r.bbox).toEqual({ west: 5.87, east: 15.04, south: 47.27, north: 55.06 });
    expect(r.geographicIdentifiers).toEqual([]); // the area is a place keyword ("Deutschland"), no EX_GeographicDescription
    expect(r.inspireThemes.map((t) => t.text)).toEqual(['Meteorologisch-geografische Kennwerte']);
    expect(r.keywordGroups.map((g) => g.thesaurus?.text ?? null)).toEqual([
      null,
      'WMO_CategoryCode',
      'GEMET - INSPIRE themes, version 1.0',
      null,
      'Spatial scope',
    ]);
    expect(r.crs[0]).toEqual({ text: 'EPSG:4258', href: 'http://www.opengis.net/def/crs/EPSG/0/4258' }); // gmx:Anchor
    expect(r.crs[1]).toEqual({ text: 'http://www.opengis.net/def/crs/EPSG/0/4326', href: null });
    expect(r.temporalExtent).toEqual({ begin: '2016-02-25T00:00:00', end: 'now' });
    expect(r.metadataContacts).toEqual([{ organisationName: 'Deutscher Wetterdienst', individualName: null, email: 'info@dwd.de', role: 'pointOfContact' }]);
    expect(r.onlineResources).toHaveLength(2);
    expect(r.onlineResources[0]).toMatchObject({
      url: 'https://maps.dwd.de/geoserver/dwd/RBSN_FF/ows?service=wms&version=1.3.0&request=GetCapabilities',
      protocol: 'OGC:WMS-1.3.0-http-get-capabilities',
      function: 'information',
    });
    expect(r.onlineResources[1].function).toBe('download');
    expect(r.conformity).toHaveLength(1);
    expect(r.conformity[0].title).toMatch(/^VERORDNUNG \(EG\) Nr\. 1089\/2010/);
    expect(r.conformity[0]).toMatchObject({ date: '2010-12-08', pass: true });
    expect(r.lineage).toMatch(/^Die Daten sind entsprechend den Vorschriften/);
    expect(r.service).toBeNull();
  });

  it('real German municipal WFS service (komm.one): srv:extent bbox, service type/versions/coupling, operations, operatesOn', () => {
    const r = one('iso19139/service-wfs-kommone-bw.mrmap.xml');
    expect(r.fileIdentifier).toBe('c824eab2-5226-46c2-b4ae-3e5c518a9be7');
    expect(r.type).toBe('service');
    expect(r.hierarchyLevelName).toBe('Dienst');
    expect(r.title).toBe('WFS XPlanung BPL „Vorderdorf Unterdorf 5. Änderung Erweiterung“');
    expect(r.dateStamp).toBe('2021-12-07');
    // services carry their extent in srv:extent
    expect(r.bbox).toEqual({ west: 8.21574798943722, east: 8.218752644527196, south: 47.69179998723602, north: 47.694387077303475 });
    expect(r.geographicIdentifiers).toEqual([]); // srv:extent holds only the bbox
    expect(r.service).toEqual({
      serviceType: 'download',
      serviceTypeVersions: ['OGC:WFS 1.1.0', 'OGC:WFS 2.0.0'],
      couplingType: 'tight',
      operations: [
        {
          name: 'GetCapabilities',
          dcp: ['WebServices'],
          urls: ['https://geodienste.komm.one/ows/services/org.594.6c80c414-ae29-4d5c-811a-db9066d09ec8_wfs/org.594.8974f733-da33-4b6e-a4b7-2e28d3140c22?SERVICE=WFS&Request=GetCapabilities'],
        },
      ],
      operatesOn: [
        {
          uuidref: '2b5460d2-0a18-4648-87fc-d7c108d24928',
          href: expect.stringMatching(/^https:\/\/geodienste\.komm\.one\/services\/bsp\/.*\/md\/dataset\/dataset1#xpointer/),
          title: null,
        },
      ],
    });
    expect(r.inspireThemes.map((t) => t.text)).toEqual(['Bodennutzung']);
    expect(r.pointsOfContact[0]).toMatchObject({ organisationName: 'Gemeinde Weilheim', email: 'info@weilheim-baden.de' });
    expect(r.otherConstraints[0]).toEqual({
      text: 'no limitations to public access',
      href: 'http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/noLimitations',
    });
    expect(r.accessConstraints).toEqual(['otherRestrictions']);
    expect(r.crs.map((c) => c.text)).toContain('http://www.opengis.net/def/crs/EPSG/0/25832');
    expect(r.conformity[0]).toMatchObject({ date: '2009-10-20', pass: true });
    expect(r.conformity[0].title).toMatch(/^VERORDNUNG \(EG\) Nr\. 976\/2009/);
  });

  it('synthetic service record (pycsw): view service, gml TimePeriod, resource identifier with codeSpace, empty operatesOn dropped', () => {
    const r = one('iso19139/service-synthetic-3e9a8c05.pycsw.xml');
    expect(r).toMatchObject({
      fileIdentifier: '3e9a8c05',
      type: 'service',
      title: 'test Title',
      dateStamp: '2011-04-18',
      resourceIdentifiers: [{ code: 'http://aiolos.survey.ntua.gr', codeSpace: 'ogc' }],
      bbox: { west: 19.37, east: 29.61, south: 34.8, north: 41.75 },
      temporalExtent: { begin: '2011-04-18', end: '2011-04-20' },
    });
    expect(r.service?.serviceType).toBe('view');
    expect(r.service?.operatesOn).toEqual([]);
    expect(r.onlineResources.map((o) => o.url)).toEqual(['http://aiolos.survey.ntua.gr/geoserver/wms']);
  });

  it('real GeoNetwork dataset (DOV): geonet namespace ignored, 8 online links, scale denominator, resource identifier', () => {
    const r = one('csw/getrecordbyid-iso-geonetwork-dov.owslib.xml');
    expect(r.fileIdentifier).toBe('6c39d716-aecc-4fbc-bac8-4f05a49a78d5');
    expect(r.title).toBe('Grondwatermeetnetten');
    expect(r.type).toBe('dataset');
    expect(r.dateStamp).toBe('2018-02-21T16:14:24');
    expect(r.resourceIdentifiers).toEqual([{ code: 'A64F073B-9FBE-91DD-36FDE7462BBAFA61', codeSpace: 'DOV-be' }]);
    expect(r.bbox).toEqual({ west: 2.549, east: 5.902, south: 50.697, north: 51.495 });
    // the second geographicElement of the same EX_Extent: EX_GeographicDescription/geographicIdentifier/MD_Identifier
    expect(r.geographicIdentifiers).toEqual([{ code: 'Vlaanderen', codeSpace: null }]);
    expect(r.spatialResolution).toEqual({ denominator: 10000, distance: null, uom: null });
    expect(r.onlineResources).toHaveLength(8);
    expect(r.onlineResources[1]).toMatchObject({
      url: 'https://www.dov.vlaanderen.be/geoserver/ows?SERVICE=WMS&version=1.3.0&request=GetCapabilities',
      protocol: 'OGC:WMS-1.3.0-http-get-capabilities',
    });
    expect(r.distributionFormats).toEqual([{ name: 'GML', version: '2.1.2' }]);
    expect(r.keywordGroups).toHaveLength(5);
    expect(r.conformity[0].pass).toBe(true);
  });

  it('accepts gmx:Anchor everywhere, gml 3.2 time periods, nil conformity, the GDI-DE licence JSON and the opendata keyword', () => {
    const xml = `<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco"
      xmlns:gmx="http://www.isotc211.org/2005/gmx" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:gml="http://www.opengis.net/gml/3.2">
      <gmd:fileIdentifier><gmx:Anchor xlink:href="https://registry.sandbox.invalid/x">  abc-1 \n</gmx:Anchor></gmd:fileIdentifier>
      <gmd:hierarchyLevel><gmd:MD_ScopeCode codeListValue="series"/></gmd:hierarchyLevel>
      <gmd:dateStamp><gco:Date>2026-01-02</gco:Date></gmd:dateStamp>
      <gmd:identificationInfo><gmd:MD_DataIdentification>
        <gmd:citation><gmd:CI_Citation><gmd:title><gmx:Anchor xlink:href="https://example.org/t">Titel</gmx:Anchor></gmd:title></gmd:CI_Citation></gmd:citation>
        <gmd:descriptiveKeywords><gmd:MD_Keywords><gmd:keyword><gco:CharacterString>opendata</gco:CharacterString></gmd:keyword></gmd:MD_Keywords></gmd:descriptiveKeywords>
        <gmd:descriptiveKeywords><gmd:MD_Keywords><gmd:keyword><gmx:Anchor xlink:href="http://inspire.ec.europa.eu/theme/au">Verwaltungseinheiten</gmx:Anchor></gmd:keyword>
          <gmd:thesaurusName><gmd:CI_Citation><gmd:title><gmx:Anchor xlink:href="http://www.eionet.europa.eu/gemet/inspire_themes">GEMET - INSPIRE themes, version 1.0</gmx:Anchor></gmd:title></gmd:CI_Citation></gmd:thesaurusName>
        </gmd:MD_Keywords></gmd:descriptiveKeywords>
        <gmd:resourceConstraints><gmd:MD_LegalConstraints>
          <gmd:useConstraints><gmd:MD_RestrictionCode codeListValue="otherRestrictions"/></gmd:useConstraints>
          <gmd:otherConstraints><gco:CharacterString>{"id":"dl-by-de/2.0","name":"Datenlizenz Deutschland Namensnennung 2.0","url":"https://www.govdata.de/dl-de/by-2-0","quelle":"© GDI-Th"}</gco:CharacterString></gmd:otherConstraints>
        </gmd:MD_LegalConstraints></gmd:resourceConstraints>
        <gmd:extent><gmd:EX_Extent><gmd:temporalElement><gmd:EX_TemporalExtent><gmd:extent>
          <gml:TimePeriod gml:id="t"><gml:beginPosition>2020-01-01</gml:beginPosition><gml:endPosition indeterminatePosition="now"/></gml:TimePeriod>
        </gmd:extent></gmd:EX_TemporalExtent></gmd:temporalElement></gmd:EX_Extent></gmd:extent>
      </gmd:MD_DataIdentification></gmd:identificationInfo>
      <gmd:dataQualityInfo><gmd:DQ_DataQuality><gmd:report><gmd:DQ_DomainConsistency><gmd:result><gmd:DQ_ConformanceResult>
        <gmd:specification><gmd:CI_Citation><gmd:title><gco:CharacterString>VERORDNUNG (EG) Nr. 1089/2010</gco:CharacterString></gmd:title></gmd:CI_Citation></gmd:specification>
        <gmd:pass gco:nilReason="unknown"/>
      </gmd:DQ_ConformanceResult></gmd:result></gmd:DQ_DomainConsistency></gmd:report></gmd:DQ_DataQuality></gmd:dataQualityInfo>
    </gmd:MD_Metadata>`;
    const r = mapIsoRecord(parseXml(xml))!;
    expect(r.fileIdentifier).toBe('abc-1');
    expect(r.type).toBe('series');
    expect(r.title).toBe('Titel');
    expect(r.opendata).toBe(true);
    expect(r.inspireThemes).toEqual([{ text: 'Verwaltungseinheiten', href: 'http://inspire.ec.europa.eu/theme/au' }]);
    expect(r.licence).toEqual({ id: 'dl-by-de/2.0', name: 'Datenlizenz Deutschland Namensnennung 2.0', url: 'https://www.govdata.de/dl-de/by-2-0', quelle: '© GDI-Th' });
    expect(r.temporalExtent).toEqual({ begin: '2020-01-01', end: 'now' });
    expect(r.conformity).toEqual([{ title: 'VERORDNUNG (EG) Nr. 1089/2010', date: null, explanation: null, pass: null }]);
  });

  it('reads EX_GeographicDescription identifiers of srv:extent as RS_Identifier (code trimmed, codeSpace kept) and drops blank codes', () => {
    const xml = `<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:srv="http://www.isotc211.org/2005/srv"
      xmlns:gmx="http://www.isotc211.org/2005/gmx" xmlns:xlink="http://www.w3.org/1999/xlink">
      <gmd:fileIdentifier><gco:CharacterString>svc-1</gco:CharacterString></gmd:fileIdentifier>
      <gmd:identificationInfo><srv:SV_ServiceIdentification>
        <srv:extent><gmd:EX_Extent>
          <gmd:geographicElement><gmd:EX_GeographicDescription><gmd:geographicIdentifier><gmd:RS_Identifier>
            <gmd:code><gco:CharacterString> 160510000000 </gco:CharacterString></gmd:code>
            <gmd:codeSpace><gco:CharacterString>urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs</gco:CharacterString></gmd:codeSpace>
          </gmd:RS_Identifier></gmd:geographicIdentifier></gmd:EX_GeographicDescription></gmd:geographicElement>
          <gmd:geographicElement><gmd:EX_GeographicDescription><gmd:geographicIdentifier><gmd:MD_Identifier>
            <gmd:code><gmx:Anchor xlink:href="https://example.org/place/th">Thüringen</gmx:Anchor></gmd:code>
          </gmd:MD_Identifier></gmd:geographicIdentifier></gmd:EX_GeographicDescription></gmd:geographicElement>
          <gmd:geographicElement><gmd:EX_GeographicDescription><gmd:geographicIdentifier><gmd:MD_Identifier>
            <gmd:code><gco:CharacterString>  </gco:CharacterString></gmd:code>
          </gmd:MD_Identifier></gmd:geographicIdentifier></gmd:EX_GeographicDescription></gmd:geographicElement>
        </gmd:EX_Extent></srv:extent>
      </srv:SV_ServiceIdentification></gmd:identificationInfo>
    </gmd:MD_Metadata>`;
    expect(mapIsoRecord(parseXml(xml))!.geographicIdentifiers).toEqual([
      { code: '160510000000', codeSpace: 'urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs' },
      { code: 'Thüringen', codeSpace: null },
    ]);
  });
});

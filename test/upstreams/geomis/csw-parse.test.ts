import { describe, expect, it } from 'vitest';
import {
  filterXml,
  getRecordByIdXml,
  getRecordsXml,
  nextStart,
  parseCapabilities,
  parseGetRecordById,
  parseGetRecords,
} from '../../../src/upstreams/geomis/csw';
import { parseXml } from '../../../src/upstreams/runtime/xml';
import { fixtureXml } from '../geo-common/fixtures';

describe('CSW 2.0.2 response parsers on recorded documents', () => {
  it('capabilities: output schemas, type names, ISO queryables, spatial operators are read, not assumed', () => {
    const c = parseCapabilities(fixtureXml('csw/getcapabilities-csw202-apiso.pycsw.xml'));
    expect(c.version).toBe('2.0.2');
    expect(c.title).toBe('pycsw Geospatial Catalogue');
    expect(c.operations).toEqual(expect.arrayContaining(['GetCapabilities', 'GetRecords', 'GetRecordById']));
    expect(c.getRecordsOutputSchemas).toContain('http://www.isotc211.org/2005/gmd');
    expect(c.getRecordsOutputSchemas).toContain('http://www.opengis.net/cat/csw/2.0.2');
    expect(c.typeNames).toEqual(['csw:Record', 'gmd:MD_Metadata']);
    expect(c.constraintLanguages).toEqual(['CQL_TEXT', 'FILTER']);
    for (const q of ['apiso:AnyText', 'apiso:Title', 'apiso:Subject', 'apiso:Type', 'apiso:ServiceType', 'apiso:OrganisationName', 'apiso:BoundingBox', 'apiso:Modified', 'apiso:OperatesOn']) {
      expect(c.queryables).toContain(q);
    }
    expect(c.spatialOperators).toEqual(expect.arrayContaining(['BBOX', 'Intersects']));
    expect(c.inspire).toBe(false);
    const inspire = parseCapabilities(fixtureXml('csw/getcapabilities-csw202-apiso-inspire.pycsw.xml'));
    expect(inspire.inspire).toBe(true);
  });

  it('GetRecords (pycsw, all): paging numbers and the mixed service/dataset records', () => {
    const p = parseGetRecords(fixtureXml('csw/getrecords-iso-all.pycsw.xml'));
    expect({ matched: p.matched, returned: p.returned, nextRecord: p.nextRecord }).toEqual({ matched: 18, returned: 5, nextRecord: 6 });
    expect(p.records).toHaveLength(5);
    expect(p.records[0]).toMatchObject({ fileIdentifier: '3e9a8c05', type: 'service', title: 'test Title' });
    expect(p.records[0].service?.serviceType).toBe('view');
    expect(p.records[1]).toMatchObject({ fileIdentifier: '366f6257-19eb-4f20-ba78-0698ac4aae77', type: 'dataset', title: 'Aerial Photos' });
    expect(p.records[1].bbox).toEqual({ west: 20, east: 24, south: 38, north: 40 });
    expect(nextStart(p, 1)).toBe(6);
  });

  it('GetRecords (pycsw, AnyText and ServiceType filters): nextRecord 0 ends paging', () => {
    const any = parseGetRecords(fixtureXml('csw/getrecords-iso-anytext.pycsw.xml'));
    expect([any.matched, any.returned, any.nextRecord]).toEqual([5, 5, 0]);
    expect(any.records.map((r) => r.title)).toEqual(Array(5).fill('Aerial Photos'));
    expect(nextStart(any, 1)).toBeNull();
    const view = parseGetRecords(fixtureXml('csw/getrecords-iso-brief-servicetype-view.pycsw.xml'));
    expect([view.matched, view.returned, view.nextRecord]).toEqual([1, 1, 0]);
    expect(view.records[0]).toMatchObject({ fileIdentifier: '3e9a8c05', type: 'service' });
    expect(view.records[0].service?.serviceType).toBe('view');
  });

  it('GetRecords (real GeoNetwork): nextRecord 85 is not start+returned and is followed as given; operatesOn, Anchor keywords', () => {
    const p = parseGetRecords(fixtureXml('csw/getrecords-iso-geonetwork-216matched-nextRecord85.owslib.xml'));
    expect([p.matched, p.returned, p.nextRecord]).toEqual([216, 2, 85]);
    expect(nextStart(p, 83)).toBe(85);
    const [suvim, zamg] = p.records;
    expect(suvim).toMatchObject({ fileIdentifier: '8dad9c98-0512-4845-a2bf-3ace1c93df6f', title: 'SUVIM station network WMS', type: 'service' });
    expect(suvim.service).toMatchObject({ serviceType: 'view', couplingType: 'tight' });
    expect(suvim.service!.operatesOn).toEqual([
      {
        uuidref: '59129f4b-a61b-467c-9b41-1f92e4338151',
        href: 'https://csw.geo.be/eng/csw?service=CSW&request=GetRecordById&version=2.0.2&outputSchema=http://www.isotc211.org/2005/gmd&elementSetName=full&id=59129f4b-a61b-467c-9b41-1f92e4338151',
        title: null,
      },
    ]);
    expect(suvim.inspireThemes).toContainEqual({ text: 'Atmospheric conditions', href: 'http://inspire.ec.europa.eu/theme/ac' });
    expect(suvim.onlineResources[0]).toMatchObject({ protocol: 'OGC:WMS', applicationProfile: 'view', function: 'view' });
    expect(zamg).toMatchObject({ fileIdentifier: 'eeae2de7-0a09-4b69-b7a0-0b6b20903fd5', title: 'CSW Suchdienst der ZAMG' });
    expect(zamg.service).toMatchObject({ serviceType: 'discovery', serviceTypeVersions: ['2.0.2'], couplingType: 'mixed' });
    expect(zamg.service!.operatesOn).toHaveLength(8);
    expect(zamg.bbox).toEqual({ west: 9.53357, east: 17.16639, south: 46.40749, north: 49.01875 });
  });

  it('GetRecordById responses: full dataset, brief service', () => {
    const [full] = parseGetRecordById(fixtureXml('csw/getrecordbyid-iso-full.pycsw.xml'));
    expect(full).toMatchObject({ fileIdentifier: 'de53e931-778a-4792-94ad-9fe507aca483', title: 'Ortho', type: 'dataset', lineage: 'test' });
    expect(full.bbox).toEqual({ west: 21.478784, east: 21.527317, south: 39.76001, north: 39.790341 });
    expect(full.spatialResolution?.denominator).toBe(5000);
    const brief = parseGetRecordById(fixtureXml('csw/getrecordbyid-iso-srv-brief.pycsw.xml'));
    expect(brief.map((r) => [r.fileIdentifier, r.type, r.service?.serviceType])).toEqual([['3e9a8c05', 'service', 'view']]);
    const dov = parseGetRecordById(fixtureXml('csw/getrecordbyid-iso-geonetwork-dov.owslib.xml'));
    expect(dov.map((r) => r.fileIdentifier)).toEqual(['6c39d716-aecc-4fbc-bac8-4f05a49a78d5']);
    const empty = parseGetRecordById(parseXml('<csw:GetRecordByIdResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"/>'));
    expect(empty).toEqual([]);
  });

  it('accepts csw:SearchResults before csw:SearchStatus; rejects a missing or broken SearchResults', () => {
    const p = parseGetRecords(
      parseXml(
        '<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"><csw:SearchResults numberOfRecordsMatched="0" numberOfRecordsReturned="0" nextRecord="0"/><csw:SearchStatus timestamp="x"/></csw:GetRecordsResponse>',
      ),
    );
    expect(p).toEqual({ matched: 0, returned: 0, nextRecord: 0, records: [], recordSchema: null, dublinCoreRecords: 0 });
    expect(() => parseGetRecords(parseXml('<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"/>'))).toThrow(/SearchResults missing/);
    expect(() =>
      parseGetRecords(parseXml('<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"><csw:SearchResults numberOfRecordsMatched="x"/></csw:GetRecordsResponse>')),
    ).toThrow(/numberOfRecordsMatched/);
  });
});

describe('nextRecord guard', () => {
  it('stops on 0, on nextRecord beyond matched, on no progress, and on an empty page', () => {
    expect(nextStart({ matched: 30, returned: 10, nextRecord: 11 }, 1)).toBe(11);
    expect(nextStart({ matched: 30, returned: 10, nextRecord: 0 }, 21)).toBeNull();
    expect(nextStart({ matched: 30, returned: 10, nextRecord: 31 }, 21)).toBeNull(); // beyond matched
    expect(nextStart({ matched: 30, returned: 10, nextRecord: 11 }, 11)).toBeNull(); // no progress: a loop
    expect(nextStart({ matched: 30, returned: 10, nextRecord: 5 }, 11)).toBeNull(); // backwards
    expect(nextStart({ matched: 30, returned: 0, nextRecord: 11 }, 1)).toBeNull(); // empty page
  });
});

describe('request bodies', () => {
  it('GetRecords carries paging, sort, outputSchema and an OGC filter combining every condition with And', () => {
    const body = getRecordsXml({
      query: {
        anyText: '100%_sure',
        title: 'Flur',
        keywords: ['ALKIS'],
        types: ['dataset', 'series'],
        serviceType: 'view',
        organisationName: 'TLBG',
        bbox: { west: 10, east: 11, south: 50, north: 51 },
        modifiedSince: '2026-01-01',
      },
      startPosition: 11,
      maxRecords: 10,
      sort: { property: 'Modified', order: 'ASC' },
    });
    const root = parseXml(body);
    expect(root.attr('startPosition')).toBe('11');
    expect(root.attr('maxRecords')).toBe('10');
    expect(root.attr('outputSchema')).toBe('http://www.isotc211.org/2005/gmd');
    const and = root.descendants('http://www.opengis.net/ogc', 'And')[0];
    expect(and.elements.map((e) => e.local)).toEqual([
      'PropertyIsLike',
      'PropertyIsLike',
      'PropertyIsEqualTo',
      'Or',
      'PropertyIsEqualTo',
      'PropertyIsLike',
      'PropertyIsGreaterThanOrEqualTo',
      'BBOX',
    ]);
    expect(root.descendants('http://www.opengis.net/ogc', 'Literal')[0].text()).toBe('%100\\%\\_sure%'); // user wildcards escaped
    expect(root.descendants('http://www.opengis.net/gml', 'lowerCorner')[0].text()).toBe('50 10'); // EPSG:4326 lat/lon
    expect(root.descendants('http://www.opengis.net/ogc', 'SortOrder')[0].text()).toBe('ASC');
    expect(filterXml({})).toBe('');
  });

  it('GetRecordById asks for several ids in one request', () => {
    const root = parseXml(getRecordByIdXml(['a', 'b&c']));
    expect(root.children('http://www.opengis.net/cat/csw/2.0.2', 'Id').map((e) => e.text())).toEqual(['a', 'b&c']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, type SandboxServer } from '../../../src/sandbox/http';
import { defaultWorld, type World } from '../../../src/sandbox/world';
import { geomisSandboxRoutes } from '../../../src/upstreams/geomis/sandbox';
import { parseXml, type XmlElement } from '../../../src/upstreams/runtime/xml';

/**
 * Issue 16 item 6: the sandbox CSW announces outputSchema http://www.opengis.net/cat/csw/2.0.2, so it
 * must answer with Dublin Core records (OGC 07-006r1 §10.2.5: BriefRecord/SummaryRecord/Record), and
 * that schema is the default of GetRecords and GetRecordById; it advertises a ServiceProvider.
 */

const CSW = 'http://www.opengis.net/cat/csw/2.0.2';
const DC = 'http://purl.org/dc/elements/1.1/';
const DCT = 'http://purl.org/dc/terms/';
const GMD = 'http://www.isotc211.org/2005/gmd';

let world: World;
let server: SandboxServer;
beforeAll(async () => {
  world = defaultWorld();
  server = await startSandboxServer({ name: 'geomis', routes: geomisSandboxRoutes(world) });
});
afterAll(async () => server?.close());

const post = async (body: string): Promise<XmlElement> =>
  parseXml(await (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body })).text());
const get = async (query: string): Promise<XmlElement> => parseXml(await (await fetch(`${server.url}/?${query}`)).text());

const getRecords = (attrs: string, set: string | null) =>
  `<csw:GetRecords xmlns:csw="${CSW}" xmlns:ogc="http://www.opengis.net/ogc" service="CSW" version="2.0.2" ${attrs}>` +
  `<csw:Query typeNames="csw:Record">${set ? `<csw:ElementSetName>${set}</csw:ElementSetName>` : ''}` +
  `<csw:Constraint version="1.1.0"><ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>dc:type</ogc:PropertyName><ogc:Literal>service</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter></csw:Constraint>` +
  `</csw:Query></csw:GetRecords>`;

const unique = () => [...new Map(world.geo.records.map((r) => [r.fileIdentifier, r])).values()];
const services = () => unique().filter((r) => r.hierarchyLevel === 'service').sort((a, b) => (a.fileIdentifier < b.fileIdentifier ? -1 : 1));

describe('sandbox CSW: Dublin Core records for outputSchema csw 2.0.2', () => {
  it.each([
    ['brief', 'BriefRecord'],
    ['summary', 'SummaryRecord'],
    ['full', 'Record'],
  ])('GetRecords ElementSetName %s → csw:%s with identifier, title, type; recordSchema csw', async (set, local) => {
    const root = await post(getRecords(`resultType="results" maxRecords="5" outputSchema="${CSW}"`, set));
    expect(root.local).toBe('GetRecordsResponse');
    const results = root.child(CSW, 'SearchResults')!;
    expect(results.attr('recordSchema')).toBe(CSW);
    expect(results.attr('elementSet')).toBe(set);
    expect(Number(results.attr('numberOfRecordsMatched'))).toBe(services().length);
    const recs = results.children(CSW, local);
    expect(recs).toHaveLength(5);
    expect(recs.map((r) => r.child(DC, 'identifier')!.text())).toEqual(services().slice(0, 5).map((r) => r.fileIdentifier));
    expect(recs.map((r) => r.child(DC, 'title')!.text())).toEqual(services().slice(0, 5).map((r) => r.title));
    expect(recs.every((r) => r.child(DC, 'type')!.text() === 'service')).toBe(true);
    if (set !== 'brief') expect(recs[0].child(DCT, 'abstract')!.text()).toBe(services()[0].abstract);
    if (set === 'full') expect(recs[0].child(DC, 'publisher')!.text()).toBe(services()[0].metadataContact.organisationName);
  });

  it('GetRecords without outputSchema answers Dublin Core (the CSW 2.0.2 default), not an exception', async () => {
    const root = await post(getRecords('resultType="results" maxRecords="2"', null));
    expect(root.local).toBe('GetRecordsResponse');
    expect(root.child(CSW, 'SearchResults')!.children(CSW, 'SummaryRecord')).toHaveLength(2);
  });

  it('resultType hits (the default) gives the count and no records', async () => {
    const root = await post(getRecords(`outputSchema="${CSW}"`, 'brief'));
    const results = root.child(CSW, 'SearchResults')!;
    expect(Number(results.attr('numberOfRecordsMatched'))).toBe(services().length);
    expect(results.elements).toHaveLength(0);
  });

  it('GetRecordById without outputSchema returns csw:SummaryRecord; with gmd the ISO record', async () => {
    const r = unique()[0];
    const dc = await get(`SERVICE=CSW&VERSION=2.0.2&REQUEST=GetRecordById&ID=${encodeURIComponent(r.fileIdentifier)}`);
    expect(dc.elements.map((e) => `${e.ns} ${e.local}`)).toEqual([`${CSW} SummaryRecord`]);
    expect(dc.elements[0].child(DC, 'identifier')!.text()).toBe(r.fileIdentifier);
    const full = await get(`SERVICE=CSW&VERSION=2.0.2&REQUEST=GetRecordById&ID=${encodeURIComponent(r.fileIdentifier)}&ElementSetName=full`);
    expect(full.elements[0].local).toBe('Record');
    const iso = await get(`SERVICE=CSW&VERSION=2.0.2&REQUEST=GetRecordById&ID=${encodeURIComponent(r.fileIdentifier)}&outputSchema=${encodeURIComponent(GMD)}`);
    expect(iso.elements.map((e) => `${e.ns} ${e.local}`)).toEqual([`${GMD} MD_Metadata`]);
  });

  it('an unsupported outputSchema is an InvalidParameterValue exception', async () => {
    const root = await post(getRecords('resultType="results" outputSchema="http://example.org/other"', 'full'));
    expect(root.local).toBe('ExceptionReport');
    expect(root.child('*', 'Exception')!.attr('exceptionCode')).toBe('InvalidParameterValue');
  });

  it('capabilities advertise ServiceProvider with a contact, and MaxRecordDefault', async () => {
    const caps = await get('SERVICE=CSW&REQUEST=GetCapabilities');
    const sp = caps.child('*', 'ServiceProvider')!;
    expect(sp.child('*', 'ProviderName')!.text()).toBeTruthy();
    expect(sp.descendants('*', 'ElectronicMailAddress')[0].text()).toMatch(/@.*\.example\.org$/);
    expect(caps.descendants('*', 'Constraint').some((c) => c.attr('name') === 'MaxRecordDefault')).toBe(true);
  });
});

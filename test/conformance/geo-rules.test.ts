import { describe, expect, it } from 'vitest';
import { runChecks } from '../../src/conformance/engine';
import type { ConformanceInput, GeoproxyServiceInput } from '../../src/conformance/input';
import { findMetadataElements, mapIsoRecord, type IsoRecord } from '../../src/formats/iso19139/iso19139';
import { parseCapabilities } from '../../src/upstreams/geoproxy/capabilities';
import { fixtureXml } from '../upstreams/geo-common/fixtures';

// One positive and one negative case per geo rule R3, R7, R8, R10b, R11, R12, R13, R17, XG3, XG5, XG7. Each case starts
// from a recorded real document (test/fixtures/geo, SOURCES.md) that passes the rule and changes the one thing the rule
// is about, the way real records get it wrong.
const record = (rel: string): IsoRecord => mapIsoRecord(findMetadataElements(fixtureXml(rel))[0])!;
const DWD = () => record('iso19139/dataset-dwd-rbsn.mrmap.xml'); // dataset, INSPIRE (theme + 1089/2010)
const DOV = () => record('csw/getrecordbyid-iso-geonetwork-dov.owslib.xml'); // dataset, coupled by the DOV WMS layer
const KOMM = () => record('iso19139/service-wfs-kommone-bw.mrmap.xml'); // INSPIRE download service

const WMS_URL = 'https://example.org/dov/wms';
const wms = (): GeoproxyServiceInput => ({
  name: 'dov/wms', kind: 'WMS', version: '1.3.0', url: `${WMS_URL}?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0`,
  capabilities: parseCapabilities(fixtureXml('wms/wms130-dov-geoserver-inspire_vs.owslib.xml')), error: null, protected: false,
});
const wfs = (): GeoproxyServiceInput => ({
  name: 'dwd/wfs', kind: 'WFS', version: '2.0.0', url: 'https://example.org/dwd/wfs?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=2.0.0',
  capabilities: parseCapabilities(fixtureXml('wfs/wfs200-dwd-geoserver-inspire_dls.mrmap.xml')), error: null, protected: false,
});

/** The Komm.ONE service record re-pointed at the DOV WMS (its transfer option and connect point), operating on DOV. */
function dovServiceRecord(): IsoRecord {
  const r = KOMM();
  const dov = DOV();
  r.onlineResources = [{ ...r.onlineResources[0], url: `${WMS_URL}?SERVICE=WMS&REQUEST=GetCapabilities` }];
  r.service!.operations = [{ ...r.service!.operations[0], urls: [`${WMS_URL}?SERVICE=WMS&Request=GetCapabilities`] }];
  r.service!.operatesOn = [{ uuidref: dov.fileIdentifier, href: null, title: null }];
  r.bboxes = [...dov.bboxes];
  r.bbox = dov.bbox;
  return r;
}

const input = (records: IsoRecord[], services: GeoproxyServiceInput[] = []): ConformanceInput => ({
  collectedAt: '2026-12-01T00:00:00Z', asOf: '2026-12-01T00:00:00Z', upstreamUrls: {}, urlAliases: [], municipalities: [],
  pvog: { servicesByArs: [], unitsByService: [], details: [], units: [] }, thavel: null, dvdv: null, gaps: [],
  geomis: { records }, geoproxy: { services },
});

async function run(rule: string, records: IsoRecord[], services: GeoproxyServiceInput[] = []) {
  const { findings, outcomes } = await runChecks(input(records, services), { rules: [rule] });
  expect(outcomes[0].status).toBe('evaluated');
  return findings;
}
const subjects = async (rule: string, records: IsoRecord[], services: GeoproxyServiceInput[] = []) => (await run(rule, records, services)).map((f) => `${f.subject} ${f.severity}`);

describe('record rules', () => {
  it('R3: a service record typed dataset (SV_ServiceIdentification under hierarchyLevel dataset) and an unknown level are errors', async () => {
    expect(await subjects('R3', [DWD(), KOMM()])).toEqual([]);
    const mistyped = { ...KOMM(), type: 'dataset' };
    const app = { ...DWD(), type: 'application' };
    const f = await run('R3', [mistyped, app]);
    expect(f.map((x) => `${x.subject} ${x.severity}`)).toEqual([`${mistyped.fileIdentifier} error`, `${app.fileIdentifier} error`].sort());
    expect(f.find((x) => x.subject === mistyped.fileIdentifier)!.evidence).toMatchObject({ identificationInfo: 'SV_ServiceIdentification', expected: 'MD_DataIdentification' });
  });

  it('R7: every responsible party needs organisation, e-mail and a CI_RoleCode role', async () => {
    expect(await subjects('R7', [DWD(), DOV()])).toEqual([]); // DOV has two parties (pointOfContact, distributor), both complete
    const dov = DOV();
    dov.pointsOfContact[1] = { ...dov.pointsOfContact[1], email: null };
    const noParty = { ...DWD(), pointsOfContact: [] };
    const badRole = KOMM();
    badRole.pointsOfContact[0] = { ...badRole.pointsOfContact[0], role: 'Ansprechpartner' };
    const f = await run('R7', [dov, noParty, badRole]);
    expect(f.map((x) => x.subject).sort()).toEqual([dov.fileIdentifier, noParty.fileIdentifier, badRole.fileIdentifier].sort());
    expect(f.find((x) => x.subject === dov.fileIdentifier)!.message).toMatch(/electronicMailAddress \(Databank Ondergrond Vlaanderen/);
    expect(f.find((x) => x.subject === badRole.fileIdentifier)!.message).toMatch(/"Ansprechpartner" is no CI_RoleCode/);
  });

  it('R8: a second revision date, or neither a typed date nor a temporal extent, is an error', async () => {
    expect(await subjects('R8', [DWD(), DOV(), KOMM()])).toEqual([]);
    const twice = KOMM(); // creation, publication, revision 2021-12-07 → another revision
    twice.dates = [...twice.dates, { date: '2022-03-01', type: 'revision' }];
    const none = { ...DWD(), dates: [], temporalExtent: null };
    const onlyExtent = { ...DWD(), fileIdentifier: 'dwd-extent-only', dates: [] }; // the TimePeriod alone is a temporal reference
    expect(await subjects('R8', [twice, none, onlyExtent])).toEqual([`${twice.fileIdentifier} error`, `${none.fileIdentifier} error`].sort());
  });

  it('R10b: an INSPIRE dataset without theme keyword, topic category or lineage is a warning; a service is not judged', async () => {
    expect(await subjects('R10b', [DWD(), DOV(), KOMM()])).toEqual([]); // DOV's theme thesaurus title is Dutch
    const noTheme = DWD(); // keeps "inspireidentifiziert" and the 1089/2010 citation
    noTheme.keywordGroups = noTheme.keywordGroups.filter((g) => !/INSPIRE/.test(g.thesaurus?.text ?? ''));
    noTheme.inspireThemes = [];
    const noLineage = { ...DOV(), lineage: null };
    const f = await run('R10b', [noTheme, noLineage]);
    expect(f.map((x) => `${x.subject} ${x.severity}`).sort()).toEqual([`${noTheme.fileIdentifier} warning`, `${noLineage.fileIdentifier} warning`].sort());
    expect(f.find((x) => x.subject === noTheme.fileIdentifier)!.evidence).toMatchObject({ missing: ['an INSPIRE theme keyword'] });
  });

  it('R11: two service types, a non-INSPIRE type, no coupling type or a view/download service without operatesOn href are errors', async () => {
    expect(await subjects('R11', [KOMM(), DWD()])).toEqual([]);
    const cases = {
      twoTypes: (r: IsoRecord) => (r.serviceTypes = ['download', 'WFS']),
      wfsType: (r: IsoRecord) => ((r.serviceTypes = ['WFS']), (r.service!.serviceType = 'WFS')),
      noCoupling: (r: IsoRecord) => (r.service!.couplingType = null),
      uuidrefOnly: (r: IsoRecord) => (r.service!.operatesOn = r.service!.operatesOn.map((o) => ({ ...o, href: null }))),
    };
    for (const [name, mutate] of Object.entries(cases)) {
      const r = KOMM();
      mutate(r);
      expect({ name, got: await subjects('R11', [r]) }).toEqual({ name, got: [`${r.fileIdentifier} error`] });
    }
    const discovery = KOMM(); // a discovery service needs no coupled dataset
    discovery.serviceTypes = ['discovery'];
    discovery.service!.operatesOn = [];
    expect(await subjects('R11', [discovery])).toEqual([]);
  });

  it('R12: an INSPIRE dataset citing only the network-services regulation, or a citation without date, is an error', async () => {
    expect(await subjects('R12', [DWD(), DOV(), KOMM()])).toEqual([]);
    const wrongReg = DWD();
    wrongReg.conformity = KOMM().conformity; // 976/2009
    const noDate = KOMM();
    noDate.conformity = noDate.conformity.map((c) => ({ ...c, date: null }));
    const notInspire = { ...DWD(), fileIdentifier: 'dwd-not-inspire' }; // no theme, no inspireidentifiziert, no citation: R12 does not apply
    notInspire.conformity = [];
    notInspire.inspireThemes = [];
    notInspire.keywordGroups = [];
    expect(await subjects('R12', [wrongReg, noDate, notInspire])).toEqual([`${wrongReg.fileIdentifier} error`, `${noDate.fileIdentifier} error`].sort());
  });

  it('R13: without accessConstraints otherRestrictions, or without any condition for use, a record is an error', async () => {
    expect(await subjects('R13', [DWD(), DOV(), KOMM()])).toEqual([]);
    const noAccess = KOMM(); // drop the block with the LimitationsOnPublicAccess Anchor
    noAccess.legalConstraints = noAccess.legalConstraints!.filter((l) => !l.accessConstraints.length);
    const noUse = { ...KOMM(), fileIdentifier: 'komm-without-use' }; // only the access block, no use limitation anywhere
    noUse.legalConstraints = noUse.legalConstraints!.filter((l) => l.accessConstraints.length);
    noUse.useLimitations = [];
    const f = await run('R13', [noAccess, noUse]);
    expect(f.map((x) => `${x.subject} ${x.severity}`).sort()).toEqual([`${noAccess.fileIdentifier} error`, 'komm-without-use error']);
    expect(f.find((x) => x.subject === noAccess.fileIdentifier)!.message).toMatch(/has no limitations on public access/);
    expect(f.find((x) => x.subject === 'komm-without-use')!.message).toMatch(/has no conditions for access and use\.$/);
  });

  it('R17: an INSPIRE service linking only its bare endpoint is a warning; a non-INSPIRE one is not judged', async () => {
    expect(await subjects('R17', [KOMM()])).toEqual([]);
    const bare = KOMM();
    bare.onlineResources = bare.onlineResources.map((o) => ({ ...o, url: o.url.split('?')[0] }));
    const notInspire = { ...bare, fileIdentifier: 'not-inspire', conformity: [], inspireThemes: [], keywordGroups: [] };
    expect(await subjects('R17', [bare, notInspire])).toEqual([`${bare.fileIdentifier} warning`]);
  });
});

describe('coupling rules', () => {
  it('XG3: connect points or the capabilities link of the service record must address the Geoproxy endpoint', async () => {
    expect(await subjects('XG3', [dovServiceRecord(), DOV()], [wms()])).toEqual([]);
    const other = dovServiceRecord();
    other.service!.operations = [{ ...other.service!.operations[0], urls: ['https://example.org/dov/wms-intern?SERVICE=WMS'] }];
    const f = await run('XG3', [other, DOV()], [wms()]);
    expect(f.map((x) => `${x.subject} ${x.severity}`)).toEqual([`${other.fileIdentifier} warning`]);
    expect(f[0].evidence).toMatchObject({ elsewhere: [{ where: 'connectPoint GetCapabilities', url: 'https://example.org/dov/wms-intern?SERVICE=WMS' }] });
    const wrongKind = dovServiceRecord(); // same path, but the transfer option asks the WFS
    wrongKind.onlineResources = [{ ...wrongKind.onlineResources[0], url: `${WMS_URL}?service=WFS&request=GetCapabilities` }];
    expect(await subjects('XG3', [wrongKind, DOV()], [wms()])).toEqual([`${wrongKind.fileIdentifier} warning`]);
  });

  it('XG5: a WMS layer Identifier or a WFS SpatialDataSetIdentifier must be the coupled dataset\'s resource identifier', async () => {
    const withId = (code: string, authorityUrl: string | null) => {
      const s = wms();
      s.capabilities!.layers.find((l) => l.name === 'meetnetten')!.identifiers = [{ authority: 'DOV', authorityUrl, code }];
      return s;
    };
    // DOV record: code A64F073B-9FBE-91DD-36FDE7462BBAFA61 in codeSpace DOV-be
    expect(await subjects('XG5', [DOV()], [withId('A64F073B-9FBE-91DD-36FDE7462BBAFA61', 'DOV-be')])).toEqual([]);
    expect(await subjects('XG5', [DOV()], [withId('A64F073B-9FBE-91DD-36FDE7462BBAFA61', 'https://example.org/other-namespace')])).toEqual(['dov/wms#meetnetten warning']);
    expect(await subjects('XG5', [DOV()], [withId('B0000000-0000-0000-0000000000000000', 'DOV-be')])).toEqual(['dov/wms#meetnetten warning']);

    const withSdsi = (code: string) => {
      const s = wfs();
      s.capabilities!.inspire = { metadataUrl: null, languages: [], responseLanguage: null, spatialDataSetIdentifiers: [{ code, namespace: 'https://registry.gdi-de.org/id/de.bund.dwd' }] };
      return s;
    };
    // DWD record: https://registry.gdi-de.org/id/de.bund.dwd/de.dwd.geoserver.fach.RBSN_FF, coupled by dwd:RBSN_FF's MetadataURL
    expect(await subjects('XG5', [DWD()], [withSdsi('de.dwd.geoserver.fach.RBSN_FF')])).toEqual([]);
    expect(await subjects('XG5', [DWD()], [withSdsi('de.dwd.geoserver.fach.RBSN_T2m')])).toEqual(['dwd/wfs warning']);
  });

  it('XG7: a service record whose bbox misses the capabilities extent is info', async () => {
    expect(await subjects('XG7', [dovServiceRecord(), DOV()], [wms()])).toEqual([]);
    const elsewhere = dovServiceRecord(); // back to Weilheim (Baden), where the record came from
    elsewhere.bboxes = KOMM().bboxes;
    elsewhere.bbox = KOMM().bbox;
    const f = await run('XG7', [elsewhere, DOV()], [wms()]);
    expect(f.map((x) => `${x.subject} ${x.severity}`)).toEqual([`${elsewhere.fileIdentifier} info`]);
    expect(f[0].evidence).toMatchObject({ service: 'dov/wms', recordBbox: KOMM().bbox });
  });
});

import { expect, it } from 'vitest';
import { runChecks } from '../../src/conformance/engine';
import type { ConformanceInput, GeoproxyServiceInput } from '../../src/conformance/input';
import { findMetadataElements, mapIsoRecord, type IsoRecord } from '../../src/formats/iso19139/iso19139';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { parseCapabilities } from '../../src/upstreams/geoproxy/capabilities';
import { fixtureXml } from '../upstreams/geo-common/fixtures';

// The geo rules over recorded real documents (test/fixtures/geo, provenance in its SOURCES.md). The expected
// findings below were written from reading the documents, record by record and rule by rule.
const records = (rel: string): IsoRecord[] => findMetadataElements(fixtureXml(rel)).map((el) => mapIsoRecord(el)!).filter(Boolean);

const DWD = 'de.dwd.geoserver.fach.RBSN_FF'; // iso19139/dataset-dwd-rbsn.mrmap.xml (DWD, real)
const DOV = '6c39d716-aecc-4fbc-bac8-4f05a49a78d5'; // csw/getrecordbyid-iso-geonetwork-dov.owslib.xml (Flanders DOV, real)
const KOMM = 'c824eab2-5226-46c2-b4ae-3e5c518a9be7'; // iso19139/service-wfs-kommone-bw.mrmap.xml (komm.one, real)

const service = (name: string, kind: 'WMS' | 'WFS', version: string, rel: string): GeoproxyServiceInput => ({
  name, kind, version, url: `https://example.org/${name}?SERVICE=${kind}&REQUEST=GetCapabilities&VERSION=${version}`, capabilities: parseCapabilities(fixtureXml(rel)), error: null, protected: false,
});

const input = {
  collectedAt: '2026-12-01T00:00:00Z', asOf: '2026-12-01T00:00:00Z', upstreamUrls: {}, urlAliases: [], municipalities: [],
  pvog: { servicesByArs: [], unitsByService: [], details: [], units: [] }, thavel: null, dvdv: null, gaps: [],
  geomis: { records: [...records('iso19139/dataset-dwd-rbsn.mrmap.xml'), ...records('csw/getrecordbyid-iso-geonetwork-dov.owslib.xml'), ...records('iso19139/service-wfs-kommone-bw.mrmap.xml')] },
  geoproxy: { services: [service('dov/wms', 'WMS', '1.3.0', 'wms/wms130-dov-geoserver-inspire_vs.owslib.xml'), service('dwd/wfs', 'WFS', '2.0.0', 'wfs/wfs200-dwd-geoserver-inspire_dls.mrmap.xml')] },
} satisfies ConformanceInput;

const GEO_RULES = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R9b', 'R10', 'R10b', 'R10c', 'R11', 'R12', 'R13', 'R13b', 'R15', 'R16', 'R17', 'R18', 'XG1', 'XG2', 'XG3', 'XG5', 'XG7', 'XG8', 'U-1'];
/** The five DWD feature types that carry a MetadataURL (a GDI-DE registry URI); only RBSN_FF's dataset is in this catalogue. */
const DWD_WITH_METADATA = ['dwd:RBSN_T2m', 'dwd:RBSN_RR', 'dwd:RBSN_RH', 'dwd:RBSN_FF', 'dwd:RBSN_VPGB'];

it('reads the three real records', () => {
  expect(input.geomis.records.map((r) => `${r.fileIdentifier} ${r.type}`)).toEqual([`${DWD} dataset`, `${DOV} dataset`, `${KOMM} service`]);
});

it('per record and rule: the findings match what the documents contain', async () => {
  const { findings, outcomes } = await runChecks(input, { rules: GEO_RULES });
  expect(outcomes.every((o) => o.status === 'evaluated')).toBe(true);
  const got = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => `${f.subject} ${f.severity}`).sort();

  expect(got('R1')).toEqual([`${DWD} warning`]); // fileIdentifier "de.dwd.geoserver.fach.RBSN_FF" is not UUID-like; the others are UUIDs
  expect(got('R2')).toEqual([]); // 2019-05-16T12:55:18, 2018-02-21T16:14:24, 2021-12-07
  expect(got('R4')).toEqual([]);
  expect(got('R5')).toEqual([]); // all three have an abstract (DWD as PT_FreeText)
  expect(got('R6')).toEqual([]); // DWD info@dwd.de, VMM info@vmm.be, Komm.ONE metadaten.geodienste@komm.one — all pointOfContact
  expect(got('R9')).toEqual([]); // bboxes 5.87–15.04/47.27–55.06, 2.549–5.902/50.697–51.495, 8.2157–8.2188/47.692–47.694
  expect(got('R9b')).toEqual([`${DOV} warning`, `${KOMM} warning`].sort()); // Flanders and Weilheim (BW) lie outside Thüringen; Germany's box covers it
  expect(got('R10')).toEqual([]); // DWD and DOV datasets each carry one code
  expect(got('R10c')).toEqual([`${DOV} warning`]); // DOV: code A64F073B-… in codeSpace "DOV-be"; DWD: https://registry.gdi-de.org/id/de.bund.dwd/…
  expect(got('R13b')).toEqual([]); // no opendata keyword and no licence JSON in any of them
  expect(got('R15')).toEqual([`${KOMM} error`]); // operatesOn uuidref 2b5460d2-… is not in this catalogue
  expect(got('R18')).toEqual([]);
  // WMS DOV: layer "meetnetten" → GetRecordById id=6c39d716… (the DOV record). WFS DWD: 4 of 5 registry URIs are not in this catalogue.
  expect(got('R16')).toEqual(['dwd:RBSN_T2m', 'dwd:RBSN_RR', 'dwd:RBSN_RH', 'dwd:RBSN_VPGB'].map((n) => `dwd/wfs#${n} error`).sort());
  // 55 DWD FeatureType elements (SOURCES.md says 56, the document has 55), 5 with a MetadataURL; the DOV layer has one.
  const xg1 = got('XG1');
  expect(xg1).toHaveLength(50);
  expect(xg1.every((s) => s.startsWith('dwd/wfs#dwd:'))).toBe(true);
  expect(xg1.filter((s) => DWD_WITH_METADATA.some((n) => s.startsWith(`dwd/wfs#${n} `)))).toEqual([]);
  // WMS ExtendedCapabilities MetadataUrl → GetRecordById ID=eab36660-… (not in this catalogue); the WFS has none.
  expect(got('XG2')).toEqual(['dov/wms error']);
  expect(got('XG8')).toEqual([]); // WMS lists EPSG:4258; one DWD feature type has DefaultCRS urn:ogc:def:crs:EPSG::4258

  // hierarchyLevel dataset/dataset/service with MD_DataIdentification/MD_DataIdentification/SV_ServiceIdentification
  expect(got('R3')).toEqual([]);
  // responsible parties: DWD "Deutscher Wetterdienst" datenservice@dwd.de originator; DOV VMM info@vmm.be pointOfContact and
  // DOV dov@vlaanderen.be distributor; Komm.ONE record "Gemeinde Weilheim" info@weilheim-baden.de pointOfContact
  expect(got('R7')).toEqual([]);
  // DWD publication 2016-02-25 + revision 2019-01-09 + TimePeriod; DOV creation + publication 2002-05-22; Komm.ONE one each
  expect(got('R8')).toEqual([]);
  // DWD: theme "Meteorologisch-geografische Kennwerte" (GEMET - INSPIRE themes), climatologyMeteorologyAtmosphere, lineage;
  // DOV: "Geologie" in the Dutch "GEMET - INSPIRE thema's, versie 1.0", geoscientificInformation, lineage
  expect(got('R10b')).toEqual([]);
  // Komm.ONE: one serviceType "download", couplingType tight, operatesOn with an https xlink:href
  expect(got('R11')).toEqual([]);
  // DWD and DOV (Dutch title) cite 1089/2010 of 2010-12-08, Komm.ONE 976/2009 of 2009-10-20; pass true in all three
  expect(got('R12')).toEqual([]);
  // access: otherRestrictions + text (DWD, DOV) or the noLimitations Anchor (Komm.ONE); use: useConstraints otherRestrictions
  // + text (DWD, Komm.ONE), DOV only useLimitation texts and a ConditionsApplyingToAccessAndUse Anchor
  expect(got('R13')).toEqual([]);
  // Komm.ONE transferOptions: …_wfs/…?SERVICE=WFS&Request=GetCapabilities
  expect(got('R17')).toEqual([]);
  // No service record of this catalogue describes dov/wms or dwd/wfs (Komm.ONE's is geodienste.komm.one): nothing to couple.
  expect(got('XG3')).toEqual([]);
  expect(got('XG7')).toEqual([]);
  // The DOV layer "meetnetten" has no Identifier/AuthorityURL and the DWD WFS no SpatialDataSetIdentifier.
  expect(got('XG5')).toEqual([]);
  // None is a Thuringian record: DOV names its area by the geographic identifier "Vlaanderen", DWD by the place keyword
  // "Deutschland" (Germany's box covers Thüringen but does not lie within it), Komm.ONE's box lies in Baden-Württemberg;
  // none carries a 16… Regionalschlüssel.
  expect(got('U-1')).toEqual([]);
});

it('U-1 over the real records made Thuringian: the DOV record without an ARS, with an ARS as identifier or URN keyword, and with a 16… key outside the register', async () => {
  // The DOV record's real content with its extent moved into Thüringen (nothing else changed): it then lacks the key.
  const dov = input.geomis.records.find((r) => r.fileIdentifier === DOV)!;
  const box = { west: 10.9, east: 11.1, south: 50.9, north: 51.1 };
  const moved = { ...dov, bbox: box, bboxes: [box] };
  const erfurt = { ags: '16051000', ars: '160510000000', name: 'Erfurt, Stadt' }; // data/thueringen-gemeinden.csv
  const register = municipalityDirectory().all;
  expect(register.find((m) => m.ars === erfurt.ars)?.ags).toBe(erfurt.ags);
  const run = async (r: IsoRecord) => (await runChecks({ ...input, municipalities: [...register], geomis: { records: [r] } }, { rules: ['U-1'] })).findings;
  expect((await run(moved)).map((f) => f.subject)).toEqual([DOV]);
  expect(await run({ ...moved, geographicIdentifiers: [{ code: erfurt.ars, codeSpace: null }] })).toEqual([]);
  // The Destatis URN form as a keyword counts too.
  expect(await run({ ...moved, keywordGroups: [...moved.keywordGroups, { thesaurus: null, keywords: [{ text: `urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs:${erfurt.ars}`, href: null }] }] })).toEqual([]);
  // Unchanged bbox (Flanders) but a 16… key outside the register: Thuringian by its key, reported.
  const [f] = await run({ ...dov, geographicIdentifiers: [{ code: '160519999999', codeSpace: null }] });
  expect(f).toMatchObject({ rule: 'U-1', subject: DOV, severity: 'info', evidence: { values: [{ value: '160519999999', reason: 'not in the register' }] } });
});

it('the two real GeoNetwork service records (NGI view, ZAMG discovery) pass the new geo rules, as their documents show', async () => {
  const recs = records('csw/getrecords-iso-geonetwork-216matched-nextRecord85.owslib.xml');
  expect(recs.map((r) => `${r.fileIdentifier} ${r.service?.serviceType}`)).toEqual(['8dad9c98-0512-4845-a2bf-3ace1c93df6f view', 'eeae2de7-0a09-4b69-b7a0-0b6b20903fd5 discovery']);
  const { findings, outcomes } = await runChecks({ ...input, geomis: { records: recs }, geoproxy: { services: [] } }, { rules: ['R3', 'R7', 'R8', 'R10b', 'R11', 'R12', 'R13', 'R17'] });
  expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('evaluated'));
  // NGI: custodian products@ngi.be; creation 1993-03-29; view, tight, operatesOn → csw.geo.be GetRecordById; conformity
  // Anchor "COMMISSION REGULATION (EU) No 976/2009" of 2009-08-19; access block with the noLimitations Anchor, use block
  // otherRestrictions + text; transferOptions …?request=GetCapabilities&service=WMS.
  // ZAMG: pointOfContact inspire-md@zamg.ac.at; creation 2013-10-31; discovery (no operatesOn href needed), mixed;
  // "VERORDNUNG (EG) Nr. 976/2009" of 2009-10-20; noLimitations Anchor + ConditionsApplyingToAccessAndUse Anchor; CSW GetCapabilities.
  expect(findings).toEqual([]);
});

import { beforeEach, describe, expect, it } from 'vitest';
import { findMetadataElements, isIsoMetadata, mapIsoRecord, textOf, unionBBox, type IsoRecord } from '../../src/formats/iso19139/iso19139';
import { parseXml } from '../../src/upstreams/runtime/xml';
import { fixtureXml } from '../upstreams/geo-common/fixtures';

/**
 * ISO 19139 fields the portal shows that the record-level tests do not pin (docs/upstreams/geomis-csw.md §5 XPath
 * table): metadata language and character set, hierarchy level name, alternate titles, abstract, topic categories,
 * browse graphics, use limitations and security constraints, distributor, resolution, conformity pass values.
 * Recorded documents give the expected values (line numbers cited); small synthetic records cover the forms the
 * recorded ones do not contain.
 */

const record = (file: string): IsoRecord => mapIsoRecord(findMetadataElements(fixtureXml(file))[0])!;

const NSDECL = `xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:gmx="http://www.isotc211.org/2005/gmx"
  xmlns:srv="http://www.isotc211.org/2005/srv" xmlns:xlink="http://www.w3.org/1999/xlink"`;
const md = (body: string, ident = '') =>
  mapIsoRecord(
    parseXml(`<gmd:MD_Metadata ${NSDECL}><gmd:fileIdentifier><gco:CharacterString>sandbox-rec-1</gco:CharacterString></gmd:fileIdentifier>${body}
      <gmd:identificationInfo><gmd:MD_DataIdentification>${ident}</gmd:MD_DataIdentification></gmd:identificationInfo></gmd:MD_Metadata>`),
  )!;
const cs = (s: string) => `<gco:CharacterString>${s}</gco:CharacterString>`;

describe('recorded DWD dataset (dataset-dwd-rbsn.mrmap.xml)', () => {
  // Mapped in beforeEach, not in the describe body: Stryker activates a mutant after the test files are collected, so a
  // record mapped at collection time is never mapped by a mutant (docs/mutation-testing.md).
  let r: IsoRecord;
  beforeEach(() => {
    r = record('iso19139/dataset-dwd-rbsn.mrmap.xml');
  });

  it('language and character set as code-list values, hierarchy level name (lines 11-22), abstract (line 187), topic category (line 466)', () => {
    expect(r.language).toBe('ger');
    expect(r.characterSet).toBe('utf8');
    expect(r.hierarchyLevelName).toBe('DWD-Produkt');
    expect(r.parentIdentifier).toBeNull();
    expect(r.abstract).toBe('Messwerte der Windgeschwindigkeit an den DWD Stationen im Regional Basic Synoptic Network der WMO. Erweitert um weitere Stationen der Grundversorgung.');
    expect(r.topicCategories).toEqual(['climatologyMeteorologyAtmosphere']);
    expect(r.opendata).toBe(false);
  });

  it('use limitations of the resource constraints only (lines 404-415; the metadata constraints at line 662 are not the resource’s), security classification (line 455)', () => {
    expect(r.useLimitations).toEqual(['Nutzungsbedingungen: Es gelten keine Einschränkungen.']);
    expect(r.securityConstraints).toEqual([{ classification: 'unclassified', userNote: null, classificationSystem: null, handlingDescription: null }]);
    // line 398 (intellectualPropertyRights) and line 417 (otherRestrictions)
    expect(r.useConstraints).toEqual(['intellectualPropertyRights', 'otherRestrictions']);
    expect(r.accessConstraints).toEqual(['otherRestrictions']);
    expect(r.otherConstraints.map((o) => o.text)).toEqual([
      expect.stringMatching(/^Nutzungsbedingungen: Es gilt die Verordnung zur Festlegung der Nutzungsbestimmungen/),
      'Zugriffseinschränkungen: Es gelten keine Bedingungen.',
    ]);
    // neither text is the GDI-DE licence JSON
    expect(r.licence).toBeNull();
  });
});

describe('recorded DOV dataset (getrecordbyid-iso-geonetwork-dov.owslib.xml)', () => {
  // Mapped in beforeEach, not in the describe body: Stryker activates a mutant after the test files are collected, so a
  // record mapped at collection time is never mapped by a mutant (docs/mutation-testing.md).
  let r: IsoRecord;
  beforeEach(() => {
    r = record('csw/getrecordbyid-iso-geonetwork-dov.owslib.xml');
  });

  it('alternate title (line 121), nil parent identifier (lines 13-15), browse graphics (lines 261, 274), distributor (lines 593-650)', () => {
    expect(r.language).toBe('dut');
    expect(r.characterSet).toBe('utf8');
    expect(r.hierarchyLevelName).toBe('dataset');
    expect(r.parentIdentifier).toBeNull();
    expect(r.alternateTitles).toEqual(['Grondwatermeetnetten beschikbaar op DOV']);
    expect(r.topicCategories).toEqual(['geoscientificInformation']);
    expect(r.browseGraphics).toEqual([
      'https://www.dov.vlaanderen.be/geonetwork/srv/eng/resources.get?uuid=6c39d716-aecc-4fbc-bac8-4f05a49a78d5&fname=meetnet2_s.png',
      'https://www.dov.vlaanderen.be/geonetwork/srv/eng/resources.get?uuid=6c39d716-aecc-4fbc-bac8-4f05a49a78d5&fname=meetnet2.png',
    ]);
    expect(r.distributors).toEqual([
      {
        contact: { organisationName: 'Databank Ondergrond Vlaanderen (DOV)', individualName: null, email: 'dov@vlaanderen.be', role: 'distributor' },
        fees: 'Gratis',
        orderingInstructions: null,
        turnaround: null,
      },
    ]);
  });
});

describe('forms the recorded records do not contain', () => {
  it('language as free text; parent identifier; security constraint in full; use limitation of a plain MD_Constraints; ordering terms', () => {
    const r = md(
      `<gmd:language>${cs('deu')}</gmd:language><gmd:parentIdentifier>${cs('sandbox-series-1')}</gmd:parentIdentifier>
       <gmd:distributionInfo><gmd:MD_Distribution><gmd:distributor><gmd:MD_Distributor>
         <gmd:distributionOrderProcess><gmd:MD_StandardOrderProcess><gmd:fees>${cs('10 EUR')}</gmd:fees>
           <gmd:orderingInstructions>${cs('per E-Mail')}</gmd:orderingInstructions><gmd:turnaround>${cs('5 Tage')}</gmd:turnaround>
         </gmd:MD_StandardOrderProcess></gmd:distributionOrderProcess></gmd:MD_Distributor></gmd:distributor></gmd:MD_Distribution></gmd:distributionInfo>`,
      `<gmd:resourceConstraints><gmd:MD_Constraints><gmd:useLimitation>${cs('nur intern')}</gmd:useLimitation><gmd:useLimitation>${cs('')}</gmd:useLimitation></gmd:MD_Constraints></gmd:resourceConstraints>
       <gmd:resourceConstraints><gmd:MD_SecurityConstraints><gmd:useLimitation>${cs('VS-NfD')}</gmd:useLimitation>
         <gmd:classification><gmd:MD_ClassificationCode codeListValue="restricted"/></gmd:classification>
         <gmd:userNote>${cs('Weitergabe untersagt')}</gmd:userNote><gmd:classificationSystem>${cs('VSA')}</gmd:classificationSystem>
         <gmd:handlingDescription>${cs('verschlossen')}</gmd:handlingDescription></gmd:MD_SecurityConstraints></gmd:resourceConstraints>
       <gmd:resourceConstraints/>`,
    );
    expect(r.language).toBe('deu');
    expect(r.parentIdentifier).toBe('sandbox-series-1');
    expect(r.useLimitations).toEqual(['nur intern', 'VS-NfD']);
    expect(r.securityConstraints).toEqual([{ classification: 'restricted', userNote: 'Weitergabe untersagt', classificationSystem: 'VSA', handlingDescription: 'verschlossen' }]);
    expect(r.distributors).toEqual([{ contact: null, fees: '10 EUR', orderingInstructions: 'per E-Mail', turnaround: '5 Tage' }]);
    expect(r.onlineResources).toEqual([]);
  });

  it('properties with gco:nilReason or empty content (ISO/TS 19139 gco:nilReason: the property has no value) are no entries', () => {
    const nil = (name: string) => `<gmd:${name} gco:nilReason="missing"/>`;
    const r = md(
      `<gmd:distributionInfo><gmd:MD_Distribution>
         <gmd:distributionFormat><gmd:MD_Format>${nil('name')}${nil('version')}</gmd:MD_Format></gmd:distributionFormat>
         <gmd:distributionFormat><gmd:MD_Format><gmd:name>${cs('GML')}</gmd:name>${nil('version')}</gmd:MD_Format></gmd:distributionFormat>
         <gmd:transferOptions><gmd:MD_DigitalTransferOptions>
           <gmd:onLine><gmd:CI_OnlineResource>${nil('linkage')}<gmd:name>${cs('ohne Adresse')}</gmd:name></gmd:CI_OnlineResource></gmd:onLine>
         </gmd:MD_DigitalTransferOptions></gmd:transferOptions></gmd:MD_Distribution></gmd:distributionInfo>`,
      `<gmd:citation><gmd:CI_Citation><gmd:title>${cs('Titel')}</gmd:title>
         <gmd:date><gmd:CI_Date>${nil('date')}<gmd:dateType><gmd:CI_DateTypeCode codeListValue="creation"/></gmd:dateType></gmd:CI_Date></gmd:date>
         <gmd:identifier><gmd:MD_Identifier>${nil('code')}</gmd:MD_Identifier></gmd:identifier>${nil('identifier')}
       </gmd:CI_Citation></gmd:citation>
       <gmd:descriptiveKeywords><gmd:MD_Keywords>${nil('keyword')}<gmd:keyword>${cs('')}</gmd:keyword><gmd:keyword>${cs('Boden')}</gmd:keyword>
         <gmd:keyword>${cs('opendata')}</gmd:keyword></gmd:MD_Keywords></gmd:descriptiveKeywords>
       <gmd:resourceConstraints><gmd:MD_LegalConstraints>${nil('useLimitation')}${nil('accessConstraints')}${nil('useConstraints')}</gmd:MD_LegalConstraints></gmd:resourceConstraints>
       <gmd:graphicOverview><gmd:MD_BrowseGraphic>${nil('fileName')}</gmd:MD_BrowseGraphic></gmd:graphicOverview>
       <gmd:topicCategory><gmd:MD_TopicCategoryCode></gmd:MD_TopicCategoryCode></gmd:topicCategory>`,
    );
    expect(r.title).toBe('Titel');
    expect(r.dates).toEqual([]);
    expect(r.resourceIdentifiers).toEqual([]);
    // the nil and the empty keyword are dropped; 'opendata' among other keywords of a group without thesaurus counts
    expect(r.keywordGroups).toEqual([{ thesaurus: null, keywords: [{ text: 'Boden', href: null }, { text: 'opendata', href: null }] }]);
    expect(r.opendata).toBe(true);
    expect(r.accessConstraints).toEqual([]);
    expect(r.useConstraints).toEqual([]);
    expect(r.useLimitations).toEqual([]);
    expect(r.legalConstraints).toEqual([{ accessConstraints: [], useConstraints: [], otherConstraints: [], useLimitations: [] }]);
    expect(r.browseGraphics).toEqual([]);
    expect(r.topicCategories).toEqual([]);
    expect(r.onlineResources).toEqual([]);
    expect(r.distributionFormats).toEqual([{ name: 'GML', version: null }]);
  });

  it('opendata only in a group without thesaurus; an INSPIRE theme by its register URI under any thesaurus', () => {
    const r = md(
      '',
      `<gmd:descriptiveKeywords><gmd:MD_Keywords><gmd:keyword>${cs('opendata')}</gmd:keyword>
         <gmd:thesaurusName><gmd:CI_Citation><gmd:title>${cs('GDI-DE Schlagwörter')}</gmd:title></gmd:CI_Citation></gmd:thesaurusName></gmd:MD_Keywords></gmd:descriptiveKeywords>
       <gmd:descriptiveKeywords><gmd:MD_Keywords>
         <gmd:keyword><gmx:Anchor xlink:href="http://inspire.ec.europa.eu/theme/hy">Hydrografie</gmx:Anchor></gmd:keyword>
         <gmd:keyword><gmx:Anchor xlink:href="https://example.org/inspire.ec.europa.eu/theme/">Sandbox</gmx:Anchor></gmd:keyword>
         <gmd:thesaurusName><gmd:CI_Citation><gmd:title>${cs('Sandbox-Thesaurus')}</gmd:title></gmd:CI_Citation></gmd:thesaurusName></gmd:MD_Keywords></gmd:descriptiveKeywords>`,
    );
    expect(r.opendata).toBe(false);
    expect(r.inspireThemes).toEqual([{ text: 'Hydrografie', href: 'http://inspire.ec.europa.eu/theme/hy' }]);
  });

  it('conformity pass: true/1, false/0, anything else (or nil) not evaluated', () => {
    const report = (pass: string) =>
      `<gmd:report><gmd:DQ_DomainConsistency><gmd:result><gmd:DQ_ConformanceResult>
         <gmd:specification><gmd:CI_Citation><gmd:title>${cs('Spec')}</gmd:title></gmd:CI_Citation></gmd:specification>
         <gmd:explanation>${cs('siehe Spezifikation')}</gmd:explanation>${pass}</gmd:DQ_ConformanceResult></gmd:result></gmd:DQ_DomainConsistency></gmd:report>`;
    const r = md(
      `<gmd:dataQualityInfo><gmd:DQ_DataQuality>${['true', '1', 'false', '0', 'yes']
        .map((b) => report(`<gmd:pass><gco:Boolean>${b}</gco:Boolean></gmd:pass>`))
        .join('')}${report('<gmd:pass gco:nilReason="unknown"/>')}
       <gmd:lineage><gmd:LI_Lineage><gmd:statement>${cs('')}</gmd:statement></gmd:LI_Lineage></gmd:lineage></gmd:DQ_DataQuality>
       <gmd:DQ_DataQuality><gmd:lineage><gmd:LI_Lineage><gmd:statement>${cs('aus Katasterdaten')}</gmd:statement></gmd:LI_Lineage></gmd:lineage></gmd:DQ_DataQuality></gmd:dataQualityInfo>`,
    );
    expect(r.conformity.map((c) => c.pass)).toEqual([true, true, false, false, null, null]);
    expect(r.conformity[0]).toEqual({ title: 'Spec', date: null, explanation: 'siehe Spezifikation', pass: true });
    // the first non-empty lineage statement of any quality section
    expect(r.lineage).toBe('aus Katasterdaten');
  });

  it('resolution as a distance with unit; decimal commas; a bounding box missing a side is no box; several boxes are united', () => {
    const box = (w: string, e: string, s: string, n: string | null) =>
      `<gmd:geographicElement><gmd:EX_GeographicBoundingBox>
         <gmd:westBoundLongitude><gco:Decimal>${w}</gco:Decimal></gmd:westBoundLongitude><gmd:eastBoundLongitude><gco:Decimal>${e}</gco:Decimal></gmd:eastBoundLongitude>
         <gmd:southBoundLatitude><gco:Decimal>${s}</gco:Decimal></gmd:southBoundLatitude>${n === null ? '' : `<gmd:northBoundLatitude><gco:Decimal>${n}</gco:Decimal></gmd:northBoundLatitude>`}
       </gmd:EX_GeographicBoundingBox></gmd:geographicElement>`;
    const r = md(
      '',
      `<gmd:spatialResolution><gmd:MD_Resolution><gmd:distance><gco:Distance uom="m">0,5</gco:Distance></gmd:distance></gmd:MD_Resolution></gmd:spatialResolution>
       <gmd:extent><gmd:EX_Extent>${box('10,5', '11', '50', '51')}${box('9.8', '10.9', '50.2', '51.7')}${box('1', '2', '3', null)}${box('x', '2', '3', '4')}</gmd:EX_Extent></gmd:extent>`,
    );
    expect(r.spatialResolution).toEqual({ denominator: null, distance: 0.5, uom: 'm' });
    expect(r.bboxes).toEqual([
      { west: 10.5, east: 11, south: 50, north: 51 },
      { west: 9.8, east: 10.9, south: 50.2, north: 51.7 },
    ]);
    expect(r.bbox).toEqual({ west: 9.8, east: 11, south: 50, north: 51.7 });
    expect(md('', '<gmd:spatialResolution><gmd:MD_Resolution/></gmd:spatialResolution>').spatialResolution).toBeNull();
    expect(md('', '').bbox).toBeNull();
    expect(md('', '').temporalExtent).toBeNull();
  });

  it('service: operations with several DCPs and URLs, operatesOn by uuidref or href, titles; a data identification is no service', () => {
    const r = mapIsoRecord(
      parseXml(`<gmd:MD_Metadata ${NSDECL}><gmd:fileIdentifier>${cs('sandbox-svc-1')}</gmd:fileIdentifier>
        <gmd:identificationInfo><srv:SV_ServiceIdentification>
          <srv:serviceType>${cs('view')}</srv:serviceType>
          <srv:serviceTypeVersion>${cs('OGC:WMS 1.3.0')}</srv:serviceTypeVersion><srv:serviceTypeVersion>${cs('')}</srv:serviceTypeVersion>
          <srv:couplingType><srv:SV_CouplingType codeListValue="loose"/></srv:couplingType>
          <srv:containsOperations><srv:SV_OperationMetadata><srv:operationName>${cs('GetMap')}</srv:operationName>
            <srv:DCP><srv:DCPList codeListValue="WebServices"/></srv:DCP><srv:DCP><srv:DCPList codeListValue=""/></srv:DCP>
            <srv:connectPoint><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>https://sandbox.example/wms?</gmd:URL></gmd:linkage></gmd:CI_OnlineResource></srv:connectPoint>
            <srv:connectPoint><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>https://sandbox.example/wms2?</gmd:URL></gmd:linkage></gmd:CI_OnlineResource></srv:connectPoint>
          </srv:SV_OperationMetadata></srv:containsOperations>
          <srv:containsOperations><srv:SV_OperationMetadata/></srv:containsOperations>
          <srv:operatesOn uuidref=" ds-1 "/><srv:operatesOn xlink:href="https://sandbox.example/csw?id=ds-2" xlink:title=" Flurstücke "/><srv:operatesOn xlink:title="nur Titel"/>
        </srv:SV_ServiceIdentification></gmd:identificationInfo></gmd:MD_Metadata>`),
    )!;
    expect(r.service).toEqual({
      serviceType: 'view',
      serviceTypeVersions: ['OGC:WMS 1.3.0'],
      couplingType: 'loose',
      operations: [
        { name: 'GetMap', dcp: ['WebServices'], urls: ['https://sandbox.example/wms?', 'https://sandbox.example/wms2?'] },
        { name: '', dcp: [], urls: [] },
      ],
      operatesOn: [
        { uuidref: 'ds-1', href: null, title: null },
        { uuidref: null, href: 'https://sandbox.example/csw?id=ds-2', title: 'Flurstücke' },
      ],
    });
    expect(md('', '').service).toBeNull();
  });

  it('text values: CharacterString, Anchor (href kept, an href alone suffices), FileName; empty ones are no value', () => {
    const prop = (inner: string) => parseXml(`<gmd:p ${NSDECL}>${inner}</gmd:p>`);
    expect(textOf(prop(cs('Text')))).toEqual({ text: 'Text', href: null });
    expect(textOf(prop('<gmx:Anchor xlink:href=" https://registry.example/x ">Anker</gmx:Anchor>'))).toEqual({ text: 'Anker', href: 'https://registry.example/x' });
    expect(textOf(prop('<gmx:Anchor xlink:href="https://registry.example/y"/>'))).toEqual({ text: '', href: 'https://registry.example/y' });
    expect(textOf(prop('<gmx:FileName src="a.png">a.png</gmx:FileName>'))).toEqual({ text: 'a.png', href: null });
    expect(textOf(prop(`${cs('')}<gmx:Anchor>zweite Wahl</gmx:Anchor>`))).toEqual({ text: 'zweite Wahl', href: null });
    expect(textOf(prop(cs('  ')))).toBeNull();
    expect(textOf(prop('<gco:Decimal>5</gco:Decimal>'))).toBeNull();
    expect(textOf(undefined)).toBeNull();
  });

  it('a record without fileIdentifier is unaddressable: no record', () => {
    expect(mapIsoRecord(parseXml(`<gmd:MD_Metadata ${NSDECL}><gmd:fileIdentifier>${cs(' ')}</gmd:fileIdentifier></gmd:MD_Metadata>`))).toBeNull();
    expect(mapIsoRecord(parseXml(`<gmd:MD_Metadata ${NSDECL}/>`))).toBeNull();
  });
});

describe('finding metadata elements', () => {
  it('gmd:MD_Metadata and gmi:MI_Metadata at any depth, outermost first, not inside another record', () => {
    const doc = parseXml(`<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" ${NSDECL} xmlns:gmi="http://www.isotc211.org/2005/gmi">
      <csw:SearchResults><gmd:MD_Metadata><gmd:fileIdentifier>${cs('a')}</gmd:fileIdentifier><x><gmd:MD_Metadata/></x></gmd:MD_Metadata>
      <wrap><gmi:MI_Metadata><gmd:fileIdentifier>${cs('b')}</gmd:fileIdentifier></gmi:MI_Metadata></wrap>
      <gmi:MD_Metadata/><gmd:MI_Metadata/></csw:SearchResults></csw:GetRecordsResponse>`);
    const found = findMetadataElements(doc);
    expect(found.map((e) => `${e.local}:${mapIsoRecord(e)?.fileIdentifier}`)).toEqual(['MD_Metadata:a', 'MI_Metadata:b']);
    expect(isIsoMetadata(found[0])).toBe(true);
    expect(isIsoMetadata(doc)).toBe(false);
    expect(findMetadataElements(found[1])).toEqual([found[1]]);
  });

  it('union of boxes: the outermost sides; none is null', () => {
    expect(unionBBox([])).toBeNull();
    expect(unionBBox([{ west: 10, east: 12, south: 50, north: 51 }, { west: 11, east: 13, south: 49, north: 50.5 }])).toEqual({ west: 10, east: 13, south: 49, north: 51 });
  });
});

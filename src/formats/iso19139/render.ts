import { esc } from '../xml';
import { ARS_CODE_SPACE } from '../../reference/municipalities';
import type { BBox, GeoContact, GeoRecord, GeoText } from '../../sandbox/world/types';

/**
 * Renders a sandbox-world GeoRecord as GeoNetwork does (gmd:MD_Metadata, APISO schemaLocation,
 * geonet namespace declared, GML 3.2, Anchors for code-list values). Used by the GeoMIS sandbox only.
 */

export { esc };

const NS_DECL =
  'xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:srv="http://www.isotc211.org/2005/srv" ' +
  'xmlns:gmx="http://www.isotc211.org/2005/gmx" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
  'xmlns:geonet="http://www.fao.org/geonetwork" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xsi:schemaLocation="http://www.isotc211.org/2005/gmd http://schemas.opengis.net/csw/2.0.2/profiles/apiso/1.0.0/apiso.xsd"';

const CODELIST = 'http://standards.iso.org/iso/19139/resources/gmxCodelists.xml';

const cs = (s: string) => `<gco:CharacterString>${esc(s)}</gco:CharacterString>`;
const txt = (t: GeoText) => (t.href ? `<gmx:Anchor xlink:href="${esc(t.href)}">${esc(t.text)}</gmx:Anchor>` : cs(t.text));
const code = (list: string, value: string) => `<gmd:${list} codeList="${CODELIST}#${list}" codeListValue="${esc(value)}">${esc(value)}</gmd:${list}>`;
const date = (d: string) => (d.includes('T') ? `<gco:DateTime>${esc(d)}</gco:DateTime>` : `<gco:Date>${esc(d)}</gco:Date>`);

function party(c: GeoContact): string {
  return (
    `<gmd:CI_ResponsibleParty><gmd:organisationName>${cs(c.organisationName)}</gmd:organisationName>` +
    `<gmd:contactInfo><gmd:CI_Contact><gmd:address><gmd:CI_Address>` +
    (c.email ? `<gmd:electronicMailAddress>${cs(c.email)}</gmd:electronicMailAddress>` : '') +
    `</gmd:CI_Address></gmd:address></gmd:CI_Contact></gmd:contactInfo>` +
    `<gmd:role>${code('CI_RoleCode', c.role)}</gmd:role></gmd:CI_ResponsibleParty>`
  );
}

const dec = (n: number) => `<gco:Decimal>${n}</gco:Decimal>`;
/**
 * The extent: bbox, the Regionalschlüssel of the covered area as an EX_GeographicDescription (RS_Identifier with the
 * Destatis code space — the form conformance rule U-1 reads; GDI-DE convention, docs/conformance-rules.md §F) and the
 * temporal extent.
 */
function extent(bbox: BBox | null, areaArs: string | null, temporal: GeoRecord['temporalExtent'], prefix: 'gmd' | 'srv'): string {
  if (!bbox && !areaArs && !temporal) return '';
  return (
    `<${prefix}:extent><gmd:EX_Extent>` +
    (areaArs
      ? `<gmd:geographicElement><gmd:EX_GeographicDescription><gmd:geographicIdentifier><gmd:RS_Identifier><gmd:code>${cs(areaArs)}</gmd:code>` +
        `<gmd:codeSpace>${cs(ARS_CODE_SPACE)}</gmd:codeSpace></gmd:RS_Identifier></gmd:geographicIdentifier></gmd:EX_GeographicDescription></gmd:geographicElement>`
      : '') +
    (bbox
      ? `<gmd:geographicElement><gmd:EX_GeographicBoundingBox><gmd:westBoundLongitude>${dec(bbox.west)}</gmd:westBoundLongitude>` +
        `<gmd:eastBoundLongitude>${dec(bbox.east)}</gmd:eastBoundLongitude><gmd:southBoundLatitude>${dec(bbox.south)}</gmd:southBoundLatitude>` +
        `<gmd:northBoundLatitude>${dec(bbox.north)}</gmd:northBoundLatitude></gmd:EX_GeographicBoundingBox></gmd:geographicElement>`
      : '') +
    (temporal
      ? `<gmd:temporalElement><gmd:EX_TemporalExtent><gmd:extent><gml:TimePeriod gml:id="tp1"><gml:beginPosition>${esc(temporal.begin)}</gml:beginPosition>` +
        (temporal.end ? `<gml:endPosition>${esc(temporal.end)}</gml:endPosition>` : '<gml:endPosition indeterminatePosition="now"/>') +
        `</gml:TimePeriod></gmd:extent></gmd:EX_TemporalExtent></gmd:temporalElement>`
      : '') +
    `</gmd:EX_Extent></${prefix}:extent>`
  );
}

/** `rebase` maps world URLs (sandbox origins) to the listening addresses. */
export function renderIsoRecord(r: GeoRecord, rebase: (url: string) => string = (u) => u): string {
  const svc = r.service;
  const idEl = svc ? 'srv:SV_ServiceIdentification' : 'gmd:MD_DataIdentification';
  const citation =
    `<gmd:citation><gmd:CI_Citation><gmd:title>${cs(r.title)}</gmd:title>` +
    (r.alternateTitle ? `<gmd:alternateTitle>${cs(r.alternateTitle)}</gmd:alternateTitle>` : '') +
    r.dates.map((d) => `<gmd:date><gmd:CI_Date><gmd:date>${date(d.date)}</gmd:date><gmd:dateType>${code('CI_DateTypeCode', d.type)}</gmd:dateType></gmd:CI_Date></gmd:date>`).join('') +
    (r.resourceIdentifier
      ? `<gmd:identifier><gmd:MD_Identifier><gmd:code>${cs(r.resourceIdentifier.code)}</gmd:code>` +
        (r.resourceIdentifier.codeSpace ? `<gmd:codeSpace>${cs(r.resourceIdentifier.codeSpace)}</gmd:codeSpace>` : '') +
        `</gmd:MD_Identifier></gmd:identifier>`
      : '') +
    `</gmd:CI_Citation></gmd:citation>`;
  const keywords = r.keywords
    .map(
      (g) =>
        `<gmd:descriptiveKeywords><gmd:MD_Keywords>${g.keywords.map((k) => `<gmd:keyword>${txt(k)}</gmd:keyword>`).join('')}` +
        (g.thesaurus
          ? `<gmd:thesaurusName><gmd:CI_Citation><gmd:title>${cs(g.thesaurus.title)}</gmd:title><gmd:date><gmd:CI_Date><gmd:date>${date(g.thesaurus.date)}</gmd:date>` +
            `<gmd:dateType>${code('CI_DateTypeCode', g.thesaurus.dateType)}</gmd:dateType></gmd:CI_Date></gmd:date></gmd:CI_Citation></gmd:thesaurusName>`
          : '') +
        `</gmd:MD_Keywords></gmd:descriptiveKeywords>`,
    )
    .join('');
  const constraints =
    `<gmd:resourceConstraints><gmd:MD_LegalConstraints>` +
    r.accessConstraints.map((c) => `<gmd:accessConstraints>${code('MD_RestrictionCode', c)}</gmd:accessConstraints>`).join('') +
    r.useConstraints.map((c) => `<gmd:useConstraints>${code('MD_RestrictionCode', c)}</gmd:useConstraints>`).join('') +
    r.otherConstraints.map((c) => `<gmd:otherConstraints>${txt(c)}</gmd:otherConstraints>`).join('') +
    `</gmd:MD_LegalConstraints></gmd:resourceConstraints>`;
  const resolution = r.spatialResolutionDenominator
    ? `<gmd:spatialResolution><gmd:MD_Resolution><gmd:equivalentScale><gmd:MD_RepresentativeFraction><gmd:denominator><gco:Integer>${r.spatialResolutionDenominator}</gco:Integer></gmd:denominator></gmd:MD_RepresentativeFraction></gmd:equivalentScale></gmd:MD_Resolution></gmd:spatialResolution>`
    : '';
  const service = svc
    ? `<srv:serviceType><gco:LocalName>${esc(svc.serviceType)}</gco:LocalName></srv:serviceType>` +
      svc.serviceTypeVersions.map((v) => `<srv:serviceTypeVersion>${cs(v)}</srv:serviceTypeVersion>`).join('') +
      extent(r.bbox, r.areaArs, r.temporalExtent, 'srv') +
      `<srv:couplingType><srv:SV_CouplingType codeList="${CODELIST}#SV_CouplingType" codeListValue="${svc.couplingType}">${svc.couplingType}</srv:SV_CouplingType></srv:couplingType>` +
      svc.operations
        .map(
          (o) =>
            `<srv:containsOperations><srv:SV_OperationMetadata><srv:operationName>${cs(o.name)}</srv:operationName>` +
            `<srv:DCP><srv:DCPList codeList="${CODELIST}#DCPList" codeListValue="${o.dcp}">${o.dcp}</srv:DCPList></srv:DCP>` +
            `<srv:connectPoint><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>${esc(rebase(o.url))}</gmd:URL></gmd:linkage></gmd:CI_OnlineResource></srv:connectPoint>` +
            `</srv:SV_OperationMetadata></srv:containsOperations>`,
        )
        .join('') +
      svc.operatesOn.map((o) => `<srv:operatesOn uuidref="${esc(o.uuidref)}"${o.href ? ` xlink:href="${esc(rebase(o.href))}"` : ''} xlink:title="${esc(o.title)}"/>`).join('')
    : '';
  const identification =
    `<gmd:identificationInfo><${idEl}>${citation}<gmd:abstract>${cs(r.abstract)}</gmd:abstract>` +
    `<gmd:pointOfContact>${party(r.pointOfContact)}</gmd:pointOfContact>${keywords}${constraints}` +
    (svc ? service : `${resolution}<gmd:language><gmd:LanguageCode codeList="http://www.loc.gov/standards/iso639-2/" codeListValue="ger">ger</gmd:LanguageCode></gmd:language>` +
      r.topicCategories.map((t) => `<gmd:topicCategory><gmd:MD_TopicCategoryCode>${esc(t)}</gmd:MD_TopicCategoryCode></gmd:topicCategory>`).join('') +
      extent(r.bbox, r.areaArs, r.temporalExtent, 'gmd')) +
    `</${idEl}></gmd:identificationInfo>`;
  const distribution =
    r.onlineResources.length || r.distributionFormats.length
      ? `<gmd:distributionInfo><gmd:MD_Distribution>` +
        r.distributionFormats.map((f) => `<gmd:distributionFormat><gmd:MD_Format><gmd:name>${cs(f.name)}</gmd:name><gmd:version>${cs(f.version)}</gmd:version></gmd:MD_Format></gmd:distributionFormat>`).join('') +
        `<gmd:transferOptions><gmd:MD_DigitalTransferOptions>` +
        r.onlineResources
          .map(
            (o) =>
              `<gmd:onLine><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>${esc(rebase(o.url))}</gmd:URL></gmd:linkage><gmd:protocol>${cs(o.protocol)}</gmd:protocol>` +
              (o.applicationProfile ? `<gmd:applicationProfile>${cs(o.applicationProfile)}</gmd:applicationProfile>` : '') +
              `<gmd:name>${cs(o.name)}</gmd:name><gmd:description>${cs(o.description)}</gmd:description>` +
              (o.function ? `<gmd:function>${code('CI_OnLineFunctionCode', o.function)}</gmd:function>` : '') +
              `</gmd:CI_OnlineResource></gmd:onLine>`,
          )
          .join('') +
        `</gmd:MD_DigitalTransferOptions></gmd:transferOptions></gmd:MD_Distribution></gmd:distributionInfo>`
      : '';
  const quality =
    r.conformity.length || r.lineage
      ? `<gmd:dataQualityInfo><gmd:DQ_DataQuality><gmd:scope><gmd:DQ_Scope><gmd:level>${code('MD_ScopeCode', r.hierarchyLevel)}</gmd:level></gmd:DQ_Scope></gmd:scope>` +
        r.conformity
          .map(
            (c) =>
              `<gmd:report><gmd:DQ_DomainConsistency><gmd:result><gmd:DQ_ConformanceResult><gmd:specification><gmd:CI_Citation><gmd:title>${cs(c.title)}</gmd:title>` +
              `<gmd:date><gmd:CI_Date><gmd:date>${date(c.date)}</gmd:date><gmd:dateType>${code('CI_DateTypeCode', 'publication')}</gmd:dateType></gmd:CI_Date></gmd:date></gmd:CI_Citation></gmd:specification>` +
              `<gmd:explanation>${cs('siehe referenzierte Spezifikation')}</gmd:explanation>` +
              (c.pass === null ? '<gmd:pass gco:nilReason="unknown"/>' : `<gmd:pass><gco:Boolean>${c.pass}</gco:Boolean></gmd:pass>`) +
              `</gmd:DQ_ConformanceResult></gmd:result></gmd:DQ_DomainConsistency></gmd:report>`,
          )
          .join('') +
        (r.lineage ? `<gmd:lineage><gmd:LI_Lineage><gmd:statement>${cs(r.lineage)}</gmd:statement></gmd:LI_Lineage></gmd:lineage>` : '') +
        `</gmd:DQ_DataQuality></gmd:dataQualityInfo>`
      : '';
  return (
    `<gmd:MD_Metadata ${NS_DECL}>` +
    `<gmd:fileIdentifier>${cs(r.fileIdentifier)}</gmd:fileIdentifier>` +
    `<gmd:language><gmd:LanguageCode codeList="http://www.loc.gov/standards/iso639-2/" codeListValue="${r.language}">${r.language}</gmd:LanguageCode></gmd:language>` +
    `<gmd:characterSet>${code('MD_CharacterSetCode', r.characterSet)}</gmd:characterSet>` +
    (r.parentIdentifier ? `<gmd:parentIdentifier>${cs(r.parentIdentifier)}</gmd:parentIdentifier>` : '') +
    `<gmd:hierarchyLevel>${code('MD_ScopeCode', r.hierarchyLevel)}</gmd:hierarchyLevel>` +
    (r.hierarchyLevelName ? `<gmd:hierarchyLevelName>${cs(r.hierarchyLevelName)}</gmd:hierarchyLevelName>` : '') +
    `<gmd:contact>${party(r.metadataContact)}</gmd:contact>` +
    `<gmd:dateStamp>${date(r.dateStamp)}</gmd:dateStamp>` +
    `<gmd:metadataStandardName>${cs('ISO 19115:2003/19139')}</gmd:metadataStandardName><gmd:metadataStandardVersion>${cs('1.0')}</gmd:metadataStandardVersion>` +
    r.crs.map((c) => `<gmd:referenceSystemInfo><gmd:MD_ReferenceSystem><gmd:referenceSystemIdentifier><gmd:RS_Identifier><gmd:code>${txt(c)}</gmd:code></gmd:RS_Identifier></gmd:referenceSystemIdentifier></gmd:MD_ReferenceSystem></gmd:referenceSystemInfo>`).join('') +
    identification +
    distribution +
    quality +
    `<geonet:info><uuid>${esc(r.fileIdentifier)}</uuid></geonet:info>` +
    `</gmd:MD_Metadata>`
  );
}

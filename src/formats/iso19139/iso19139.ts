import type { NsMap, XmlElement } from '../../upstreams/runtime/xml';

/**
 * ISO 19139 (gmd:MD_Metadata) → plain JSON record, following the XPath table of docs/upstreams/geomis-csw.md §5.
 * Tolerant by design: every text value may be gco:CharacterString or gmx:Anchor (the Anchor href is
 * kept), dates may be gco:Date or gco:DateTime (precision kept), GML may be 3.1.1 or 3.2, services
 * carry their extent in srv:extent, and GeoNetwork's geonet:* additions are ignored.
 */

export const ISO_NS = {
  gmd: 'http://www.isotc211.org/2005/gmd',
  gco: 'http://www.isotc211.org/2005/gco',
  srv: 'http://www.isotc211.org/2005/srv',
  gmx: 'http://www.isotc211.org/2005/gmx',
  gmi: 'http://www.isotc211.org/2005/gmi',
  xlink: 'http://www.w3.org/1999/xlink',
} as const satisfies NsMap;

export const INSPIRE_THEME_THESAURUS_TITLE = 'GEMET - INSPIRE themes, version 1.0';
export const INSPIRE_THEME_PREFIX = 'http://inspire.ec.europa.eu/theme/';

export interface IsoText {
  text: string;
  /** xlink:href of a gmx:Anchor (a code-list or register URI); null for gco:CharacterString. */
  href: string | null;
}

export interface IsoBBox {
  west: number;
  east: number;
  south: number;
  north: number;
}

export interface IsoContact {
  organisationName: string | null;
  individualName: string | null;
  email: string | null;
  role: string | null;
}

export interface IsoKeywordGroup {
  thesaurus: IsoText | null;
  keywords: IsoText[];
}

export interface IsoOnlineResource {
  url: string;
  protocol: string | null;
  name: string | null;
  description: string | null;
  function: string | null;
  applicationProfile: string | null;
}

export interface IsoOperatesOn {
  uuidref: string | null;
  href: string | null;
  title: string | null;
}

export interface IsoServiceInfo {
  serviceType: string | null;
  serviceTypeVersions: string[];
  couplingType: string | null;
  operations: { name: string; dcp: string[]; urls: string[] }[];
  operatesOn: IsoOperatesOn[];
}

export interface IsoConformity {
  title: string | null;
  date: string | null;
  explanation: string | null;
  /** true/false; null when nil (not evaluated). */
  pass: boolean | null;
}

export interface IsoLicence {
  id: string | null;
  name: string | null;
  url: string | null;
  quelle: string | null;
}

/** MD_SecurityConstraints (ISO 19115 B.2.3): classification is an MD_ClassificationCode (unclassified, restricted, …). */
export interface IsoSecurityConstraint {
  classification: string | null;
  userNote: string | null;
  classificationSystem: string | null;
  handlingDescription: string | null;
}

/**
 * One gmd:MD_LegalConstraints block as written (INSPIRE TG MD 2.0 §2.3.6/2.3.7 tell access and use conditions apart by the
 * block they are in: the conformance rule R13 needs the grouping that the flat accessConstraints/otherConstraints lose).
 */
export interface IsoLegalConstraints {
  accessConstraints: string[];
  useConstraints: string[];
  otherConstraints: IsoText[];
  useLimitations: string[];
}

/** MD_Distributor: who distributes the resource and on which terms (MD_StandardOrderProcess). */
export interface IsoDistributor {
  contact: IsoContact | null;
  fees: string | null;
  orderingInstructions: string | null;
  turnaround: string | null;
}

export interface IsoRecord {
  fileIdentifier: string;
  language: string | null;
  characterSet: string | null;
  parentIdentifier: string | null;
  /** hierarchyLevel: dataset, series, service, … */
  type: string | null;
  hierarchyLevelName: string | null;
  /** As written (date or date-time). */
  dateStamp: string | null;
  metadataContacts: IsoContact[];
  title: string | null;
  alternateTitles: string[];
  abstract: string | null;
  dates: { date: string; type: string | null }[];
  resourceIdentifiers: { code: string; codeSpace: string | null }[];
  pointsOfContact: IsoContact[];
  keywordGroups: IsoKeywordGroup[];
  inspireThemes: IsoText[];
  /** GDI-DE convention: keyword `opendata` in a group without thesaurus. */
  opendata: boolean;
  topicCategories: string[];
  /** Union of all geographic bounding boxes (gmd:extent for datasets, srv:extent for services). */
  bbox: IsoBBox | null;
  bboxes: IsoBBox[];
  temporalExtent: { begin: string | null; end: string | null } | null;
  accessConstraints: string[];
  useConstraints: string[];
  otherConstraints: IsoText[];
  /** The GDI-DE licence JSON in otherConstraints, when present. */
  licence: IsoLicence | null;
  /** useLimitation texts of every resource constraint (MD_Constraints, MD_LegalConstraints, MD_SecurityConstraints). */
  useLimitations: string[];
  securityConstraints: IsoSecurityConstraint[];
  distributors: IsoDistributor[];
  crs: IsoText[];
  spatialResolution: { denominator: number | null; distance: number | null; uom: string | null } | null;
  service: IsoServiceInfo | null;
  onlineResources: IsoOnlineResource[];
  distributionFormats: { name: string; version: string | null }[];
  conformity: IsoConformity[];
  lineage: string | null;
  browseGraphics: string[];
  /**
   * Local name of the first `gmd:identificationInfo` child (`MD_DataIdentification`, `SV_ServiceIdentification`, …):
   * the conformance rule R3 compares it with hierarchyLevel. Optional because records stored before it was mapped lack it.
   */
  identificationType?: string | null;
  /** Every `srv:serviceType` value (ETS 3.5: exactly one); `service.serviceType` keeps the first. */
  serviceTypes?: string[];
  /** The MD_LegalConstraints blocks of the resource, one entry each (see IsoLegalConstraints). */
  legalConstraints?: IsoLegalConstraints[];
  /**
   * The `gmd:EX_GeographicDescription/gmd:geographicIdentifier` codes of the resource's extents (MD_Identifier or
   * RS_Identifier, ISO 19115 B.3.1.2): a place name (the recorded DOV record: "Vlaanderen") or a key such as the
   * Regionalschlüssel (conformance rule U-1). Optional because records stored before it was mapped lack it.
   */
  geographicIdentifiers?: IsoIdentifier[];
}

/** An MD_Identifier / RS_Identifier: a non-empty, trimmed code and its codeSpace (RS_Identifier only). */
export interface IsoIdentifier {
  code: string;
  codeSpace: string | null;
}

const N = ISO_NS;
const TEXT_ELEMENTS: [string, string][] = [
  [N.gco, 'CharacterString'],
  [N.gmx, 'Anchor'],
  [N.gmx, 'FileName'],
];

/** TXT of one property element: its gco:CharacterString or gmx:Anchor child. */
export function textOf(prop: XmlElement | undefined): IsoText | null {
  if (!prop) return null;
  for (const [ns, local] of TEXT_ELEMENTS) {
    const el = prop.child(ns, local);
    if (el) {
      const text = el.text();
      const href = el.attr('href', N.xlink)?.trim() || null;
      if (text || href) return { text, href };
    }
  }
  return null;
}

const str = (prop: XmlElement | undefined): string | null => textOf(prop)?.text || null;
const texts = (props: XmlElement[]): IsoText[] => props.map(textOf).filter((t): t is IsoText => t !== null && t.text !== '');
/** An MD_Identifier or RS_Identifier element; code '' when absent or blank (callers drop those). */
const identifierOf = (i: XmlElement): IsoIdentifier => ({ code: str(i.find('gmd:code', N))?.trim() ?? '', codeSpace: str(i.find('gmd:codeSpace', N))?.trim() || null });
const codeValue = (prop: XmlElement | undefined): string | null => {
  const code = prop?.elements[0];
  if (!code) return null;
  return code.attr('codeListValue')?.trim() || code.text() || null;
};

function dateOf(prop: XmlElement | undefined): string | null {
  if (!prop) return null;
  return prop.child(N.gco, 'DateTime')?.text() || prop.child(N.gco, 'Date')?.text() || null;
}

function numberOf(el: XmlElement | undefined): number | null {
  const raw = el?.text();
  if (!raw) return null;
  const n = Number(raw.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

function contactOf(party: XmlElement): IsoContact {
  return {
    organisationName: str(party.find('gmd:organisationName', N)),
    individualName: str(party.find('gmd:individualName', N)),
    email: str(party.find('gmd:contactInfo/gmd:CI_Contact/gmd:address/gmd:CI_Address/gmd:electronicMailAddress', N)),
    role: codeValue(party.find('gmd:role', N)),
  };
}

function bboxOf(el: XmlElement): IsoBBox | null {
  const v = (name: string) => numberOf(el.find(`gmd:${name}/gco:Decimal`, N) ?? el.find(`gmd:${name}`, N));
  const west = v('westBoundLongitude');
  const east = v('eastBoundLongitude');
  const south = v('southBoundLatitude');
  const north = v('northBoundLatitude');
  if (west === null || east === null || south === null || north === null) return null;
  return { west, east, south, north };
}

export function unionBBox(boxes: IsoBBox[]): IsoBBox | null {
  if (boxes.length === 0) return null;
  return {
    west: Math.min(...boxes.map((b) => b.west)),
    east: Math.max(...boxes.map((b) => b.east)),
    south: Math.min(...boxes.map((b) => b.south)),
    north: Math.max(...boxes.map((b) => b.north)),
  };
}

function parseLicence(other: IsoText[]): IsoLicence | null {
  for (const t of other) {
    const s = t.text.trim();
    if (!s.startsWith('{')) continue;
    try {
      const j = JSON.parse(s) as Record<string, unknown>;
      const f = (k: string) => (typeof j[k] === 'string' ? (j[k] as string) : null);
      if (f('id') || f('url')) return { id: f('id'), name: f('name'), url: f('url'), quelle: f('quelle') };
    } catch {
      // not the GDI-DE JSON form: stays a plain constraint text
    }
  }
  return null;
}

function serviceOf(id: XmlElement): IsoServiceInfo {
  const versions = id.findAll('srv:serviceTypeVersion', N).map((p) => str(p)).filter((s): s is string => !!s);
  return {
    serviceType: id.find('srv:serviceType/gco:LocalName', N)?.text() || str(id.find('srv:serviceType', N)),
    serviceTypeVersions: versions,
    couplingType: codeValue(id.find('srv:couplingType', N)),
    operations: id.findAll('srv:containsOperations/srv:SV_OperationMetadata', N).map((op) => ({
      name: str(op.find('srv:operationName', N)) ?? '',
      dcp: op.findAll('srv:DCP', N).map(codeValue).filter((s): s is string => !!s),
      urls: op.textsAt('srv:connectPoint/gmd:CI_OnlineResource/gmd:linkage/gmd:URL', N),
    })),
    operatesOn: id.findAll('srv:operatesOn', N).map((o) => ({
      uuidref: o.attr('uuidref')?.trim() || null,
      href: o.attr('href', N.xlink)?.trim() || null,
      title: o.attr('title', N.xlink)?.trim() || null,
    }))
      .filter((o) => o.uuidref !== null || o.href !== null),
  };
}

/** The gmd:MD_Metadata (or gmi:MI_Metadata) elements among `root` and its descendants, outermost first. */
export function findMetadataElements(root: XmlElement): XmlElement[] {
  const isMd = (e: XmlElement) => (e.ns === N.gmd && e.local === 'MD_Metadata') || (e.ns === N.gmi && e.local === 'MI_Metadata');
  if (isMd(root)) return [root];
  const out: XmlElement[] = [];
  const walk = (el: XmlElement) => {
    for (const c of el.elements) {
      if (isMd(c)) out.push(c);
      else walk(c);
    }
  };
  walk(root);
  return out;
}

export function isIsoMetadata(el: XmlElement): boolean {
  return findMetadataElements(el)[0] === el;
}

/** Maps one MD_Metadata element. Returns null when it has no fileIdentifier (unaddressable record). */
export function mapIsoRecord(md: XmlElement): IsoRecord | null {
  const fileIdentifier = str(md.find('gmd:fileIdentifier', N));
  if (!fileIdentifier) return null;
  const id = md.find('gmd:identificationInfo', N)?.elements[0];
  const citation = id?.find('gmd:citation/gmd:CI_Citation', N);
  const isService = id?.ns === N.srv;

  const keywordGroups: IsoKeywordGroup[] = (id?.findAll('gmd:descriptiveKeywords/gmd:MD_Keywords', N) ?? []).map((k) => ({
    thesaurus: textOf(k.find('gmd:thesaurusName/gmd:CI_Citation/gmd:title', N)),
    keywords: texts(k.findAll('gmd:keyword', N)),
  }));
  const inspireThemes = keywordGroups.flatMap((g) =>
    g.keywords.filter((kw) => g.thesaurus?.text === INSPIRE_THEME_THESAURUS_TITLE || kw.href?.startsWith(INSPIRE_THEME_PREFIX)),
  );
  const opendata = keywordGroups.some((g) => g.thesaurus === null && g.keywords.some((kw) => kw.text.toLowerCase() === 'opendata'));

  const extents = id ? [...id.findAll('gmd:extent/gmd:EX_Extent', N), ...id.findAll('srv:extent/gmd:EX_Extent', N)] : [];
  const bboxes = extents
    .flatMap((e) => e.findAll('gmd:geographicElement/gmd:EX_GeographicBoundingBox', N))
    .map(bboxOf)
    .filter((b): b is IsoBBox => b !== null);
  const geographicIdentifiers = extents
    .flatMap((e) => e.findAll('gmd:geographicElement/gmd:EX_GeographicDescription/gmd:geographicIdentifier', N))
    .map((g) => g.elements[0])
    .filter((i): i is XmlElement => !!i)
    .map(identifierOf)
    .filter((i) => i.code !== '');
  const period = extents.flatMap((e) => e.findAll('gmd:temporalElement/gmd:EX_TemporalExtent/gmd:extent/*:TimePeriod', N))[0];
  const position = (local: string) => {
    const el = period?.child('*', local);
    return el?.text() || el?.attr('indeterminatePosition') || null;
  };

  const legal = id?.findAll('gmd:resourceConstraints/gmd:MD_LegalConstraints', N) ?? [];
  const allConstraints = (id?.findAll('gmd:resourceConstraints', N) ?? []).map((c) => c.elements[0]).filter((c): c is XmlElement => !!c);
  const security = id?.findAll('gmd:resourceConstraints/gmd:MD_SecurityConstraints', N) ?? [];
  const otherConstraints = texts(legal.flatMap((l) => l.findAll('gmd:otherConstraints', N)));
  const resolution = id?.find('gmd:spatialResolution/gmd:MD_Resolution', N);
  const distance = resolution?.find('gmd:distance/gco:Distance', N);
  const denominator = numberOf(resolution?.find('gmd:equivalentScale/gmd:MD_RepresentativeFraction/gmd:denominator/gco:Integer', N));
  const distribution = md.findAll('gmd:distributionInfo/gmd:MD_Distribution', N);
  const quality = md.findAll('gmd:dataQualityInfo/gmd:DQ_DataQuality', N);

  return {
    fileIdentifier,
    language: codeValue(md.find('gmd:language', N)) ?? str(md.find('gmd:language', N)),
    characterSet: codeValue(md.find('gmd:characterSet', N)),
    parentIdentifier: str(md.find('gmd:parentIdentifier', N)),
    type: codeValue(md.find('gmd:hierarchyLevel', N)),
    hierarchyLevelName: str(md.find('gmd:hierarchyLevelName', N)),
    dateStamp: dateOf(md.find('gmd:dateStamp', N)),
    metadataContacts: md.findAll('gmd:contact/gmd:CI_ResponsibleParty', N).map(contactOf),
    title: str(citation?.find('gmd:title', N)),
    alternateTitles: texts(citation?.findAll('gmd:alternateTitle', N) ?? []).map((t) => t.text),
    abstract: str(id?.find('gmd:abstract', N)),
    dates: (citation?.findAll('gmd:date/gmd:CI_Date', N) ?? [])
      .map((d) => ({ date: dateOf(d.find('gmd:date', N)), type: codeValue(d.find('gmd:dateType', N)) }))
      .filter((d): d is { date: string; type: string | null } => d.date !== null),
    resourceIdentifiers: (citation?.findAll('gmd:identifier', N) ?? [])
      .map((i) => i.elements[0])
      .filter((i): i is XmlElement => !!i)
      .map(identifierOf)
      .filter((i) => i.code !== ''),
    pointsOfContact: (id?.findAll('gmd:pointOfContact/gmd:CI_ResponsibleParty', N) ?? []).map(contactOf),
    keywordGroups,
    inspireThemes,
    opendata,
    topicCategories: (id?.findAll('gmd:topicCategory/gmd:MD_TopicCategoryCode', N) ?? []).map((e) => e.text()).filter(Boolean),
    bbox: unionBBox(bboxes),
    bboxes,
    geographicIdentifiers,
    temporalExtent: period ? { begin: position('beginPosition'), end: position('endPosition') } : null,
    accessConstraints: legal.flatMap((l) => l.findAll('gmd:accessConstraints', N).map(codeValue)).filter((s): s is string => !!s),
    useConstraints: legal.flatMap((l) => l.findAll('gmd:useConstraints', N).map(codeValue)).filter((s): s is string => !!s),
    otherConstraints,
    licence: parseLicence(otherConstraints),
    useLimitations: allConstraints.flatMap((c) => c.findAll('gmd:useLimitation', N).map((u) => str(u))).filter((u): u is string => !!u),
    securityConstraints: security.map((c) => ({
      classification: codeValue(c.find('gmd:classification', N)),
      userNote: str(c.find('gmd:userNote', N)),
      classificationSystem: str(c.find('gmd:classificationSystem', N)),
      handlingDescription: str(c.find('gmd:handlingDescription', N)),
    })),
    distributors: distribution
      .flatMap((d) => d.findAll('gmd:distributor/gmd:MD_Distributor', N))
      .map((d) => {
        const party = d.find('gmd:distributorContact/gmd:CI_ResponsibleParty', N);
        const order = d.find('gmd:distributionOrderProcess/gmd:MD_StandardOrderProcess', N);
        return {
          contact: party ? contactOf(party) : null,
          fees: str(order?.find('gmd:fees', N)),
          orderingInstructions: str(order?.find('gmd:orderingInstructions', N)),
          turnaround: str(order?.find('gmd:turnaround', N)),
        };
      }),
    crs: texts(md.findAll('gmd:referenceSystemInfo/gmd:MD_ReferenceSystem/gmd:referenceSystemIdentifier/gmd:RS_Identifier/gmd:code', N)),
    spatialResolution:
      resolution && (denominator !== null || distance)
        ? { denominator, distance: numberOf(distance), uom: distance?.attr('uom') ?? null }
        : null,
    service: isService && id ? serviceOf(id) : null,
    onlineResources: distribution
      .flatMap((d) => d.findAll('gmd:transferOptions/gmd:MD_DigitalTransferOptions/gmd:onLine/gmd:CI_OnlineResource', N))
      .map((r) => ({
        url: r.textAt('gmd:linkage/gmd:URL', N) ?? '',
        protocol: str(r.find('gmd:protocol', N)),
        name: str(r.find('gmd:name', N)),
        description: str(r.find('gmd:description', N)),
        function: codeValue(r.find('gmd:function', N)),
        applicationProfile: str(r.find('gmd:applicationProfile', N)),
      }))
      .filter((r) => r.url !== ''),
    distributionFormats: distribution
      .flatMap((d) => d.findAll('gmd:distributionFormat/gmd:MD_Format', N))
      .map((f) => ({ name: str(f.find('gmd:name', N)) ?? '', version: str(f.find('gmd:version', N)) }))
      .filter((f) => f.name !== ''),
    conformity: quality
      .flatMap((q) => q.findAll('gmd:report/*/gmd:result/gmd:DQ_ConformanceResult', N))
      .map((c) => {
        const passEl = c.find('gmd:pass', N);
        const b = passEl?.child(N.gco, 'Boolean')?.text();
        return {
          title: str(c.find('gmd:specification/gmd:CI_Citation/gmd:title', N)),
          date: dateOf(c.find('gmd:specification/gmd:CI_Citation/gmd:date/gmd:CI_Date/gmd:date', N)),
          explanation: str(c.find('gmd:explanation', N)),
          pass: b === 'true' || b === '1' ? true : b === 'false' || b === '0' ? false : null,
        };
      }),
    lineage: quality.map((q) => str(q.find('gmd:lineage/gmd:LI_Lineage/gmd:statement', N))).find((s) => !!s) ?? null,
    browseGraphics: (id?.findAll('gmd:graphicOverview/gmd:MD_BrowseGraphic/gmd:fileName', N) ?? []).map((p) => str(p)).filter((s): s is string => !!s),
    identificationType: id?.local ?? null,
    serviceTypes: isService && id ? id.findAll('srv:serviceType', N).map((p) => p.find('gco:LocalName', N)?.text() || str(p)).filter((s): s is string => !!s) : [],
    legalConstraints: legal.map((l) => ({
      accessConstraints: l.findAll('gmd:accessConstraints', N).map(codeValue).filter((s): s is string => !!s),
      useConstraints: l.findAll('gmd:useConstraints', N).map(codeValue).filter((s): s is string => !!s),
      otherConstraints: texts(l.findAll('gmd:otherConstraints', N)),
      useLimitations: l.findAll('gmd:useLimitation', N).map((u) => str(u)).filter((u): u is string => !!u),
    })),
  };
}

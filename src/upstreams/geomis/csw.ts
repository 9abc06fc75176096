import { esc } from '../../formats/xml';
import type { XmlElement } from '../runtime/xml';
import { findMetadataElements, mapIsoRecord, type IsoBBox, type IsoRecord } from '../../formats/iso19139/iso19139';
import { readOwsServiceProvider, type OgcServiceProvider } from '../../formats/ogc/ows';

/**
 * CSW 2.0.2 protocol pieces (docs/upstreams/geomis-csw.md §2–§4): request bodies with OGC Filter 1.1.0 and the
 * parsers of Capabilities, GetRecordsResponse and GetRecordByIdResponse. No I/O here.
 */

export const CSW_NS = 'http://www.opengis.net/cat/csw/2.0.2';
export const OWS_NS = 'http://www.opengis.net/ows';
export const ISO_OUTPUT_SCHEMA = 'http://www.isotc211.org/2005/gmd';
export const CSW_OUTPUT_SCHEMA = CSW_NS;

export type RecordType = 'dataset' | 'series' | 'service';

export interface CswQuery {
  anyText?: string;
  title?: string;
  /** Each must match (apiso:Subject = keyword). */
  keywords?: string[];
  types?: RecordType[];
  serviceType?: string;
  organisationName?: string;
  /** WGS84 lon/lat. */
  bbox?: IsoBBox;
  /** apiso:Modified ≥ this ISO date. */
  modifiedSince?: string;
  /** Records listed as operating on any of these ids (apiso:OperatesOn). */
  operatesOn?: string[];
  /** Records with any of these resource identifiers or fileIdentifiers. */
  identifiers?: string[];
  /** Records with any of these fileIdentifiers (apiso:Identifier only). */
  fileIdentifiers?: string[];
  /** Records with any of these resource identifiers (apiso:ResourceIdentifier only). */
  resourceIdentifiers?: string[];
  /** At least one of these sub-queries must match (each sub-query's own conditions are And-ed). */
  anyOf?: CswQuery[];
}

export interface CswSort {
  property: 'Title' | 'Modified' | 'Identifier';
  order: 'ASC' | 'DESC';
}

export interface CswCapabilities {
  title: string | null;
  abstract: string | null;
  keywords: string[];
  fees: string | null;
  accessConstraints: string | null;
  provider: OgcServiceProvider | null;
  /** Records per GetRecords answer when maxRecords is not given (OperationsMetadata constraint). */
  maxRecordDefault: number | null;
  version: string | null;
  operations: string[];
  /** outputSchema values GetRecords accepts. */
  getRecordsOutputSchemas: string[];
  getRecordByIdOutputSchemas: string[];
  typeNames: string[];
  constraintLanguages: string[];
  /** apiso queryables the server names (SupportedISOQueryables + AdditionalQueryables), `apiso:` prefix kept. */
  queryables: string[];
  /** Filter_Capabilities spatial operators (BBOX, Intersects …). */
  spatialOperators: string[];
  comparisonOperators: string[];
  inspire: boolean;
}

export interface CswSearchPage {
  matched: number;
  returned: number;
  /** As sent by the server; 0 = no more records. */
  nextRecord: number;
  records: IsoRecord[];
  /** SearchResults/@recordSchema as sent (optional in CSW 2.0.2), null when absent. */
  recordSchema: string | null;
  /** Dublin Core records (csw:Record/BriefRecord/SummaryRecord) in the answer: another schema than ISO. */
  dublinCoreRecords: number;
}

/**
 * Why a GetRecords page cannot be taken as a page, or null when it can (docs/upstreams/geomis-csw.md §4).
 * `RECORD_SCHEMA_MISMATCH`: the answer is in another schema than requested (recordSchema or Dublin Core
 * records instead of gmd). `EMPTY_PAGE`: the server claims records at this position (returned > 0, or
 * matched reaches startPosition as in a hits-only answer) but the body carries none; a client paging on
 * such an answer would never move on.
 */
export function pageProblem(
  page: CswSearchPage,
  req: { outputSchema: string; startPosition: number; maxRecords: number },
): { reason: 'RECORD_SCHEMA_MISMATCH' | 'EMPTY_PAGE'; detail: string } | null {
  if (page.recordSchema !== null && page.recordSchema !== req.outputSchema) {
    return { reason: 'RECORD_SCHEMA_MISMATCH', detail: `recordSchema ${page.recordSchema}, requested ${req.outputSchema}` };
  }
  if (page.records.length === 0 && page.dublinCoreRecords > 0 && req.outputSchema !== CSW_OUTPUT_SCHEMA) {
    return { reason: 'RECORD_SCHEMA_MISMATCH', detail: `${page.dublinCoreRecords} Dublin Core records, requested ${req.outputSchema}` };
  }
  if (page.records.length === 0 && req.maxRecords > 0 && (page.returned > 0 || page.matched >= req.startPosition)) {
    return {
      reason: 'EMPTY_PAGE',
      detail: `numberOfRecordsMatched=${page.matched} numberOfRecordsReturned=${page.returned} nextRecord=${page.nextRecord} at startPosition ${req.startPosition}, no records in the body`,
    };
  }
  return null;
}

const prop = (name: string) => `<ogc:PropertyName>apiso:${name}</ogc:PropertyName>`;
const equal = (name: string, value: string) => `<ogc:PropertyIsEqualTo matchCase="false">${prop(name)}<ogc:Literal>${esc(value)}</ogc:Literal></ogc:PropertyIsEqualTo>`;
// Like with explicit wildcard characters; user text has its wildcard characters escaped.
const like = (name: string, value: string) =>
  `<ogc:PropertyIsLike wildCard="%" singleChar="_" escapeChar="\\" matchCase="false">${prop(name)}<ogc:Literal>%${esc(
    value.replace(/[\\%_]/g, (c) => `\\${c}`),
  )}%</ogc:Literal></ogc:PropertyIsLike>`;
const or = (parts: string[]) => (parts.length === 1 ? parts[0] : `<ogc:Or>${parts.join('')}</ogc:Or>`);

const and = (parts: string[]) => (parts.length === 1 ? parts[0] : `<ogc:And>${parts.join('')}</ogc:And>`);

function conditions(q: CswQuery): string[] {
  const parts: string[] = [];
  if (q.anyText) parts.push(like('AnyText', q.anyText));
  if (q.title) parts.push(like('Title', q.title));
  for (const k of q.keywords ?? []) parts.push(equal('Subject', k));
  if (q.types?.length) parts.push(or(q.types.map((t) => equal('Type', t))));
  if (q.serviceType) parts.push(equal('ServiceType', q.serviceType));
  if (q.organisationName) parts.push(like('OrganisationName', q.organisationName));
  if (q.modifiedSince) {
    parts.push(`<ogc:PropertyIsGreaterThanOrEqualTo>${prop('Modified')}<ogc:Literal>${esc(q.modifiedSince)}</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo>`);
  }
  if (q.operatesOn?.length) parts.push(or(q.operatesOn.map((id) => equal('OperatesOn', id))));
  if (q.identifiers?.length) parts.push(or(q.identifiers.flatMap((id) => [equal('Identifier', id), equal('ResourceIdentifier', id)])));
  if (q.fileIdentifiers?.length) parts.push(or(q.fileIdentifiers.map((id) => equal('Identifier', id))));
  if (q.resourceIdentifiers?.length) parts.push(or(q.resourceIdentifiers.map((id) => equal('ResourceIdentifier', id))));
  if (q.bbox) {
    const b = q.bbox;
    // EPSG:4326 in GML 3.1.1 envelopes is lat/lon (axis order of the CRS), as GeoNetwork expects.
    parts.push(
      `<ogc:BBOX>${prop('BoundingBox')}<gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326"><gml:lowerCorner>${b.south} ${b.west}</gml:lowerCorner><gml:upperCorner>${b.north} ${b.east}</gml:upperCorner></gml:Envelope></ogc:BBOX>`,
    );
  }
  const alternatives = (q.anyOf ?? []).map(conditions).filter((c) => c.length > 0);
  if (alternatives.length) parts.push(or(alternatives.map(and)));
  return parts;
}

/** The queryables (without prefix) a query uses, to check them against the server's capabilities. */
export function queryablesOf(q: CswQuery): string[] {
  const used = new Set<string>();
  const walk = (x: CswQuery) => {
    if (x.anyText) used.add('AnyText');
    if (x.title) used.add('Title');
    if (x.keywords?.length) used.add('Subject');
    if (x.types?.length) used.add('Type');
    if (x.serviceType) used.add('ServiceType');
    if (x.organisationName) used.add('OrganisationName');
    if (x.modifiedSince) used.add('Modified');
    if (x.operatesOn?.length) used.add('OperatesOn');
    if (x.identifiers?.length) (used.add('Identifier'), used.add('ResourceIdentifier'));
    if (x.fileIdentifiers?.length) used.add('Identifier');
    if (x.resourceIdentifiers?.length) used.add('ResourceIdentifier');
    if (x.bbox) used.add('BoundingBox');
    x.anyOf?.forEach(walk);
  };
  walk(q);
  return [...used];
}

/** The ogc:Filter for a query, or '' when it has no conditions. */
export function filterXml(q: CswQuery): string {
  const parts = conditions(q);
  return parts.length === 0 ? '' : `<ogc:Filter>${and(parts)}</ogc:Filter>`;
}

const HEAD =
  'xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:ogc="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml" ' +
  'xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:apiso="http://www.opengis.net/cat/csw/apiso/1.0" service="CSW" version="2.0.2"';

export function getRecordsXml(opts: {
  query: CswQuery;
  startPosition: number;
  maxRecords: number;
  sort?: CswSort;
  outputSchema?: string;
  elementSet?: 'brief' | 'summary' | 'full';
}): string {
  const filter = filterXml(opts.query);
  const sort = opts.sort
    ? `<ogc:SortBy><ogc:SortProperty>${prop(opts.sort.property)}<ogc:SortOrder>${opts.sort.order}</ogc:SortOrder></ogc:SortProperty></ogc:SortBy>`
    : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><csw:GetRecords ${HEAD} resultType="results" startPosition="${opts.startPosition}" maxRecords="${opts.maxRecords}" outputSchema="${esc(opts.outputSchema ?? ISO_OUTPUT_SCHEMA)}">` +
    `<csw:Query typeNames="gmd:MD_Metadata"><csw:ElementSetName>${opts.elementSet ?? 'full'}</csw:ElementSetName>` +
    (filter ? `<csw:Constraint version="1.1.0">${filter}</csw:Constraint>` : '') +
    sort +
    `</csw:Query></csw:GetRecords>`
  );
}

export function getRecordByIdXml(ids: readonly string[], outputSchema = ISO_OUTPUT_SCHEMA): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><csw:GetRecordById ${HEAD} outputSchema="${esc(outputSchema)}">` +
    ids.map((id) => `<csw:Id>${esc(id)}</csw:Id>`).join('') +
    `<csw:ElementSetName>full</csw:ElementSetName></csw:GetRecordById>`
  );
}

// ------------------------------------------------------------------ parsers

function owsValues(el: XmlElement | undefined): string[] {
  if (!el) return [];
  return el.children('*', 'Value').map((v) => v.text()).filter(Boolean);
}

export class CswFormatError extends Error {}

export function parseCapabilities(root: XmlElement): CswCapabilities {
  if (root.local !== 'Capabilities' || root.ns !== CSW_NS) throw new CswFormatError(`expected csw:Capabilities, got ${root.name}`);
  const opsMeta = root.child('*', 'OperationsMetadata');
  const ops = opsMeta?.children('*', 'Operation') ?? [];
  const op = (name: string) => ops.find((o) => o.attr('name') === name);
  const param = (o: XmlElement | undefined, name: string) =>
    owsValues(o?.children('*', 'Parameter').find((p) => p.attr('name')?.toLowerCase() === name.toLowerCase()));
  const constraint = (o: XmlElement | undefined, name: string) => owsValues(o?.children('*', 'Constraint').find((p) => p.attr('name') === name));
  const gr = op('GetRecords');
  const queryables = [...constraint(gr, 'SupportedISOQueryables'), ...constraint(gr, 'AdditionalQueryables')];
  const filterCaps = root.child('*', 'Filter_Capabilities');
  const opNames = (container: string, item: string) =>
    (filterCaps?.descendants('*', container)[0]?.descendants('*', item) ?? []).map((e) => e.attr('name') ?? e.text()).filter(Boolean);
  const si = root.child('*', 'ServiceIdentification');
  const maxDefault = Number(
    [...(opsMeta?.children('*', 'Constraint') ?? []), ...(gr?.children('*', 'Constraint') ?? [])]
      .filter((c) => c.attr('name') === 'MaxRecordDefault')
      .flatMap(owsValues)[0],
  );
  return {
    title: si?.child('*', 'Title')?.text() || null,
    abstract: si?.child('*', 'Abstract')?.text() || null,
    keywords: (si?.children('*', 'Keywords') ?? []).flatMap((k) => k.children('*', 'Keyword').map((w) => w.text())).filter(Boolean),
    fees: si?.child('*', 'Fees')?.text() || null,
    accessConstraints: si?.child('*', 'AccessConstraints')?.text() || null,
    provider: readOwsServiceProvider(root.child('*', 'ServiceProvider')),
    maxRecordDefault: Number.isInteger(maxDefault) && maxDefault > 0 ? maxDefault : null,
    version: root.attr('version') ?? null,
    operations: ops.map((o) => o.attr('name') ?? '').filter(Boolean),
    getRecordsOutputSchemas: param(gr, 'outputSchema'),
    getRecordByIdOutputSchemas: param(op('GetRecordById'), 'outputSchema'),
    typeNames: param(gr, 'typeNames'),
    constraintLanguages: param(gr, 'CONSTRAINTLANGUAGE'),
    queryables: [...new Set(queryables)],
    spatialOperators: opNames('SpatialOperators', 'SpatialOperator'),
    comparisonOperators: (filterCaps?.descendants('*', 'ComparisonOperator') ?? []).map((e) => e.text()).filter(Boolean),
    inspire: (opsMeta?.descendants('*', 'ExtendedCapabilities').length ?? 0) > 0,
  };
}

const intAttr = (el: XmlElement, name: string): number => {
  const raw = el.attr(name);
  const n = raw === undefined ? NaN : Number(raw.trim());
  if (!Number.isInteger(n) || n < 0) throw new CswFormatError(`csw:SearchResults/@${name} is not a non-negative integer: ${JSON.stringify(raw)}`);
  return n;
};

export function parseGetRecords(root: XmlElement): CswSearchPage {
  if (root.local !== 'GetRecordsResponse' || root.ns !== CSW_NS) throw new CswFormatError(`expected csw:GetRecordsResponse, got ${root.name}`);
  // SearchStatus and SearchResults may come in either order (lenient, §4).
  const results = root.child(CSW_NS, 'SearchResults');
  if (!results) throw new CswFormatError('csw:SearchResults missing');
  const records = findMetadataElements(results)
    .map(mapIsoRecord)
    .filter((r): r is IsoRecord => r !== null);
  const returnedAttr = results.attr('numberOfRecordsReturned');
  const dublinCore = results.elements.filter((e) => e.ns === CSW_NS && /^(Record|BriefRecord|SummaryRecord)$/.test(e.local)).length;
  return {
    matched: intAttr(results, 'numberOfRecordsMatched'),
    returned: returnedAttr === undefined ? records.length : intAttr(results, 'numberOfRecordsReturned'),
    nextRecord: results.attr('nextRecord') === undefined ? 0 : intAttr(results, 'nextRecord'),
    records,
    recordSchema: results.attr('recordSchema')?.trim() || null,
    dublinCoreRecords: dublinCore,
  };
}

export function parseGetRecordById(root: XmlElement): IsoRecord[] {
  if (root.local !== 'GetRecordByIdResponse' || root.ns !== CSW_NS) {
    // Some servers answer a single-id request with the bare record.
    if (findMetadataElements(root)[0] === root) return [mapIsoRecord(root)].filter((r): r is IsoRecord => r !== null);
    throw new CswFormatError(`expected csw:GetRecordByIdResponse, got ${root.name}`);
  }
  return findMetadataElements(root)
    .map(mapIsoRecord)
    .filter((r): r is IsoRecord => r !== null);
}

/**
 * Decides the startPosition of the next page (1-based), or null to stop. Always follows the
 * server's nextRecord (it need not be start + returned) but stops on 0, on a value beyond
 * `matched`, on no progress (≤ start) and on an empty page (docs/upstreams/geomis-csw.md §4).
 */
export function nextStart(page: Pick<CswSearchPage, 'matched' | 'returned' | 'nextRecord'>, start: number): number | null {
  if (page.nextRecord === 0) return null;
  if (page.returned === 0) return null;
  if (page.nextRecord > page.matched) return null;
  if (page.nextRecord <= start) return null;
  return page.nextRecord;
}

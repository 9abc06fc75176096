import { xml, type SandboxRequest, type SandboxResponse, type SandboxRoute } from '../../sandbox/http';
import { SANDBOX_ORIGINS, rebaseUrl } from '../../sandbox/world';
import type { BBox, GeoRecord, World } from '../../sandbox/world/types';
import { parseXml, XmlError, type XmlElement } from '../runtime/xml';
import { CSW_NS, CSW_OUTPUT_SCHEMA, ISO_OUTPUT_SCHEMA } from './csw';
import { esc, renderIsoRecord } from '../../formats/iso19139/render';
import { DC_NS_DECL, renderDublinCore, type ElementSet } from './dublin-core';

/**
 * GeoMIS sandbox: a CSW 2.0.2 endpoint over the sandbox world that answers like GeoNetwork —
 * KVP GetCapabilities/GetRecordById, POST GetRecords with OGC Filter 1.1.0 (the operators and
 * APISO queryables GeoNetwork supports, see docs/upstreams/geomis-csw.md §2) and POST GetRecordById with
 * several ids; paging with startPosition/maxRecords and nextRecord (0 at the end).
 */

const OGC = 'http://www.opengis.net/ogc';
const GML_NS = ['http://www.opengis.net/gml', 'http://www.opengis.net/gml/3.2'];
const SUPPORTED_QUERYABLES = [
  'AnyText', 'Title', 'Abstract', 'Subject', 'Type', 'Modified', 'Identifier', 'ResourceIdentifier',
  'OrganisationName', 'ServiceType', 'OperatesOn', 'CouplingType', 'BoundingBox', 'ParentIdentifier',
];
const DEFAULT_MAX_RECORDS = 10;
const MAX_RECORDS_CAP = 100; // like GeoNetwork's default cap
const OUTPUT_SCHEMAS = [CSW_OUTPUT_SCHEMA, ISO_OUTPUT_SCHEMA];
const ELEMENT_SETS: readonly ElementSet[] = ['brief', 'summary', 'full'];

/** One record in the requested schema: Dublin Core csw:*Record (the CSW 2.0.2 base schema) or gmd:MD_Metadata. */
type Render = (r: GeoRecord) => string;
const renderer = (schema: string, set: ElementSet, rebase: (u: string) => string): Render =>
  schema === ISO_OUTPUT_SCHEMA ? (r) => renderIsoRecord(r, rebase) : (r) => renderDublinCore(r, set, rebase);

function exception(code: string, text: string, locator?: string, status = 200): SandboxResponse {
  return xml(
    `<?xml version="1.0" encoding="UTF-8"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows" version="1.2.0">` +
      `<ows:Exception exceptionCode="${esc(code)}"${locator ? ` locator="${esc(locator)}"` : ''}><ows:ExceptionText>${esc(text)}</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`,
    status,
  );
}

function capabilities(base: string): string {
  const vals = (xs: string[]) => xs.map((v) => `<ows:Value>${esc(v)}</ows:Value>`).join('');
  const op = (name: string, params: string) =>
    `<ows:Operation name="${name}"><ows:DCP><ows:HTTP><ows:Get xlink:href="${esc(base)}"/><ows:Post xlink:href="${esc(base)}"/></ows:HTTP></ows:DCP>${params}</ows:Operation>`;
  const p = (name: string, values: string[]) => `<ows:Parameter name="${name}">${vals(values)}</ows:Parameter>`;
  const schemas = OUTPUT_SCHEMAS;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><csw:Capabilities xmlns:csw="${CSW_NS}" xmlns:ows="http://www.opengis.net/ows" xmlns:ogc="${OGC}" xmlns:xlink="http://www.w3.org/1999/xlink" version="2.0.2">` +
    `<ows:ServiceIdentification><ows:Title>GeoMIS.Th (Sandbox)</ows:Title>` +
    `<ows:Abstract>Metadatenkatalog der Geodateninfrastruktur Thüringen — Sandbox mit gekennzeichneten Testdaten.</ows:Abstract>` +
    `<ows:Keywords><ows:Keyword>Metadaten</ows:Keyword><ows:Keyword>CSW</ows:Keyword><ows:Keyword>GDI-Th</ows:Keyword><ows:Keyword>Sandbox</ows:Keyword></ows:Keywords>` +
    `<ows:ServiceType>CSW</ows:ServiceType><ows:ServiceTypeVersion>2.0.2</ows:ServiceTypeVersion><ows:Fees>keine</ows:Fees><ows:AccessConstraints>keine</ows:AccessConstraints></ows:ServiceIdentification>` +
    `<ows:ServiceProvider><ows:ProviderName>Kompetenzzentrum GDI-Th (Sandbox)</ows:ProviderName><ows:ProviderSite xlink:href="https://gdi-th.sandbox.invalid/"/>` +
    `<ows:ServiceContact><ows:IndividualName>Sandbox-Katalogbetrieb</ows:IndividualName><ows:PositionName>Metadatenkoordination</ows:PositionName>` +
    `<ows:ContactInfo><ows:Phone><ows:Voice>+49 361 0000000</ows:Voice></ows:Phone><ows:Address><ows:DeliveryPoint>Musterstraße 1</ows:DeliveryPoint><ows:City>Erfurt</ows:City>` +
    `<ows:AdministrativeArea>Thüringen</ows:AdministrativeArea><ows:PostalCode>99000</ows:PostalCode><ows:Country>Deutschland</ows:Country><ows:ElectronicMailAddress>geomis@gdi-th.example.org</ows:ElectronicMailAddress></ows:Address>` +
    `<ows:OnlineResource xlink:href="https://gdi-th.sandbox.invalid/kontakt"/></ows:ContactInfo><ows:Role>pointOfContact</ows:Role></ows:ServiceContact></ows:ServiceProvider>` +
    `<ows:OperationsMetadata>` +
    op('GetCapabilities', p('sections', ['ServiceIdentification', 'ServiceProvider', 'OperationsMetadata', 'Filter_Capabilities'])) +
    op(
      'GetRecords',
      p('resultType', ['hits', 'results', 'validate']) +
        p('outputFormat', ['application/xml']) +
        p('outputSchema', schemas) +
        p('typeNames', ['csw:Record', 'gmd:MD_Metadata']) +
        p('CONSTRAINTLANGUAGE', ['FILTER', 'CQL_TEXT']) +
        `<ows:Constraint name="SupportedISOQueryables">${vals(SUPPORTED_QUERYABLES.map((q) => `apiso:${q}`))}</ows:Constraint>`,
    ) +
    op('GetRecordById', p('outputSchema', schemas) + p('ElementSetName', ['brief', 'summary', 'full'])) +
    `<ows:Parameter name="service"><ows:Value>CSW</ows:Value></ows:Parameter><ows:Parameter name="version"><ows:Value>2.0.2</ows:Value></ows:Parameter>` +
    `<ows:Constraint name="MaxRecordDefault"><ows:Value>${MAX_RECORDS_CAP}</ows:Value></ows:Constraint>` +
    `</ows:OperationsMetadata><ogc:Filter_Capabilities><ogc:Spatial_Capabilities><ogc:SpatialOperators>` +
    ['BBOX', 'Intersects', 'Within'].map((o) => `<ogc:SpatialOperator name="${o}"/>`).join('') +
    `</ogc:SpatialOperators></ogc:Spatial_Capabilities><ogc:Scalar_Capabilities><ogc:ComparisonOperators>` +
    ['EqualTo', 'Like', 'LessThan', 'GreaterThan', 'LessThanEqualTo', 'GreaterThanEqualTo', 'NotEqualTo'].map((o) => `<ogc:ComparisonOperator>${o}</ogc:ComparisonOperator>`).join('') +
    `</ogc:ComparisonOperators></ogc:Scalar_Capabilities></ogc:Filter_Capabilities></csw:Capabilities>`
  );
}

// ------------------------------------------------------------------ filter evaluation

class FilterError extends Error {}

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();

function valuesOf(r: GeoRecord, prop: string): string[] {
  switch (prop) {
    case 'anytext':
      return [
        r.title,
        r.abstract,
        r.alternateTitle ?? '',
        ...r.keywords.flatMap((g) => g.keywords.map((k) => k.text)),
        r.pointOfContact.organisationName,
        r.fileIdentifier,
      ];
    case 'title':
      return [r.title];
    case 'abstract':
      return [r.abstract];
    case 'subject':
      return [...r.keywords.flatMap((g) => g.keywords.map((k) => k.text)), ...r.topicCategories];
    case 'type':
      return [r.hierarchyLevel];
    case 'modified':
      return [r.dateStamp];
    case 'identifier':
      return [r.fileIdentifier];
    case 'resourceidentifier':
      return r.resourceIdentifier ? [r.resourceIdentifier.code] : [];
    case 'organisationname':
      return [r.pointOfContact.organisationName, r.metadataContact.organisationName];
    case 'servicetype':
      return r.service ? [r.service.serviceType] : [];
    case 'operateson':
      return r.service ? r.service.operatesOn.map((o) => o.uuidref) : [];
    case 'couplingtype':
      return r.service ? [r.service.couplingType] : [];
    case 'parentidentifier':
      return r.parentIdentifier ? [r.parentIdentifier] : [];
    default:
      throw new FilterError(prop);
  }
}

const propOf = (el: XmlElement) => {
  const raw = el.child(OGC, 'PropertyName')?.text() ?? '';
  return raw.replace(/^[\w-]+:/, '').toLowerCase();
};

function likeToRegExp(pattern: string, wild: string, single: string, escape: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === escape && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === wild) re += '.*';
    else if (c === single) re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

const intersects = (a: BBox, b: BBox) => a.west <= b.east && a.east >= b.west && a.south <= b.north && a.north >= b.south;

function envelopeOf(el: XmlElement): BBox {
  const env = GML_NS.map((ns) => el.descendants(ns, 'Envelope')[0]).find(Boolean);
  if (!env) throw new FilterError('BBOX without gml:Envelope');
  const corner = (local: string) => (env.child('*', local)?.text() ?? '').split(/\s+/).map(Number);
  const lo = corner('lowerCorner');
  const hi = corner('upperCorner');
  if (lo.length !== 2 || hi.length !== 2 || ![...lo, ...hi].every(Number.isFinite)) throw new FilterError('bad envelope');
  const srs = env.attr('srsName') ?? '';
  // EPSG:4326 (urn form) is lat/lon; CRS:84 and the plain EPSG:4326 short form as GeoNetwork treats it: lon/lat.
  const latLon = /urn:ogc:def:crs:EPSG::4326|opengis\.net\/def\/crs\/EPSG\/0\/4326/.test(srs);
  return latLon ? { south: lo[0], west: lo[1], north: hi[0], east: hi[1] } : { west: lo[0], south: lo[1], east: hi[0], north: hi[1] };
}

function evaluate(el: XmlElement, r: GeoRecord): boolean {
  switch (el.local) {
    case 'Filter':
      return el.elements.every((c) => evaluate(c, r));
    case 'And':
      return el.elements.every((c) => evaluate(c, r));
    case 'Or':
      return el.elements.some((c) => evaluate(c, r));
    case 'Not':
      return !evaluate(el.elements[0], r);
    case 'PropertyIsEqualTo': {
      const lit = lower(el.child(OGC, 'Literal')?.text());
      return valuesOf(r, propOf(el)).some((v) => lower(v) === lit);
    }
    case 'PropertyIsLike': {
      const re = likeToRegExp(el.child(OGC, 'Literal')?.text() ?? '', el.attr('wildCard') ?? '%', el.attr('singleChar') ?? '_', el.attr('escapeChar') ?? el.attr('escape') ?? '\\');
      return valuesOf(r, propOf(el)).some((v) => re.test(v));
    }
    case 'PropertyIsGreaterThanOrEqualTo':
    case 'PropertyIsLessThanOrEqualTo':
    case 'PropertyIsGreaterThan':
    case 'PropertyIsLessThan': {
      const lit = el.child(OGC, 'Literal')?.text() ?? '';
      return valuesOf(r, propOf(el)).some((v) => {
        const c = v < lit ? -1 : v > lit ? 1 : 0;
        return el.local === 'PropertyIsGreaterThanOrEqualTo' ? c >= 0 : el.local === 'PropertyIsLessThanOrEqualTo' ? c <= 0 : el.local === 'PropertyIsGreaterThan' ? c > 0 : c < 0;
      });
    }
    case 'BBOX':
    case 'Intersects':
      return r.bbox !== null && intersects(r.bbox, envelopeOf(el));
    default:
      throw new FilterError(`operator ${el.local}`);
  }
}

const SORT_KEYS: Record<string, (r: GeoRecord) => string> = {
  title: (r) => r.title.toLowerCase(),
  modified: (r) => r.dateStamp,
  identifier: (r) => r.fileIdentifier,
};

// ------------------------------------------------------------------ handlers

function recordsResponse(records: GeoRecord[], matched: number, start: number, out: { schema: string; set: ElementSet; render: Render; hits: boolean }): string {
  const end = start + records.length;
  // hits: no records, nextRecord = where results would start; results: the position after this page, 0 at the end.
  const nextRecord = out.hits ? (matched >= start ? start : 0) : records.length > 0 && end <= matched ? end : 0;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><csw:GetRecordsResponse ${DC_NS_DECL} version="2.0.2">` +
    `<csw:SearchStatus timestamp="2026-11-01T00:00:00Z"/>` +
    `<csw:SearchResults numberOfRecordsMatched="${matched}" numberOfRecordsReturned="${records.length}" elementSet="${out.set}" recordSchema="${esc(out.schema)}" nextRecord="${nextRecord}">` +
    records.map(out.render).join('') +
    `</csw:SearchResults></csw:GetRecordsResponse>`
  );
}

function byIdResponse(records: GeoRecord[], render: Render): string {
  return `<?xml version="1.0" encoding="UTF-8"?><csw:GetRecordByIdResponse ${DC_NS_DECL}>${records.map(render).join('')}</csw:GetRecordByIdResponse>`;
}

/** outputSchema and ElementSetName of a request (CSW 2.0.2 defaults: the csw schema, summary), or an exception. */
function outputOf(schemaRaw: string | undefined, setRaw: string | undefined): { schema: string; set: ElementSet } | SandboxResponse {
  const schema = schemaRaw?.trim() || CSW_OUTPUT_SCHEMA;
  if (!OUTPUT_SCHEMAS.includes(schema)) return exception('InvalidParameterValue', `outputSchema ${schema} is not supported`, 'outputSchema');
  const set = (setRaw?.trim().toLowerCase() || 'summary') as ElementSet;
  if (!ELEMENT_SETS.includes(set)) return exception('InvalidParameterValue', `ElementSetName ${setRaw} is not one of brief, summary, full`, 'ElementSetName');
  return { schema, set };
}
const isResponse = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'body' in x;

export function geomisSandboxRoutes(world: World): SandboxRoute[] {
  // The world may hold records sharing a fileIdentifier only through planted defects; GeoNetwork keys by uuid.
  const byId = new Map<string, GeoRecord>();
  for (const r of world.geo.records) if (!byId.has(r.fileIdentifier)) byId.set(r.fileIdentifier, r);
  const all = [...byId.values()].sort((a, b) => (a.fileIdentifier < b.fileIdentifier ? -1 : 1));

  const ctx = (req: SandboxRequest) => {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    return { base: `${origin}${req.path}`, rebase: (u: string) => rebaseUrl(u, { geomis: origin }) };
  };

  const getRecords = (root: XmlElement, rebase: (u: string) => string): SandboxResponse => {
    const start = Number(root.attr('startPosition') ?? '1');
    const max = Number(root.attr('maxRecords') ?? String(DEFAULT_MAX_RECORDS));
    if (!Number.isInteger(start) || start < 1) return exception('InvalidParameterValue', 'startPosition must be >= 1', 'startPosition');
    if (!Number.isInteger(max) || max < 0) return exception('InvalidParameterValue', 'maxRecords must be >= 0', 'maxRecords');
    const query = root.child(CSW_NS, 'Query');
    const out = outputOf(root.attr('outputSchema'), query?.child(CSW_NS, 'ElementSetName')?.text());
    if (isResponse(out)) return out;
    const resultType = root.attr('resultType') ?? 'hits'; // CSW 2.0.2 default
    if (!['hits', 'results', 'validate'].includes(resultType)) return exception('InvalidParameterValue', `resultType ${resultType}`, 'resultType');
    const filter = query?.child(CSW_NS, 'Constraint')?.child(OGC, 'Filter');
    let matched: GeoRecord[];
    try {
      matched = filter ? all.filter((r) => evaluate(filter, r)) : all;
    } catch (e) {
      if (e instanceof FilterError) return exception('InvalidParameterValue', `unsupported filter: ${e.message}`, 'Constraint');
      throw e;
    }
    const sortProp = query?.child(OGC, 'SortBy')?.child(OGC, 'SortProperty');
    if (sortProp) {
      const key = SORT_KEYS[propOf(sortProp)];
      if (!key) return exception('InvalidParameterValue', 'unsupported sort property', 'SortBy');
      const desc = sortProp.child(OGC, 'SortOrder')?.text().toUpperCase() === 'DESC';
      // tie-break on the uuid so that pages never overlap
      matched = [...matched].sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        const c = ka < kb ? -1 : ka > kb ? 1 : a.fileIdentifier < b.fileIdentifier ? -1 : 1;
        return desc ? -c : c;
      });
    }
    const hits = resultType !== 'results';
    const page = hits ? [] : matched.slice(start - 1, start - 1 + Math.min(max, MAX_RECORDS_CAP));
    return xml(recordsResponse(page, matched.length, start, { ...out, render: renderer(out.schema, out.set, rebase), hits }));
  };

  const handle = (req: SandboxRequest): SandboxResponse => {
    const { base, rebase } = ctx(req);
    if (req.method === 'POST') {
      let root: XmlElement;
      try {
        root = parseXml(req.body);
      } catch (e) {
        if (e instanceof XmlError) return exception('NoApplicableCode', 'request body is not well-formed XML');
        throw e;
      }
      if (root.ns === CSW_NS && root.local === 'GetRecords') return getRecords(root, rebase);
      if (root.ns === CSW_NS && root.local === 'GetRecordById') {
        const ids = root.children(CSW_NS, 'Id').map((e) => e.text());
        const out = outputOf(root.attr('outputSchema'), root.child(CSW_NS, 'ElementSetName')?.text());
        if (isResponse(out)) return out;
        return xml(byIdResponse(ids.map((id) => byId.get(id)).filter((r): r is GeoRecord => !!r), renderer(out.schema, out.set, rebase)));
      }
      if (root.ns === CSW_NS && root.local === 'GetCapabilities') return xml(capabilities(base));
      return exception('OperationNotSupported', `operation ${root.local} is not supported`, 'request');
    }
    const q = new Map([...req.query].map(([k, v]) => [k.toLowerCase(), v]));
    const request = q.get('request') ?? '';
    if (q.get('service')?.toUpperCase() !== 'CSW') return exception('MissingParameterValue', 'service=CSW is required', 'service');
    if (request === 'GetCapabilities') return xml(capabilities(base));
    if (request === 'GetRecordById') {
      const ids = (q.get('id') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      if (ids.length === 0) return exception('MissingParameterValue', 'id is required', 'id');
      const out = outputOf(q.get('outputschema'), q.get('elementsetname'));
      if (isResponse(out)) return out;
      return xml(byIdResponse(ids.map((id) => byId.get(id)).filter((r): r is GeoRecord => !!r), renderer(out.schema, out.set, rebase)));
    }
    return exception('OperationNotSupported', `request ${request} is not supported via GET in this sandbox`, 'request');
  };

  const cswPath = new URL(world.geo.cswUrl).pathname; // /geonetwork/srv/ger/csw
  const routes: SandboxRoute[] = [];
  for (const path of ['/', cswPath]) {
    routes.push({ method: 'GET', path, name: 'csw-get', handler: handle });
    routes.push({ method: 'POST', path, name: 'csw-post', handler: handle });
  }
  // The REST single-record path GeoNetwork offers (docs/upstreams/geomis-csw.md §1).
  routes.push({
    method: 'GET',
    path: '/geonetwork/srv/api/records/:uuid/formatters/xml',
    name: 'record-xml',
    handler: (req) => {
      const r = byId.get(req.params.uuid);
      return r ? xml(`<?xml version="1.0" encoding="UTF-8"?>${renderIsoRecord(r, ctx(req).rebase)}`) : { status: 404, body: 'not found' };
    },
  });
  return routes;
}

export const GEOMIS_SANDBOX_ORIGIN = SANDBOX_ORIGINS.geomis;

import { esc } from '../../formats/xml';
import type { GeoRecord } from '../../sandbox/world/types';

/**
 * Dublin Core records of the CSW 2.0.2 base schema (OGC 07-006r1 §10.2.5, record.xsd): csw:BriefRecord
 * (identifier, title, type, BoundingBox), csw:SummaryRecord (+ subject, format, modified, abstract) and
 * csw:Record (+ creator, publisher, language, rights, relation, references). The outputSchema
 * `http://www.opengis.net/cat/csw/2.0.2` a CSW must offer; rendered for the GeoMIS sandbox.
 */

export type ElementSet = 'brief' | 'summary' | 'full';

export const DC_NS_DECL =
  'xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dct="http://purl.org/dc/terms/" xmlns:ows="http://www.opengis.net/ows"';

const el = (name: string, value: string | null | undefined, attrs = '') => (value ? `<${name}${attrs}>${esc(value)}</${name}>` : '');

/** WGS84 box; EPSG:4326 in URN form is lat/lon (OWS Common 1.0 BoundingBox follows the CRS axis order). */
function bbox(r: GeoRecord): string {
  const b = r.bbox;
  if (!b) return '';
  return `<ows:BoundingBox crs="urn:ogc:def:crs:EPSG::4326" dimensions="2"><ows:LowerCorner>${b.south} ${b.west}</ows:LowerCorner><ows:UpperCorner>${b.north} ${b.east}</ows:UpperCorner></ows:BoundingBox>`;
}

export function renderDublinCore(r: GeoRecord, set: ElementSet, rebase: (url: string) => string = (u) => u): string {
  const head = el('dc:identifier', r.fileIdentifier) + el('dc:title', r.title) + el('dc:type', r.hierarchyLevel);
  if (set === 'brief') return `<csw:BriefRecord>${head}${bbox(r)}</csw:BriefRecord>`;
  const subjects = [...r.keywords.flatMap((g) => g.keywords.map((k) => k.text)), ...r.topicCategories].map((s) => el('dc:subject', s)).join('');
  const formats = r.distributionFormats.map((f) => el('dc:format', f.name)).join('');
  const summary = subjects + formats + el('dct:modified', r.dateStamp) + el('dct:abstract', r.abstract);
  if (set === 'summary') return `<csw:SummaryRecord>${head}${summary}${bbox(r)}</csw:SummaryRecord>`;
  const rights = [...r.accessConstraints, ...r.useConstraints, ...r.otherConstraints.map((t) => t.text)].map((t) => el('dc:rights', t)).join('');
  const relations = (r.service?.operatesOn ?? []).map((o) => el('dc:relation', o.uuidref)).join('') + el('dc:relation', r.parentIdentifier);
  const refs = r.onlineResources.map((o) => el('dct:references', rebase(o.url), o.protocol ? ` scheme="${esc(o.protocol)}"` : '')).join('');
  const dates = r.dates.map((d) => el('dc:date', d.date)).join('');
  return (
    `<csw:Record>${head}${summary}` +
    el('dc:creator', r.pointOfContact.organisationName) +
    el('dc:publisher', r.metadataContact.organisationName) +
    el('dc:language', r.language) +
    dates +
    rights +
    relations +
    el('dc:source', r.lineage) +
    refs +
    bbox(r) +
    `</csw:Record>`
  );
}

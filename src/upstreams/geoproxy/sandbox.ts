import { xml, type SandboxRequest, type SandboxResponse, type SandboxRoute } from '../../sandbox/http';
import { rebaseUrl } from '../../sandbox/world';
import type { BBox, OgcLayer, OgcService, World } from '../../sandbox/world/types';
import { esc } from '../../formats/xml';
import { negotiateAcceptVersions, negotiateVersion } from '../../formats/ogc/version';

/**
 * Geoproxy sandbox: every OGC service of the sandbox world under one root,
 * `/<ServiceName>?SERVICE=WMS|WFS&REQUEST=GetCapabilities&VERSION=…` (also under
 * `/geoproxy/services/<ServiceName>`, the real path). Answers WMS 1.3.0/1.1.1 and WFS 2.0.0/1.1.0
 * capabilities; a requested version the service lacks gets its highest one (version negotiation);
 * WAS-protected services answer 401; wrong SERVICE/REQUEST values an OGC exception with HTTP 200.
 */

const XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"';
const INSPIRE = 'xmlns:inspire_common="http://inspire.ec.europa.eu/schemas/common/1.0"';

function wmsException(version: string, code: string, text: string): SandboxResponse {
  return version.startsWith('1.1')
    ? xml(`<?xml version="1.0" encoding="UTF-8"?><ServiceExceptionReport version="1.1.1"><ServiceException code="${esc(code)}">${esc(text)}</ServiceException></ServiceExceptionReport>`)
    : xml(`<?xml version="1.0" encoding="UTF-8"?><ServiceExceptionReport xmlns="http://www.opengis.net/ogc" version="1.3.0"><ServiceException code="${esc(code)}">${esc(text)}</ServiceException></ServiceExceptionReport>`);
}

function owsException(code: string, text: string, locator?: string): SandboxResponse {
  return xml(
    `<?xml version="1.0" encoding="UTF-8"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0"><ows:Exception exceptionCode="${esc(code)}"${
      locator ? ` locator="${esc(locator)}"` : ''
    }><ows:ExceptionText>${esc(text)}</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`,
  );
}

const t = (name: string, value: string | null | undefined) => (value ? `<${name}>${esc(value)}</${name}>` : '');
const kw = (words: string[]) => (words.length ? `<KeywordList>${words.map((w) => `<Keyword>${esc(w)}</Keyword>`).join('')}</KeywordList>` : '');

function inspireMetadataUrl(s: OgcService, rebase: (u: string) => string, cswBase: string): string {
  if (!s.serviceRecordId) return '';
  const url = rebase(`${cswBase}?SERVICE=CSW&VERSION=2.0.2&REQUEST=GetRecordById&ID=${encodeURIComponent(s.serviceRecordId)}&outputSchema=${encodeURIComponent('http://www.isotc211.org/2005/gmd')}&ElementSetName=full`);
  return `<inspire_common:MetadataUrl><inspire_common:URL>${esc(url)}</inspire_common:URL><inspire_common:MediaType>application/vnd.ogc.csw.GetRecordByIdResponse_xml</inspire_common:MediaType></inspire_common:MetadataUrl>`;
}
const INSPIRE_LANG =
  '<inspire_common:SupportedLanguages><inspire_common:DefaultLanguage><inspire_common:Language>ger</inspire_common:Language></inspire_common:DefaultLanguage></inspire_common:SupportedLanguages>' +
  '<inspire_common:ResponseLanguage><inspire_common:Language>ger</inspire_common:Language></inspire_common:ResponseLanguage>';

function wms(s: OgcService, version: '1.3.0' | '1.1.1', self: string, rebase: (u: string) => string, cswBase: string): string {
  const v13 = version === '1.3.0';
  const href = `${self}?`;
  const online = (u: string) => `<OnlineResource ${XLINK} xlink:type="simple" xlink:href="${esc(u)}"/>`;
  const dcp = `<DCPType><HTTP><Get>${online(href)}</Get></HTTP></DCPType>`;
  const geo = (b: BBox) =>
    v13
      ? `<EX_GeographicBoundingBox><westBoundLongitude>${b.west}</westBoundLongitude><eastBoundLongitude>${b.east}</eastBoundLongitude><southBoundLatitude>${b.south}</southBoundLatitude><northBoundLatitude>${b.north}</northBoundLatitude></EX_GeographicBoundingBox>`
      : `<LatLonBoundingBox minx="${b.west}" miny="${b.south}" maxx="${b.east}" maxy="${b.north}"/>`;
  // WMS 1.3.0 EPSG:4326 is lat/lon; 1.1.1 always x/y.
  const bbox4326 = (b: BBox) =>
    v13
      ? `<BoundingBox CRS="EPSG:4326" minx="${b.south}" miny="${b.west}" maxx="${b.north}" maxy="${b.east}"/>`
      : `<BoundingBox SRS="EPSG:4326" minx="${b.west}" miny="${b.south}" maxx="${b.east}" maxy="${b.north}"/>`;
  const crs = (c: string) => (v13 ? `<CRS>${esc(c)}</CRS>` : `<SRS>${esc(c)}</SRS>`);
  const layer = (l: OgcLayer) =>
    `<Layer queryable="${l.queryable ? 1 : 0}" opaque="0"><Name>${esc(l.name)}</Name><Title>${esc(l.title)}</Title>${t('Abstract', l.abstract)}${kw(l.keywords)}` +
    l.crs.map(crs).join('') +
    geo(l.bbox) +
    bbox4326(l.bbox) +
    (l.identifier ? `<AuthorityURL name="${esc(l.identifier.authority)}">${online(rebase(l.identifier.authorityUrl))}</AuthorityURL><Identifier authority="${esc(l.identifier.authority)}">${esc(l.identifier.code)}</Identifier>` : '') +
    l.metadataUrls.map((m) => `<MetadataURL type="${esc(m.type)}"><Format>${esc(m.format)}</Format>${online(rebase(m.url))}</MetadataURL>`).join('') +
    `<Style><Name>default</Name><Title>Standard</Title><LegendURL width="20" height="20"><Format>image/png</Format>${online(`${href}SERVICE=WMS&REQUEST=GetLegendGraphic&LAYER=${encodeURIComponent(l.name)}&FORMAT=image/png`)}</LegendURL></Style>` +
    `</Layer>`;
  const ext =
    s.serviceRecordId && v13
      ? `<inspire_vs:ExtendedCapabilities xmlns:inspire_vs="http://inspire.ec.europa.eu/schemas/inspire_vs/1.0" ${INSPIRE}>${inspireMetadataUrl(s, rebase, cswBase)}${INSPIRE_LANG}</inspire_vs:ExtendedCapabilities>`
      : '';
  const body =
    `<Service><Name>${v13 ? 'WMS' : 'OGC:WMS'}</Name><Title>${esc(s.title)}</Title>${t('Abstract', s.abstract)}${kw(s.keywords)}${online(self)}${t('Fees', s.fees)}${t('AccessConstraints', s.accessConstraints)}</Service>` +
    `<Capability><Request><GetCapabilities><Format>${v13 ? 'text/xml' : 'application/vnd.ogc.wms_xml'}</Format>${dcp}</GetCapabilities>` +
    `<GetMap>${s.outputFormats.map((f) => `<Format>${esc(f)}</Format>`).join('')}${dcp}</GetMap>` +
    `<GetFeatureInfo><Format>text/xml</Format><Format>text/html</Format>${dcp}</GetFeatureInfo></Request>` +
    `<Exception><Format>${v13 ? 'XML' : 'application/vnd.ogc.se_xml'}</Format></Exception>${ext}` +
    `<Layer><Title>${esc(s.title)}</Title>${s.crs.map(crs).join('')}${geo(s.bbox)}${s.layers.map(layer).join('')}</Layer></Capability>`;
  return v13
    ? `<?xml version="1.0" encoding="UTF-8"?><WMS_Capabilities xmlns="http://www.opengis.net/wms" ${XLINK} version="1.3.0">${body}</WMS_Capabilities>`
    : `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE WMT_MS_Capabilities SYSTEM "http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd"><WMT_MS_Capabilities version="1.1.1">${body}</WMT_MS_Capabilities>`;
}

function wfs(s: OgcService, version: '2.0.0' | '1.1.0', self: string, rebase: (u: string) => string, cswBase: string): string {
  const v2 = version === '2.0.0';
  const owsNs = v2 ? 'http://www.opengis.net/ows/1.1' : 'http://www.opengis.net/ows';
  const wfsNs = v2 ? 'http://www.opengis.net/wfs/2.0' : 'http://www.opengis.net/wfs';
  const urn = (c: string) => (v2 ? `urn:ogc:def:crs:${c.replace(':', '::')}` : `urn:ogc:def:crs:${c.replace(':', '::')}`);
  const op = (name: string, extra = '') =>
    `<ows:Operation name="${name}"><ows:DCP><ows:HTTP><ows:Get xlink:href="${esc(self)}?"/><ows:Post xlink:href="${esc(self)}"/></ows:HTTP></ows:DCP>${extra}</ows:Operation>`;
  const formats = `<ows:Parameter name="outputFormat">${v2 ? '<ows:AllowedValues>' : ''}${s.outputFormats.map((f) => `<ows:Value>${esc(f)}</ows:Value>`).join('')}${v2 ? '</ows:AllowedValues>' : ''}</ows:Parameter>`;
  const ns = s.namespace ? ` xmlns:${s.namespace.prefix}="${esc(s.namespace.uri)}"` : '';
  const ft = (l: OgcLayer) =>
    `<wfs:FeatureType${ns}><wfs:Name>${esc(l.name)}</wfs:Name><wfs:Title>${esc(l.title)}</wfs:Title>${l.abstract ? `<wfs:Abstract>${esc(l.abstract)}</wfs:Abstract>` : ''}` +
    (l.keywords.length ? `<ows:Keywords>${l.keywords.map((k) => `<ows:Keyword>${esc(k)}</ows:Keyword>`).join('')}</ows:Keywords>` : '') +
    (s.crs.length ? `<wfs:${v2 ? 'DefaultCRS' : 'DefaultSRS'}>${urn(s.crs[0])}</wfs:${v2 ? 'DefaultCRS' : 'DefaultSRS'}>` : '') +
    [...s.crs.slice(1), ...l.crs].map((c) => `<wfs:${v2 ? 'OtherCRS' : 'OtherSRS'}>${urn(c)}</wfs:${v2 ? 'OtherCRS' : 'OtherSRS'}>`).join('') +
    `<ows:WGS84BoundingBox><ows:LowerCorner>${l.bbox.west} ${l.bbox.south}</ows:LowerCorner><ows:UpperCorner>${l.bbox.east} ${l.bbox.north}</ows:UpperCorner></ows:WGS84BoundingBox>` +
    l.metadataUrls
      .map((m) => (v2 ? `<wfs:MetadataURL xlink:href="${esc(rebase(m.url))}"/>` : `<wfs:MetadataURL type="${esc(m.type)}" format="${esc(m.format)}">${esc(rebase(m.url))}</wfs:MetadataURL>`))
      .join('') +
    `</wfs:FeatureType>`;
  const ext =
    s.serviceRecordId
      ? `<ows:ExtendedCapabilities><inspire_dls:ExtendedCapabilities xmlns:inspire_dls="http://inspire.ec.europa.eu/schemas/inspire_dls/1.0" ${INSPIRE}>${inspireMetadataUrl(s, rebase, cswBase)}${INSPIRE_LANG}` +
        s.layers
          .filter((l) => l.identifier)
          .map((l) => `<inspire_dls:SpatialDataSetIdentifier><inspire_common:Code>${esc(l.identifier!.code)}</inspire_common:Code><inspire_common:Namespace>${esc(rebase(l.identifier!.authorityUrl))}</inspire_common:Namespace></inspire_dls:SpatialDataSetIdentifier>`)
          .join('') +
        `</inspire_dls:ExtendedCapabilities></ows:ExtendedCapabilities>`
      : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><wfs:WFS_Capabilities xmlns:wfs="${wfsNs}" xmlns:ows="${owsNs}" ${XLINK} version="${version}">` +
    `<ows:ServiceIdentification><ows:Title>${esc(s.title)}</ows:Title><ows:Abstract>${esc(s.abstract)}</ows:Abstract>` +
    `<ows:Keywords>${s.keywords.map((k) => `<ows:Keyword>${esc(k)}</ows:Keyword>`).join('')}</ows:Keywords>` +
    `<ows:ServiceType>WFS</ows:ServiceType><ows:ServiceTypeVersion>${version}</ows:ServiceTypeVersion><ows:Fees>${esc(s.fees)}</ows:Fees><ows:AccessConstraints>${esc(s.accessConstraints)}</ows:AccessConstraints></ows:ServiceIdentification>` +
    `<ows:OperationsMetadata>${op('GetCapabilities')}${op('DescribeFeatureType')}${op('GetFeature', formats)}${ext}</ows:OperationsMetadata>` +
    `<wfs:FeatureTypeList>${s.layers.map(ft).join('')}</wfs:FeatureTypeList></wfs:WFS_Capabilities>`
  );
}

export function geoproxySandboxRoutes(world: World): SandboxRoute[] {
  const byName = new Map(world.geo.ogcServices.map((s) => [s.name, s]));
  const handler = (req: SandboxRequest): SandboxResponse => {
    const name = req.params['*'] ?? '';
    const s = byName.get(name);
    if (!s) return { status: 404, headers: { 'content-type': 'text/plain' }, body: `no service ${name}` };
    const q = new Map([...req.query].map(([k, v]) => [k.toLowerCase(), v]));
    const service = (q.get('service') ?? '').toUpperCase();
    if (s.protected && !req.headers.authorization) {
      return { status: 401, headers: { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="WAS"' }, body: 'authentication required' };
    }
    if (service !== s.kind) {
      return s.kind === 'WMS' ? wmsException('1.3.0', 'InvalidParameterValue', `SERVICE must be WMS`) : owsException('InvalidParameterValue', 'SERVICE must be WFS', 'service');
    }
    if ((q.get('request') ?? '') !== 'GetCapabilities') {
      return s.kind === 'WMS' ? wmsException('1.3.0', 'OperationNotSupported', 'only GetCapabilities in the sandbox') : owsException('OperationNotSupported', 'only GetCapabilities in the sandbox', 'request');
    }
    // Version negotiation: WMS 1.3.0 §6.2.4 on VERSION; OWS AcceptVersions (WFS 2.0.0) is strict.
    const accept = q.get('acceptversions');
    let version: string;
    if (s.kind === 'WFS' && accept !== undefined) {
      const agreed = negotiateAcceptVersions(s.versions, accept);
      if (agreed === null) {
        return { ...owsException('VersionNegotiationFailed', `none of ${accept} is supported; supported: ${s.versions.join(', ')}`, 'AcceptVersions'), status: 400 };
      }
      version = agreed;
    } else {
      version = negotiateVersion(s.versions, q.get('version') ?? q.get('wmtver'));
    }
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const rebase = (u: string) => rebaseUrl(u, { geoproxy: origin });
    const self = `${origin}${req.path}`;
    const doc = s.kind === 'WMS' ? wms(s, version as '1.3.0' | '1.1.1', self, rebase, world.geo.cswUrl) : wfs(s, version as '2.0.0' | '1.1.0', self, rebase, world.geo.cswUrl);
    return xml(doc);
  };
  return [
    { method: 'GET', path: '/geoproxy/services/*', name: 'ogc', handler },
    { method: 'GET', path: '/*', name: 'ogc', handler },
  ];
}

import { assertNoOgcException } from '../../formats/ogc/exception';
import type { UpstreamResponse } from '../runtime/http';
import type { CallContext, Provenanced, UpstreamSource } from '../runtime/source';
import { xmlFromResponse } from '../runtime/xml';
import { CapabilitiesFormatError, parseCapabilities, type OgcCapabilities, type OgcKind } from './capabilities';

/**
 * Geoproxy OGC client. The base URL is the services root; each configured service lives at
 * `<root>/<ServiceName>` and is asked for its capabilities by KVP. Only configured services are
 * ever requested (never a URL a client or a document supplied).
 */

export interface GeoproxyServiceConfig {
  /** ServiceName below the services root, e.g. `DOP` or `kommunal/komm_wfs`. */
  name: string;
  kind: OgcKind;
  /** Version to ask for; the server may answer another (the parser follows the document). */
  version: string;
}

/**
 * Seeded from geoproxy-ogc.md §1: the services whose name, kind and version are confirmed there.
 * Entries marked unverified in that table (INSPIREcp_wfs, inspire_ad, the BORIS WFS, DGM/WCS) are left out.
 */
export const DEFAULT_GEOPROXY_SERVICES: readonly GeoproxyServiceConfig[] = [
  { name: 'DOP', kind: 'WMS', version: '1.3.0' },
  { name: 'adv_alkis_wms_th', kind: 'WMS', version: '1.3.0' },
  { name: 'adv_alkis_wfs', kind: 'WFS', version: '2.0.0' },
  { name: 'ALKIS_NAS_Flurstueck', kind: 'WFS', version: '2.0.0' },
  { name: 'INSPIREcp', kind: 'WMS', version: '1.3.0' },
  { name: 'STRNETZ_wfs', kind: 'WFS', version: '1.1.0' },
  { name: 'kommunal/komm_wfs', kind: 'WFS', version: '2.0.0' },
  { name: 'boris/vBORIS_simple', kind: 'WMS', version: '1.3.0' },
  { name: 'geobasis/DTK10col', kind: 'WMS', version: '1.3.0' },
  { name: 'geobasis/DTK25col', kind: 'WMS', version: '1.3.0' },
  { name: 'geobasis/DTK50col', kind: 'WMS', version: '1.3.0' },
  { name: 'geobasis/DTK100col', kind: 'WMS', version: '1.3.0' },
];

const VERSIONS: Record<OgcKind, string[]> = { WMS: ['1.3.0', '1.1.1'], WFS: ['2.0.0', '1.1.0'] };
const NAME_RE = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/**
 * `GEOPROXY_SERVICES` syntax: comma-separated `Name=KIND@version`, e.g.
 * `DOP=WMS@1.3.0,kommunal/komm_wfs=WFS@2.0.0`. Throws a message naming the expected form.
 */
export function parseGeoproxyServices(spec: string | undefined): GeoproxyServiceConfig[] {
  if (spec === undefined || spec.trim() === '') return [...DEFAULT_GEOPROXY_SERVICES];
  return spec.split(',').map((part) => {
    const m = /^\s*([^=\s]+)\s*=\s*(WMS|WFS)\s*@\s*([\d.]+)\s*$/i.exec(part);
    const kind = m?.[2].toUpperCase() as OgcKind | undefined;
    if (!m || !kind || !NAME_RE.test(m[1]) || m[1].split('/').some((s) => s === '.' || s === '..') || !VERSIONS[kind].includes(m[3])) {
      throw new TypeError(
        `GEOPROXY_SERVICES: expected comma-separated "Name=WMS@1.3.0|1.1.1" or "Name=WFS@2.0.0|1.1.0" entries, got ${JSON.stringify(part.trim())}`,
      );
    }
    return { name: m[1], kind, version: m[3] };
  });
}

function parseCaps(res: UpstreamResponse): OgcCapabilities {
  if (res.status === 401 || res.status === 403) {
    // Behind the WAS: a typed "protected", not a broken service (geoproxy-ogc.md §5).
    throw res.error('UPSTREAM_PROTECTED', { status: res.status, internal: { reason: `HTTP ${res.status}` } });
  }
  // WMS 1.1.1 capabilities and exception reports carry a DOCTYPE by specification; it is never read.
  let root;
  try {
    root = xmlFromResponse(res, { doctype: 'skip-if-no-entities' });
  } catch (e) {
    if (res.status === 400) throw res.error('UPSTREAM_REJECTED', { status: 400, cause: e, internal: { reason: 'HTTP 400 without an OGC exception report' } });
    throw e;
  }
  // OWS 1.1/2.0 servers send exception reports with HTTP 400 as well as with 200.
  assertNoOgcException(res, root);
  if (res.status === 400) throw res.error('UPSTREAM_REJECTED', { status: 400, internal: { reason: 'HTTP 400' } });
  try {
    return parseCapabilities(root);
  } catch (e) {
    if (e instanceof CapabilitiesFormatError) throw res.error('UPSTREAM_BAD_RESPONSE', { cause: e, internal: { reason: e.message } });
    throw e;
  }
}

export class GeoproxyClient {
  readonly services: readonly GeoproxyServiceConfig[];
  private readonly byName: Map<string, GeoproxyServiceConfig>;

  constructor(
    readonly source: UpstreamSource,
    services: readonly GeoproxyServiceConfig[] = DEFAULT_GEOPROXY_SERVICES,
  ) {
    this.services = services;
    this.byName = new Map(services.map((s) => [s.name, s]));
  }

  service(name: string): GeoproxyServiceConfig | undefined {
    return this.byName.get(name);
  }

  /** Capabilities of one configured service; throws for names that are not configured. */
  capabilities(name: string, call: CallContext): Promise<Provenanced<OgcCapabilities>> {
    const svc = this.byName.get(name);
    if (!svc) throw new TypeError(`Geoproxy service ${JSON.stringify(name)} is not configured`);
    const path = '/' + svc.name.split('/').map(encodeURIComponent).join('/');
    return this.source.fetch(
      {
        operation: 'ogc.capabilities',
        key: `${svc.name}|${svc.kind}|${svc.version}`,
        request: {
          path,
          query: { SERVICE: svc.kind, REQUEST: 'GetCapabilities', VERSION: svc.version },
          acceptStatus: [400, 401, 403],
          headers: { accept: 'application/xml, text/xml' },
        },
        parse: parseCaps,
      },
      call,
    );
  }
}

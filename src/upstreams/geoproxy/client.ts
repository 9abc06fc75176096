import { assertNoOgcException } from '../../formats/ogc/exception';
import type { UpstreamResponse } from '../runtime/http';
import type { CallContext, Provenanced, UpstreamSource } from '../runtime/source';
import { xmlFromResponse } from '../runtime/xml';
import { CapabilitiesFormatError, parseCapabilities, type OgcCapabilities } from './capabilities';
import { DEFAULT_GEOPROXY_SERVICES, type GeoproxyServiceConfig } from './config';

/**
 * Geoproxy OGC client. The base URL is the services root; each configured service lives at
 * `<root>/<ServiceName>` and is asked for its capabilities by KVP. Only configured services are
 * ever requested (never a URL a client or a document supplied).
 */

function parseCaps(res: UpstreamResponse): OgcCapabilities {
  if (res.status === 401 || res.status === 403) {
    // Behind the WAS: a typed "protected", not a broken service (docs/upstreams/geoproxy-ogc.md §5).
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

import type { UpstreamResponse } from '../../upstreams/runtime/http';
import type { XmlElement } from '../../upstreams/runtime/xml';

/**
 * OGC servers (CSW, WMS, WFS) report errors as XML documents, often with HTTP 200, so the root
 * element has to be checked, not only the status (docs/upstreams/geomis-csw.md §4, docs/upstreams/geoproxy-ogc.md §5).
 */

export const OWS_NAMESPACES = [
  'http://www.opengis.net/ows', // OWS 1.0 (CSW 2.0.2, WFS 1.1.0)
  'http://www.opengis.net/ows/1.1', // WFS 2.0.0
  'http://www.opengis.net/ows/2.0',
] as const;
/** WMS 1.3.0 ServiceExceptionReport; WMS 1.1.1 uses the same local name in no namespace. */
export const OGC_NS = 'http://www.opengis.net/ogc';

export interface OgcException {
  /** `exceptionCode` (OWS) or `code` (WMS); `NoApplicableCode` when the server gave none. */
  code: string;
  /** Server text; may contain internal details, so it is for logs, not for clients. */
  text: string;
  locator?: string;
}

/** The first exception of an OGC exception report, or `undefined` if `root` is not one. */
export function ogcException(root: XmlElement): OgcException | undefined {
  if (root.local === 'ExceptionReport' && (OWS_NAMESPACES as readonly string[]).includes(root.ns)) {
    const ex = root.child(root.ns, 'Exception');
    return {
      code: ex?.attr('exceptionCode') || 'NoApplicableCode',
      text: ex?.children(root.ns, 'ExceptionText').map((t) => t.text()).join(' ') ?? '',
      locator: ex?.attr('locator') || undefined,
    };
  }
  if (root.local === 'ServiceExceptionReport' && (root.ns === OGC_NS || root.ns === '')) {
    const ex = root.child(root.ns, 'ServiceException');
    return { code: ex?.attr('code') || 'NoApplicableCode', text: ex?.text() ?? '', locator: ex?.attr('locator') || undefined };
  }
  return undefined;
}

// Codes and phrases with which WAS-protected or secured OGC services refuse a request.
const ACCESS_CODES = /^(AccessDenied|Forbidden|Unauthori[sz]ed|NotAuthori[sz]ed|AuthenticationRequired|SecurityException)$/i;
const ACCESS_TEXT = /\b(access denied|not authori[sz]ed|unauthori[sz]ed|forbidden|authentication (is )?required|permission denied)\b/i;

/**
 * Throws when `root` is an OGC exception report: UPSTREAM_PROTECTED when it is about access,
 * UPSTREAM_OGC_EXCEPTION otherwise, with the (standardised, harmless) exception code in
 * `extensions.ogcCode` and the server text kept for logs.
 */
export function assertNoOgcException(res: UpstreamResponse, root: XmlElement): void {
  const ex = ogcException(root);
  if (!ex) return;
  const protectedService = ACCESS_CODES.test(ex.code) || ACCESS_TEXT.test(ex.text);
  throw res.error(protectedService ? 'UPSTREAM_PROTECTED' : 'UPSTREAM_OGC_EXCEPTION', {
    extensions: { ogcCode: ex.code.replace(/[^\w.-]/g, '').slice(0, 64) },
    internal: { reason: `${ex.code}${ex.locator ? ` (${ex.locator})` : ''}: ${ex.text.slice(0, 500)}` },
  });
}

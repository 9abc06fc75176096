import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoOgcException, ogcException } from '../../src/formats/ogc/exception';
import { startSandboxServer, xml, type SandboxServer } from '../../src/sandbox/http';
import type { UpstreamError } from '../../src/upstreams/runtime/errors';
import { createUpstreamClient, type UpstreamClient, type UpstreamResponse } from '../../src/upstreams/runtime/http';
import { parseXml } from '../../src/upstreams/runtime/xml';

/**
 * OGC exception reports (docs/upstreams/geomis-csw.md §4, docs/upstreams/geoproxy-ogc.md §5): OWS Common
 * ows:ExceptionReport (OWS 1.0 for CSW 2.0.2/WFS 1.1.0, 1.1 for WFS 2.0.0, 2.0) and the WMS
 * ServiceExceptionReport (1.3.0 in the ogc namespace, 1.1.1 in none). Servers send them with HTTP 200.
 */

const OWS10 = 'http://www.opengis.net/ows';
const OWS11 = 'http://www.opengis.net/ows/1.1';
const OWS20 = 'http://www.opengis.net/ows/2.0';

const owsReport = (ns: string, exception: string) => `<ows:ExceptionReport xmlns:ows="${ns}" version="1.2.0">${exception}</ows:ExceptionReport>`;

describe('reading an exception report', () => {
  it('OWS 1.0, 1.1 and 2.0: first Exception, its code, locator and all its texts', () => {
    for (const ns of [OWS10, OWS11, OWS20]) {
      const root = parseXml(
        owsReport(
          ns,
          `<ows:Exception exceptionCode="InvalidParameterValue" locator="typeName">
             <ows:ExceptionText>Feature type unknown</ows:ExceptionText><ows:ExceptionText>see server log</ows:ExceptionText>
           </ows:Exception>
           <ows:Exception exceptionCode="OperationNotSupported"><ows:ExceptionText>second</ows:ExceptionText></ows:Exception>`,
        ),
      );
      expect(ogcException(root)).toEqual({ code: 'InvalidParameterValue', text: 'Feature type unknown see server log', locator: 'typeName' });
    }
  });

  it('OWS without exceptionCode, locator or texts: NoApplicableCode, no locator, empty text', () => {
    expect(ogcException(parseXml(owsReport(OWS11, '<ows:Exception/>')))).toEqual({ code: 'NoApplicableCode', text: '', locator: undefined });
    expect(ogcException(parseXml(owsReport(OWS11, '<ows:Exception exceptionCode="" locator=""/>')))).toEqual({ code: 'NoApplicableCode', text: '', locator: undefined });
    expect(ogcException(parseXml(owsReport(OWS10, '')))).toEqual({ code: 'NoApplicableCode', text: '', locator: undefined });
  });

  it('WMS 1.3.0 (ogc namespace) and 1.1.1 (no namespace) ServiceExceptionReport', () => {
    expect(
      ogcException(
        parseXml(`<ServiceExceptionReport xmlns="http://www.opengis.net/ogc" version="1.3.0">
          <ServiceException code="LayerNotDefined" locator="LAYERS">Unknown layer: flurstuecke</ServiceException>
          <ServiceException code="StyleNotDefined">second</ServiceException></ServiceExceptionReport>`),
      ),
    ).toEqual({ code: 'LayerNotDefined', text: 'Unknown layer: flurstuecke', locator: 'LAYERS' });
    expect(ogcException(parseXml('<ServiceExceptionReport version="1.1.1"><ServiceException>Out of memory</ServiceException></ServiceExceptionReport>'))).toEqual({
      code: 'NoApplicableCode',
      text: 'Out of memory',
      locator: undefined,
    });
    expect(ogcException(parseXml('<ServiceExceptionReport version="1.1.1"/>'))).toEqual({ code: 'NoApplicableCode', text: '', locator: undefined });
  });

  it('not a report: a capabilities document, a report element of another namespace, another root', () => {
    expect(ogcException(parseXml('<WMS_Capabilities xmlns="http://www.opengis.net/wms" version="1.3.0"/>'))).toBeUndefined();
    expect(ogcException(parseXml(owsReport('http://www.opengis.net/ows/9.9', '<ows:Exception exceptionCode="X"/>')))).toBeUndefined();
    expect(ogcException(parseXml('<ServiceExceptionReport xmlns="urn:elsewhere"><ServiceException code="X"/></ServiceExceptionReport>'))).toBeUndefined();
    expect(ogcException(parseXml(`<ServiceExceptionReport xmlns="${OWS10}"/>`))).toBeUndefined();
    expect(ogcException(parseXml(`<x:ExceptionReport xmlns:x="http://www.opengis.net/ogc"/>`))).toBeUndefined();
  });
});

describe('an exception report as the upstream’s answer', () => {
  let server: SandboxServer;
  let geoproxy: UpstreamClient;
  let document = '';

  beforeAll(async () => {
    server = await startSandboxServer({ name: 'geoproxy', routes: [{ method: 'GET', path: '/ows', handler: () => xml(document) }] });
    geoproxy = createUpstreamClient({ name: 'geoproxy', baseUrl: server.url, production: true, retry: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    await geoproxy.close();
    await server.close();
  });

  async function outcome(doc: string): Promise<UpstreamError | undefined> {
    document = doc;
    const res: UpstreamResponse = await geoproxy.request({ path: '/ows' });
    try {
      assertNoOgcException(res, parseXml(res.text()));
    } catch (e) {
      return e as UpstreamError;
    }
    return undefined;
  }
  const ows = (code: string, text = 'request refused', locator?: string) =>
    owsReport(OWS11, `<ows:Exception exceptionCode="${code}"${locator ? ` locator="${locator}"` : ''}><ows:ExceptionText>${text}</ows:ExceptionText></ows:Exception>`);

  it('a normal document passes', async () => {
    expect(await outcome('<WMS_Capabilities xmlns="http://www.opengis.net/wms" version="1.3.0"/>')).toBeUndefined();
  });

  it('access codes of secured services (any case) → UPSTREAM_PROTECTED', async () => {
    for (const code of ['AccessDenied', 'Forbidden', 'Unauthorized', 'Unauthorised', 'NotAuthorized', 'NotAuthorised', 'AuthenticationRequired', 'SecurityException', 'accessdenied', 'FORBIDDEN']) {
      const e = await outcome(ows(code, 'no details'));
      expect({ code, error: e?.code, upstream: e?.upstream }).toEqual({ code, error: 'UPSTREAM_PROTECTED', upstream: 'geoproxy' });
    }
  });

  it('a code that only contains an access word is an ordinary OGC exception', async () => {
    for (const code of ['AccessDeniedLater', 'NoForbidden', 'InvalidParameterValue', 'Unauthorize']) {
      const e = await outcome(ows(code, 'layer missing'));
      expect({ code, error: e?.code }).toEqual({ code, error: 'UPSTREAM_OGC_EXCEPTION' });
    }
  });

  it('access phrases in the text → UPSTREAM_PROTECTED, whatever the code', async () => {
    for (const text of [
      'Access denied for anonymous',
      'User is not authorized',
      'User is not authorised',
      'unauthorized request',
      'Unauthorised request',
      'Forbidden: WAS token missing',
      'Authentication required',
      'authentication is required for this layer',
      'Permission denied',
    ]) {
      const e = await outcome(ows('NoApplicableCode', text));
      expect({ text, error: e?.code }).toEqual({ text, error: 'UPSTREAM_PROTECTED' });
    }
  });

  it('phrases that only resemble access words do not', async () => {
    for (const text of ['Layer not found', 'access deniedness', 'forbiddenfruit is not a layer', 'authentication not required', 'permission granted', 'preauthorized']) {
      const e = await outcome(ows('NoApplicableCode', text));
      expect({ text, error: e?.code }).toEqual({ text, error: 'UPSTREAM_OGC_EXCEPTION' });
    }
  });

  it('the client sees the code cleaned to word characters, dots and dashes, at most 64; the server text only in the log reason', async () => {
    const e = (await outcome(ows('Invalid Parameter&lt;Value&gt;/x.y-z', 'secret host db-internal-7', 'LAYERS')))!;
    expect(e.extensions).toEqual({ code: 'UPSTREAM_OGC_EXCEPTION', upstream: 'geoproxy', status: 200, ogcCode: 'InvalidParameterValuex.y-z' });
    expect(e.internal.reason).toBe('Invalid Parameter<Value>/x.y-z (LAYERS): secret host db-internal-7');
    expect(JSON.stringify(e.toJSON())).not.toContain('db-internal-7');

    const long = `C${'x'.repeat(99)}`;
    const e2 = (await outcome(ows(long, 't'.repeat(600))))!;
    expect(e2.extensions.ogcCode).toBe(long.slice(0, 64));
    // no locator: no parentheses; the text is cut at 500 characters
    expect(e2.internal.reason).toBe(`${long}: ${'t'.repeat(500)}`);
  });

  it('a WMS service exception is read the same way', async () => {
    const e = (await outcome('<ServiceExceptionReport version="1.1.1"><ServiceException code="LayerNotDefined">no such layer</ServiceException></ServiceExceptionReport>'))!;
    expect(e.extensions).toMatchObject({ code: 'UPSTREAM_OGC_EXCEPTION', ogcCode: 'LayerNotDefined' });
    expect(e.internal.reason).toBe('LayerNotDefined: no such layer');
  });
});

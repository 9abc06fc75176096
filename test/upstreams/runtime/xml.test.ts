import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, xml, type SandboxServer } from '../../../src/sandbox/http';
import { UpstreamError } from '../../../src/upstreams/runtime/errors';
import { createUpstreamClient, type UpstreamClient } from '../../../src/upstreams/runtime/http';
import { assertNoOgcException, ogcException } from '../../../src/formats/ogc/exception';
import { XmlLimitError, XmlSecurityError, XmlSyntaxError, parseXml, xmlFromResponse } from '../../../src/upstreams/runtime/xml';
import { MB, gc, peakGrowth } from './memory';

// The mapper's own prefixes; documents below deliberately use others.
const NS = {
  csw: 'http://www.opengis.net/cat/csw/2.0.2',
  gmd: 'http://www.isotc211.org/2005/gmd',
  gco: 'http://www.isotc211.org/2005/gco',
  gmx: 'http://www.isotc211.org/2005/gmx',
  xlink: 'http://www.w3.org/1999/xlink',
};

// Synthetic sandbox records shaped like a GeoNetwork CSW 2.0.2 GetRecords answer (ISO 19139).
const GET_RECORDS = `<?xml version="1.0" encoding="UTF-8"?>
<!-- sandbox test data -->
<c:GetRecordsResponse xmlns:c="http://www.opengis.net/cat/csw/2.0.2">
  <c:SearchStatus timestamp="2026-01-01T00:00:00"/>
  <c:SearchResults numberOfRecordsMatched="216" numberOfRecordsReturned="2" nextRecord="85" elementSet="full">
    <iso:MD_Metadata xmlns:iso="http://www.isotc211.org/2005/gmd" xmlns:t="http://www.isotc211.org/2005/gco"
                     xmlns:lnk="http://www.w3.org/1999/xlink">
      <iso:fileIdentifier><t:CharacterString> sandbox-rec-0001 </t:CharacterString></iso:fileIdentifier>
      <iso:identificationInfo>
        <iso:MD_DataIdentification>
          <iso:citation><iso:CI_Citation><iso:title><t:CharacterString>Sandbox &amp; Test: Flurstücke</t:CharacterString></iso:title></iso:CI_Citation></iso:citation>
          <iso:abstract><t:CharacterString><![CDATA[<b>not markup</b>]]> tail</t:CharacterString></iso:abstract>
        </iso:MD_DataIdentification>
      </iso:identificationInfo>
      <iso:distributionInfo><iso:onLine lnk:href="http://sandbox.invalid/wms" href="plain"/></iso:distributionInfo>
    </iso:MD_Metadata>
    <MD_Metadata xmlns="http://www.isotc211.org/2005/gmd">
      <fileIdentifier><CharacterString xmlns="http://www.isotc211.org/2005/gco">sandbox-rec-0002</CharacterString></fileIdentifier>
      <identificationInfo><MD_DataIdentification><citation><CI_Citation><title>
        <x:Anchor xmlns:x="http://www.isotc211.org/2005/gmx" xmlns:xl="http://www.w3.org/1999/xlink" xl:href="urn:sandbox:anchor">Anchored title</x:Anchor>
      </title></CI_Citation></citation></MD_DataIdentification></identificationInfo>
    </MD_Metadata>
    <gmd:MD_Metadata xmlns:gmd="urn:not-the-gmd-namespace"><gmd:fileIdentifier>impostor</gmd:fileIdentifier></gmd:MD_Metadata>
  </c:SearchResults>
</c:GetRecordsResponse>`;

describe('namespace-aware parsing', () => {
  const root = parseXml(GET_RECORDS);

  it('matches on namespace URI + local name whatever the document prefixes are', () => {
    expect(root.is(NS.csw, 'GetRecordsResponse')).toBe(true);
    expect(root.prefix).toBe('c');
    const results = root.child(NS.csw, 'SearchResults')!;
    expect(results.attr('numberOfRecordsMatched')).toBe('216');
    expect(results.attr('nextRecord')).toBe('85');
    const records = results.children(NS.gmd, 'MD_Metadata');
    expect(records).toHaveLength(2); // the impostor in another namespace does not match
    expect(records.map((r) => r.textAt('gmd:fileIdentifier/gco:CharacterString', NS))).toEqual(['sandbox-rec-0001', 'sandbox-rec-0002']);
  });

  it('resolves paths with wildcards, text alternatives and namespaced attributes', () => {
    const [first, second] = root.findAll('csw:SearchResults/gmd:MD_Metadata', NS);
    const titlePath = 'gmd:identificationInfo/*/gmd:citation/gmd:CI_Citation/gmd:title';
    expect(first.textAt(`${titlePath}/gco:CharacterString`, NS)).toBe('Sandbox & Test: Flurstücke');
    expect(second.textAt(`${titlePath}/gco:CharacterString`, NS)).toBeUndefined();
    expect(second.textAt(`${titlePath}/gmx:Anchor`, NS)).toBe('Anchored title');
    expect(second.textAt(`${titlePath}/gmx:Anchor/@xlink:href`, NS)).toBe('urn:sandbox:anchor');
    expect(second.find(titlePath, NS)!.child('*', '*')!.local).toBe('Anchor');
    const online = first.find('gmd:distributionInfo/gmd:onLine', NS)!;
    expect(online.attr('href', NS.xlink)).toBe('http://sandbox.invalid/wms');
    expect(online.attr('href')).toBe('plain');
    expect(online.attributes.map((a) => a.name).sort()).toEqual(['href', 'lnk:href']); // xmlns declarations are not attributes
    expect(first.textAt('gmd:identificationInfo/*/gmd:abstract', NS)).toBe('<b>not markup</b> tail');
    expect(root.descendants(NS.gco, 'CharacterString')).toHaveLength(4);
    expect(root.textsAt('csw:SearchResults/gmd:MD_Metadata/gmd:fileIdentifier/gco:CharacterString', NS)).toHaveLength(2);
  });

  it('refuses a path prefix the mapper did not declare', () => {
    expect(() => root.find('foo:bar', NS)).toThrow(/prefix "foo" is not in the namespace map/);
  });

  it('rejects an undeclared document prefix as not well-formed', () => {
    expect(() => parseXml('<a:root/>')).toThrow(XmlSyntaxError);
  });

  it('decodes by the XML declaration and BOM', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><name>Gößnitz</name>', 'latin1');
    expect(parseXml(latin1).text()).toBe('Gößnitz');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<name>Sömmerda</name>')]);
    expect(parseXml(bom).text()).toBe('Sömmerda');
  });
});

const flat = (s: string): string => Buffer.from(s, 'latin1').toString('latin1');

describe('hostile XML is refused', () => {
  const XXE = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<foo>&xxe;</foo>`;

  const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n ')}
]>
<lolz>&lol9;</lolz>`;

  it('XXE to file:///etc/passwd → XmlSecurityError, nothing read', () => {
    expect(() => parseXml(XXE)).toThrow(XmlSecurityError);
    expect(() => parseXml(XXE, { doctype: 'skip-if-no-entities' })).toThrow(/entity declarations are not accepted/);
    try {
      parseXml(XXE);
    } catch (e) {
      expect((e as Error).message).not.toContain('root:');
    }
  });

  it('an entity reference without a declaration is not expanded either', () => {
    expect(() => parseXml('<foo>&xxe;</foo>')).toThrow(XmlSyntaxError);
    expect(parseXml('<foo>&lt;&#228;&amp;</foo>').text()).toBe('<ä&');
  });

  it('billion laughs → rejected at once without memory growth', async () => {
    for (const doctype of ['reject', 'skip-if-no-entities'] as const) {
      const t0 = Date.now();
      const { error, peakBytes } = await peakGrowth(() => parseXml(BILLION_LAUGHS, { doctype }));
      expect(error).toBeInstanceOf(XmlSecurityError);
      expect(Date.now() - t0).toBeLessThan(200);
      expect(peakBytes).toBeLessThan(4 * MB);
    }
  });

  it('a DOCTYPE hidden after comments and processing instructions is still found', () => {
    expect(() => parseXml('<?xml version="1.0"?><!-- x --><?pi y?>\n<!DOCTYPE a SYSTEM "http://sandbox.invalid/a.dtd"><a/>')).toThrow(
      XmlSecurityError,
    );
  });

  it('WMS 1.1.1 documents with an entity-free DOCTYPE parse in skip mode, never in the default mode', () => {
    const wms111 = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE WMT_MS_Capabilities SYSTEM "http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd"
 [ <!ELEMENT VendorSpecificCapabilities EMPTY> ]>
<WMT_MS_Capabilities version="1.1.1"><Service><Name>OGC:WMS</Name></Service></WMT_MS_Capabilities>`;
    expect(() => parseXml(wms111)).toThrow(XmlSecurityError);
    const root = parseXml(wms111, { doctype: 'skip-if-no-entities' });
    expect(root.textAt('Service/Name')).toBe('OGC:WMS');
  });

  it('nesting deeper than the limit → XmlLimitError (no stack overflow)', () => {
    const deep = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(() => parseXml(deep(100_000))).toThrow(XmlLimitError);
    expect(() => parseXml(deep(51), { maxDepth: 50 })).toThrow(expect.objectContaining({ limit: 'maxDepth', max: 50 }));
    expect(parseXml(deep(50), { maxDepth: 50 }).local).toBe('a');
  });

  it('too many elements or attributes → XmlLimitError', () => {
    expect(() => parseXml(`<r>${'<a/>'.repeat(1001)}</r>`, { maxElements: 1000 })).toThrow(
      expect.objectContaining({ limit: 'maxElements' }),
    );
    const attrs = Array.from({ length: 300 }, (_, i) => `a${i}="v"`).join(' ');
    expect(() => parseXml(`<r ${attrs}/>`)).toThrow(expect.objectContaining({ limit: 'maxAttributes' }));
  });

  it('a 50 MB document (string or Buffer) is refused up front without memory blow-up', async () => {
    // Built through a Buffer so the string is flat: a concatenated (rope) string would be
    // flattened by the first length check and the test would measure its own input.
    const body = flat('<r>' + 'x'.repeat(50 * MB) + '</r>');
    gc();
    const asString = await peakGrowth(() => parseXml(body));
    expect(asString.error).toBeInstanceOf(XmlLimitError);
    expect((asString.error as XmlLimitError).limit).toBe('maxBytes');
    expect(asString.peakBytes).toBeLessThan(8 * MB);
    const buf = Buffer.from(body);
    const asBuffer = await peakGrowth(() => parseXml(buf));
    expect(asBuffer.error).toBeInstanceOf(XmlLimitError);
    expect(asBuffer.peakBytes).toBeLessThan(8 * MB);
  });

  it('a huge internal subset is refused before the parser buffers it', async () => {
    const doc = flat(`<!DOCTYPE a [ ${'<!-- pad -->'.repeat(1_000_000)} ]><a/>`);
    const { error, peakBytes } = await peakGrowth(() => parseXml(doc));
    expect(error).toBeInstanceOf(XmlSecurityError);
    expect(peakBytes).toBeLessThan(4 * MB);
  });

  it('truncated and garbage input → XmlSyntaxError', () => {
    expect(() => parseXml(GET_RECORDS.slice(0, GET_RECORDS.length / 2))).toThrow(XmlSyntaxError);
    expect(() => parseXml('')).toThrow(XmlSyntaxError);
    expect(() => parseXml('{"json": true}')).toThrow(XmlSyntaxError);
    expect(() => parseXml('<a></b>')).toThrow(XmlSyntaxError);
  });
});

describe('XML over HTTP', () => {
  let server: SandboxServer;
  let geomis: UpstreamClient;
  let geoproxy: UpstreamClient;

  beforeAll(async () => {
    server = await startSandboxServer({
      name: 'geomis',
      routes: [
        { method: 'GET', path: '/csw', handler: () => xml(GET_RECORDS) },
        {
          method: 'GET',
          path: '/csw-error',
          handler: () =>
            xml(`<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows" version="1.2.0">
  <ows:Exception exceptionCode="InvalidParameterValue" locator="outputSchema"><ows:ExceptionText>bad schema at geonetwork-internal-3:8080</ows:ExceptionText></ows:Exception>
</ows:ExceptionReport>`),
        },
        {
          method: 'GET',
          path: '/wms-protected',
          handler: () =>
            xml(`<ServiceExceptionReport xmlns="http://www.opengis.net/ogc" version="1.3.0">
  <ServiceException code="NoApplicableCode">Access denied: WAS authentication required</ServiceException>
</ServiceExceptionReport>`),
        },
      ],
    });
    geomis = createUpstreamClient({ name: 'geomis', baseUrl: server.url, production: true, retry: { maxAttempts: 1 } });
    geoproxy = createUpstreamClient({ name: 'geoproxy', baseUrl: server.url, production: true, retry: { maxAttempts: 1 } });
  });
  afterAll(async () => {
    await geomis.close();
    await geoproxy.close();
    await server.close();
  });

  it('parses a response body with the shared configuration', async () => {
    const root = xmlFromResponse(await geomis.request({ path: '/csw' }));
    expect(root.find('csw:SearchResults', NS)!.attr('numberOfRecordsReturned')).toBe('2');
  });

  it('a document over the XML byte limit → UPSTREAM_TOO_LARGE naming the upstream', async () => {
    const res = await geomis.request({ path: '/csw' });
    expect(() => xmlFromResponse(res, { maxBytes: 100 })).toThrow(expect.objectContaining({ code: 'UPSTREAM_TOO_LARGE', upstream: 'geomis' }));
  });

  it('a 50 MB XML stream is cut off by the client size limit before parsing', async () => {
    server.setFaults('geomis:/csw=oversize:50mb');
    const small = createUpstreamClient({ name: 'geomis', baseUrl: server.url, maxResponseBytes: 2 * MB, retry: { maxAttempts: 1 } });
    const { error, peakBytes } = await peakGrowth(() => small.request({ path: '/csw' }).then(xmlFromResponse));
    expect(error).toMatchObject({ code: 'UPSTREAM_TOO_LARGE', upstream: 'geomis' });
    expect(peakBytes).toBeLessThan(16 * MB);
    server.setFaults(undefined);
    await small.close();
  });

  it('an OWS exception report with HTTP 200 → UPSTREAM_OGC_EXCEPTION with the code, text only in logs', async () => {
    const res = await geomis.request({ path: '/csw-error' });
    expect(res.status).toBe(200);
    const root = xmlFromResponse(res);
    expect(ogcException(root)).toEqual({
      code: 'InvalidParameterValue',
      text: 'bad schema at geonetwork-internal-3:8080',
      locator: 'outputSchema',
    });
    let err: UpstreamError | undefined;
    try {
      assertNoOgcException(res, root);
    } catch (e) {
      err = e as UpstreamError;
    }
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err!.extensions).toEqual({ code: 'UPSTREAM_OGC_EXCEPTION', upstream: 'geomis', status: 200, ogcCode: 'InvalidParameterValue' });
    expect(JSON.stringify(err!.toJSON())).not.toContain('geonetwork-internal');
    expect(err!.internal.reason).toContain('geonetwork-internal-3');
  });

  it('a WMS access exception → UPSTREAM_PROTECTED', async () => {
    const res = await geoproxy.request({ path: '/wms-protected' });
    expect(() => assertNoOgcException(res, xmlFromResponse(res))).toThrow(
      expect.objectContaining({ code: 'UPSTREAM_PROTECTED', upstream: 'geoproxy' }),
    );
  });

  it('a normal document passes the exception check', async () => {
    const res = await geomis.request({ path: '/csw' });
    expect(() => assertNoOgcException(res, xmlFromResponse(res))).not.toThrow();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, xml, type SandboxServer } from '../../../src/sandbox/http';
import { GeoService } from '../../../src/services/geo';
import { GeomisClient } from '../../../src/upstreams/geomis/client';
import { createGeomisLoaders } from '../../../src/upstreams/geomis/loaders';
import type { GeoRecord } from '../../../src/schema/types/geo';
import { fixtureText } from '../geo-common/fixtures';
import { call, sourceFor } from '../geo-common/helpers';

/**
 * Issue 16 item 2: pycsw does not announce apiso:ResourceIdentifier (recorded pycsw capabilities,
 * test/fixtures/geo/csw/getcapabilities-csw202-apiso.pycsw.xml) and rejects a filter on it. The
 * dataset is the real DWD record (iso19139/dataset-dwd-rbsn.mrmap.xml) whose resource identifier is the
 * GDI-DE registry URI a WFS MetadataURL or an operatesOn uuidref names.
 */

const FILE_ID = 'de.dwd.geoserver.fach.RBSN_FF';
const RESOURCE_ID = `https://registry.gdi-de.org/id/de.bund.dwd/${FILE_ID}`;
const record = () => fixtureText('iso19139/dataset-dwd-rbsn.mrmap.xml').replace(/^<\?xml[^>]*>/, '');
const PYCSW_CAPS = () => fixtureText('csw/getcapabilities-csw202-apiso.pycsw.xml');

let caps = PYCSW_CAPS();
let server: SandboxServer;
const bodies: string[] = [];
const closers: (() => Promise<void>)[] = [];

const exception = (text: string) =>
  `<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows" version="1.2.0"><ows:Exception exceptionCode="InvalidParameterValue" locator="constraint"><ows:ExceptionText>${text}</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`;
const results = (n: number) =>
  `<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" version="2.0.2"><csw:SearchStatus timestamp="2026-11-30T10:00:00Z"/>` +
  `<csw:SearchResults numberOfRecordsMatched="${n}" numberOfRecordsReturned="${n}" nextRecord="0" recordSchema="http://www.isotc211.org/2005/gmd" elementSet="full">${n ? record() : ''}</csw:SearchResults></csw:GetRecordsResponse>`;

beforeAll(async () => {
  server = await startSandboxServer({
    name: 'geomis',
    routes: [
      { method: 'GET', path: '/', handler: () => xml(caps) },
      {
        method: 'POST',
        path: '/',
        handler: (req) => {
          const body = req.text();
          bodies.push(body);
          // like pycsw: a queryable it does not know is an error, not an empty result
          if (body.includes('apiso:ResourceIdentifier')) return xml(exception('Invalid Constraint: apiso:ResourceIdentifier'));
          if (body.includes('GetRecordById')) return xml(`<csw:GetRecordByIdResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2">${body.includes(`<csw:Id>${FILE_ID}</csw:Id>`) ? record() : ''}</csw:GetRecordByIdResponse>`);
          const plain = body.replace(/\\(.)/g, '$1'); // OGC Like escapes
          const hit = plain.includes(`%${RESOURCE_ID}%`) || body.includes(`<ogc:Literal>${FILE_ID}</ogc:Literal>`) || body.includes(`%${FILE_ID}%`);
          return xml(results(hit ? 1 : 0));
        },
      },
    ],
  });
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await server?.close();
});

function loaders() {
  const s = sourceFor('geomis', server.url);
  closers.push(s.close);
  return createGeomisLoaders(new GeomisClient(s.source), call());
}

describe('coupling on a catalogue without apiso:ResourceIdentifier (pycsw)', () => {
  it('finds a record by its resource identifier through AnyText, never sending ResourceIdentifier', async () => {
    caps = PYCSW_CAPS();
    bodies.length = 0;
    const res = await loaders().recordByIdentifier.load(RESOURCE_ID);
    expect(res.value?.fileIdentifier).toBe(FILE_ID);
    expect(res.value?.resourceIdentifiers.map((r) => r.code)).toContain(RESOURCE_ID);
    expect(bodies.some((b) => b.includes('ResourceIdentifier'))).toBe(false);
    expect(bodies.some((b) => b.includes('apiso:AnyText'))).toBe(true);
  });

  it('a service record whose operatesOn uuidref is the resource identifier resolves its dataset', async () => {
    caps = PYCSW_CAPS();
    const svc = { id: 'svc', type: 'service', resourceIdentifiers: [], service: { operatesOn: [{ uuidref: RESOURCE_ID, href: null, title: null }] } } as unknown as GeoRecord;
    const geo = new GeoService(loaders(), undefined as never, call());
    const ds = await geo.datasetsOf(svc);
    expect(ds.map((d) => d.id)).toEqual([FILE_ID]);
  });

  it('without AnyText it still resolves a uuidref that is a fileIdentifier, by GetRecordById', async () => {
    caps = PYCSW_CAPS().replace('<ows:Value>apiso:AnyText</ows:Value>', '');
    bodies.length = 0;
    const res = await loaders().recordByIdentifier.load(FILE_ID);
    expect(res.value?.fileIdentifier).toBe(FILE_ID);
    expect(bodies.some((b) => b.includes('ResourceIdentifier'))).toBe(false);
  });

  it('only when no way is left it says what is missing: ResourceIdentifier and AnyText', async () => {
    caps = PYCSW_CAPS().replace('<ows:Value>apiso:AnyText</ows:Value>', '');
    bodies.length = 0;
    const err = await loaders().recordByIdentifier.load(RESOURCE_ID).catch((e) => e);
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_REJECTED', upstream: 'geomis', reason: 'QUERYABLE_NOT_SUPPORTED' });
    expect(err.message).toMatch(/ResourceIdentifier/);
    expect(err.message).toMatch(/AnyText/);
    // the fallbacks were tried first: Identifier search and GetRecordById
    expect(bodies.some((b) => b.includes('apiso:Identifier'))).toBe(true);
    expect(bodies.some((b) => b.includes('GetRecordById'))).toBe(true);
  });
});

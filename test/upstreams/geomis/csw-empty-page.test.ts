import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, xml, type SandboxServer } from '../../../src/sandbox/http';
import { GeomisClient } from '../../../src/upstreams/geomis/client';
import { isUpstreamError } from '../../../src/upstreams/runtime';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { fixtureText } from '../geo-common/fixtures';
import { call, sourceFor } from '../geo-common/helpers';

/**
 * Issue 16 item 1: a GetRecords page that claims records but carries none (or a hits-only answer, or
 * records in another schema than requested) must not become a connection a client cannot page through.
 * Documents: test/fixtures/geo/issue16/ (synthesised after real GeoNetwork answers, see SOURCES.md).
 */

let replay: SandboxServer;
let gw: TestGateway;
let body = '';
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  replay = await startSandboxServer({
    name: 'geomis',
    routes: [
      { method: 'GET', path: '/', handler: () => xml(fixtureText('csw/getcapabilities-csw202-apiso.pycsw.xml')) },
      { method: 'POST', path: '/', handler: () => xml(body) },
    ],
  });
  gw = await startTestGateway({ GEOMIS_BASE_URL: replay.url });
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await gw?.stop();
  await replay?.close();
});

const client = () => {
  const s = sourceFor('geomis', replay.url);
  closers.push(s.close);
  return new GeomisClient(s.source);
};

const QUERY = `query($first: Int, $after: String) {
  geoRecords(first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
  geoWebService(name: "DOP") { title }
}`;

describe('CSW paging a client can follow', () => {
  it('the client reports an empty page as a typed error, not as a page', async () => {
    body = fixtureText('issue16/csw-getrecords-empty-page.synthetic.xml');
    const err = await client().getRecords({}, { startPosition: 1, maxRecords: 10 }, call()).catch((e) => e);
    expect(isUpstreamError(err)).toBe(true);
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', reason: 'EMPTY_PAGE', totalCount: 15075 });
  });

  it('a recorded page with records is still taken, and its recordSchema matches the request', async () => {
    body = fixtureText('csw/getrecords-iso-all.pycsw.xml');
    const res = await gw.raw(QUERY, { first: 5 });
    expect(res.errors).toBeUndefined();
    const c = res.data!.geoRecords;
    expect(c.totalCount).toBe(18);
    expect(c.edges).toHaveLength(5);
    expect(c.pageInfo.hasNextPage).toBe(true);
    expect(c.pageInfo.endCursor).toBe(c.edges[4].cursor);
  });

  it('whenever hasNextPage is true the endCursor moves on, also for first: 0', async () => {
    body = fixtureText('csw/getrecords-iso-all.pycsw.xml');
    const zero = await gw.raw(QUERY, { first: 0 });
    expect(zero.errors).toBeUndefined();
    const p = zero.data!.geoRecords.pageInfo;
    expect(zero.data!.geoRecords.edges).toEqual([]);
    expect(p.hasNextPage).toBe(true);
    expect(p.endCursor).not.toBeNull();
    // following that cursor gives the first records (positions 1..5 of the recorded page)
    const next = await gw.raw(QUERY, { first: 5, after: p.endCursor });
    const fromStart = await gw.raw(QUERY, { first: 5 });
    expect(next.errors).toBeUndefined();
    expect(next.data!.geoRecords.edges).toHaveLength(5);
    expect(next.data!.geoRecords.edges).toEqual(fromStart.data!.geoRecords.edges);
  });
  // Last: repeated bad answers may open the geomis circuit breaker of this gateway.
  it.each([
    ['claims 10 records, body has none', 'issue16/csw-getrecords-empty-page.synthetic.xml', 'EMPTY_PAGE'],
    ['hits-only answer (returned 0, matched 15075)', 'issue16/csw-getrecords-hits-only.synthetic.xml', 'EMPTY_PAGE'],
    ['Dublin Core records with recordSchema csw instead of gmd', 'issue16/csw-getrecords-dublincore-instead-of-iso.synthetic.xml', 'RECORD_SCHEMA_MISMATCH'],
    ['Dublin Core records without recordSchema', 'issue16/csw-getrecords-dublincore-no-recordschema.synthetic.xml', 'RECORD_SCHEMA_MISMATCH'],
  ])('%s → UPSTREAM_BAD_RESPONSE (%s), the rest of the answer intact', async (_label, file, reason) => {
    body = fixtureText(file);
    const res = await gw.raw(QUERY, { first: 10 });
    expect(res.data!.geoRecords).toBeNull();
    const err = res.errors!.find((e) => e.path?.[0] === 'geoRecords')!;
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'geomis', reason });
    // the other root field (another upstream) is untouched
    expect(res.data!.geoWebService.title).toBeTruthy();
    expect(res.errors!.length).toBe(1);
  });

});

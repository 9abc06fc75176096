import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxServer, xml, type SandboxServer } from '../../../src/sandbox/http';
import { defaultWorld, type World } from '../../../src/sandbox/world';
import { CSW_IDS_PER_REQUEST, GeomisClient } from '../../../src/upstreams/geomis/client';
import { geomisSandboxRoutes } from '../../../src/upstreams/geomis/sandbox';
import { isUpstreamError } from '../../../src/upstreams/runtime';
import { fixtureText } from '../geo-common/fixtures';
import { call, postCount, sourceFor } from '../geo-common/helpers';

let world: World;
let server: SandboxServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  world = defaultWorld();
  server = await startSandboxServer({ name: 'geomis', routes: geomisSandboxRoutes(world) });
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await server?.close();
});

function client(baseUrl = server.url) {
  const s = sourceFor('geomis', baseUrl);
  closers.push(s.close);
  return new GeomisClient(s.source);
}

const uniqueIds = () => [...new Set(world.geo.records.map((r) => r.fileIdentifier))].sort();

describe('GeoMIS CSW client against the sandbox catalogue', () => {
  it('pages through the whole catalogue: every record exactly once, following nextRecord', async () => {
    server.resetCounts();
    const c = client();
    const res = await c.harvest({}, { pageSize: 7 }, call());
    const ids = res.value.records.map((r) => r.fileIdentifier);
    expect(ids.length).toBe(new Set(ids).size);
    expect([...ids].sort()).toEqual(uniqueIds());
    expect(res.value.matched).toBe(uniqueIds().length);
    expect(res.value.stop).toBe('end');
    expect(res.value.pages).toBe(Math.ceil(uniqueIds().length / 7));
    // one capabilities GET (outputSchema check) + one POST per page
    expect(postCount(server)).toBe(res.value.pages);
    expect(server.requests().filter((r) => r.method === 'GET').length).toBe(1);
    expect(res.provenance.source).toBe('geomis');
  });

  it('sorted paging (Modified ASC, the incremental-harvest pattern) is ordered and complete', async () => {
    const c = client();
    const res = await c.harvest({ modifiedSince: '2026-01-01' }, { pageSize: 10 }, call(), { property: 'Modified', order: 'ASC' });
    const stamps = res.value.records.map((r) => r.dateStamp!);
    expect(stamps).toEqual([...stamps].sort());
    const expected = world.geo.records.filter((r) => r.dateStamp >= '2026-01-01').map((r) => r.fileIdentifier);
    expect(new Set(res.value.records.map((r) => r.fileIdentifier))).toEqual(new Set(expected));
    expect(expected.length).toBeGreaterThan(0);
  });

  it('filters: Type, ServiceType, keyword, AnyText, OrganisationName, BoundingBox', async () => {
    const c = client();
    const count = async (q: Parameters<GeomisClient['getRecords']>[0]) =>
      (await c.getRecords(q, { startPosition: 1, maxRecords: 100 }, call())).value;

    const services = await count({ types: ['service'] });
    expect(services.matched).toBe(world.geo.records.filter((r) => r.hierarchyLevel === 'service').length);
    expect(services.records.every((r) => r.type === 'service' && r.service !== null)).toBe(true);

    const series = await count({ types: ['series'] });
    expect(series.records.map((r) => r.title)).toEqual(['Digitale Topographische Karten Thüringen']);

    const download = await count({ serviceType: 'download' });
    expect(download.matched).toBe(world.geo.records.filter((r) => r.service?.serviceType === 'download').length);

    const alkis = await count({ keywords: ['ALKIS'], types: ['dataset'] });
    expect(alkis.records.map((r) => r.title).sort()).toEqual(
      world.geo.records.filter((r) => r.hierarchyLevel === 'dataset' && r.keywords.some((g) => g.keywords.some((k) => k.text === 'ALKIS'))).map((r) => r.title).sort(),
    );

    const any = await count({ anyText: 'bebauungsplan' });
    expect(any.matched).toBeGreaterThan(20);
    expect(any.records.every((r) => /bebauungspl/i.test(`${r.title} ${r.abstract} ${r.keywordGroups.flatMap((g) => g.keywords.map((k) => k.text)).join(' ')}`))).toBe(true);

    const erfurt = world.municipalities.find((m) => m.ars === '160510000000')!;
    const inBox = await count({ bbox: erfurt.bbox, types: ['dataset'] });
    const titles = inBox.records.map((r) => r.title);
    expect(titles).toContain('Bebauungspläne Erfurt');
    expect(titles).not.toContain('Bebauungspläne Jena');
    expect(inBox.records.every((r) => r.bbox && r.bbox.west <= erfurt.bbox.east && r.bbox.east >= erfurt.bbox.west)).toBe(true);

    const org = await count({ organisationName: 'Landesamt für Bau' });
    expect(org.records.length).toBe(world.geo.records.filter((r) => /Landesamt für Bau/i.test(r.pointOfContact.organisationName + ' ' + r.metadataContact.organisationName)).length);
    expect(org.records.length).toBeGreaterThan(0);
  });

  it('GetRecordById batches several ids per request; unknown ids are simply absent', async () => {
    const c = client();
    const ids = uniqueIds().slice(0, CSW_IDS_PER_REQUEST + 5);
    const before = postCount(server);
    const res = await c.getRecordsById([...ids, '5a4db0c5-0000-8000-8000-000000000000'], call());
    expect(postCount(server) - before).toBe(2);
    expect(res.value.map((r) => r.fileIdentifier).sort()).toEqual(ids);
    // sandbox output round-trips through the ISO mapper: spot-check a service record against the world
    const svc = world.geo.records.find((r) => r.service?.ogcServiceName === 'DOP')!;
    const [mapped] = (await c.getRecordsById([svc.fileIdentifier], call())).value;
    expect(mapped).toMatchObject({ fileIdentifier: svc.fileIdentifier, title: svc.title, type: 'service', bbox: svc.bbox });
    expect(mapped.service!.operatesOn.map((o) => o.uuidref)).toEqual(svc.service!.operatesOn.map((o) => o.uuidref));
    expect(mapped.service!.serviceType).toBe('view');
    expect(mapped.service!.serviceTypeVersions).toEqual(['1.1.1', '1.3.0']);
  });
});

describe('paging guard with inconsistent numbers', () => {
  let bad: SandboxServer;
  let mode: 'loop' | 'beyond' | 'empty' | 'backwards' | 'endless' = 'loop';
  const page = (matched: number, returned: number, next: number, ids: string[]) =>
    `<csw:GetRecordsResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"><csw:SearchResults numberOfRecordsMatched="${matched}" numberOfRecordsReturned="${returned}" nextRecord="${next}">` +
    ids.map((id) => `<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco"><gmd:fileIdentifier><gco:CharacterString>${id}</gco:CharacterString></gmd:fileIdentifier></gmd:MD_Metadata>`).join('') +
    `</csw:SearchResults></csw:GetRecordsResponse>`;

  beforeAll(async () => {
    bad = await startSandboxServer({
      name: 'geomis',
      routes: [
        { method: 'GET', path: '/', handler: () => xml(fixtureText('csw/getcapabilities-csw202-apiso.pycsw.xml')) },
        {
          method: 'POST',
          path: '/',
          handler: (req) => {
            const start = Number(/startPosition="(\d+)"/.exec(req.text())![1]);
            switch (mode) {
              case 'loop': // always points back to the first page
                return xml(page(50, 2, 1, [`a${start}`, `b${start}`]));
              case 'backwards':
                return xml(page(50, 2, start === 1 ? 3 : 2, [`a${start}`, `b${start}`]));
              case 'beyond': // nextRecord larger than matched
                return xml(page(4, 2, start === 1 ? 3 : 99, [`a${start}`, `b${start}`]));
              case 'endless': // consistent numbers, always a next page: only the page cap ends it
                return xml(page(1_000_000, 2, start + 2, [`a${start}`, `b${start}`]));
              case 'empty': // claims more but returns nothing
                return xml(page(50, start === 1 ? 2 : 0, start === 1 ? 3 : 5, start === 1 ? ['a1', 'b1'] : []));
            }
          },
        },
      ],
    });
  });
  afterAll(async () => bad?.close());

  it.each([
    ['loop', 1],
    ['backwards', 2],
    ['beyond', 2],
    ['empty', 2],
  ] as const)('%s: stops after %i page(s) with stop=guard instead of looping', async (m, pages) => {
    mode = m;
    const c = client(bad.url);
    const res = await c.harvest({}, { pageSize: 2, maxPages: 20 }, call());
    expect(res.value.pages).toBe(pages);
    expect(res.value.stop).toBe('guard');
    expect(res.value.records.length).toBe(new Set(res.value.records.map((r) => r.fileIdentifier)).size);
  });

  it('stops at the page cap on a server that never ends', async () => {
    // Every page is consistent and points on (no guard trips): without the cap this would page a million records.
    mode = 'endless';
    const c = client(bad.url);
    bad.resetCounts();
    const res = await c.harvest({}, { pageSize: 2, maxPages: 3 }, call());
    expect(res.value.pages).toBe(3);
    expect(res.value.stop).toBe('cap');
    expect(res.value.records.map((r) => r.fileIdentifier)).toEqual(['a1', 'b1', 'a3', 'b3', 'a5', 'b5']);
    expect(bad.requestCount('POST /')).toBe(3);
  });
});

describe('capabilities-driven behaviour and OGC errors', () => {
  let odd: SandboxServer;
  let body = '';
  beforeAll(async () => {
    odd = await startSandboxServer({
      name: 'geomis',
      routes: [
        { method: 'GET', path: '/', handler: () => xml(body) },
        { method: 'POST', path: '/', handler: () => xml(fixtureText('csw/getrecords-iso-all.pycsw.xml')) },
      ],
    });
  });
  afterAll(async () => odd?.close());

  it('refuses to query a catalogue whose capabilities do not list the ISO output schema', async () => {
    body = fixtureText('csw/getcapabilities-csw202-apiso.pycsw.xml').replace('<ows:Value>http://www.isotc211.org/2005/gmd</ows:Value>', '');
    const err = await client(odd.url).getRecords({}, { startPosition: 1, maxRecords: 5 }, call()).catch((e) => e);
    expect(isUpstreamError(err)).toBe(true);
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'geomis' });
    expect(postCount(odd)).toBe(0);
  });

  it('an ows:ExceptionReport with HTTP 200 becomes UPSTREAM_OGC_EXCEPTION naming geomis', async () => {
    body = '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows"><ows:Exception exceptionCode="NoApplicableCode"><ows:ExceptionText>boom</ows:ExceptionText></ows:Exception></ows:ExceptionReport>';
    const err = await client(odd.url).capabilities(call()).catch((e) => e);
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_OGC_EXCEPTION', upstream: 'geomis', ogcCode: 'NoApplicableCode' });
  });

  it('reads a recorded pycsw GetRecords page through the client (real document over HTTP)', async () => {
    body = fixtureText('csw/getcapabilities-csw202-apiso.pycsw.xml');
    const res = await client(odd.url).getRecords({}, { startPosition: 1, maxRecords: 5 }, call());
    expect([res.value.matched, res.value.returned, res.value.nextRecord]).toEqual([18, 5, 6]);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runChecks } from '../../src/conformance/engine';
import type { ConformanceInput } from '../../src/conformance/input';
import { Prober } from '../../src/conformance/probes';

// Live probes go only to configured upstream origins and CONFORMANCE_PROBE_HOSTS: asserted with servers that
// record every TCP connection they accept.
interface Recording { server: Server; url: string; connections: number; paths: string[] }

async function listen(handler: (path: string, res: import('node:http').ServerResponse, self: Recording) => void): Promise<Recording> {
  const rec = { connections: 0, paths: [] as string[] } as Recording;
  rec.server = createServer((req, res) => {
    rec.paths.push(`${req.method} ${req.url}`);
    handler(req.url ?? '/', res, rec);
  });
  rec.server.on('connection', () => rec.connections++);
  await new Promise<void>((r) => rec.server.listen(0, '127.0.0.1', r));
  rec.url = `http://127.0.0.1:${(rec.server.address() as AddressInfo).port}`;
  return rec;
}

let upstream: Recording;
let foreign: Recording;
beforeAll(async () => {
  foreign = await listen((_p, res) => res.end('hello'));
  upstream = await listen((p, res) => {
    if (p.startsWith('/ok')) return res.end('ok');
    if (p.startsWith('/protected')) return (res.statusCode = 401), res.end();
    if (p.startsWith('/head-refused')) return (res.statusCode = res.req.method === 'HEAD' ? 405 : 200), res.end();
    if (p.startsWith('/out')) return res.writeHead(302, { location: `${foreign.url}/landing` }).end();
    if (p.startsWith('/in')) return res.writeHead(301, { location: '/ok/after-redirect' }).end();
    if (p.startsWith('/csw')) {
      res.setHeader('content-type', 'application/xml');
      return res.end(p.includes('ID=known') ? '<csw:GetRecordByIdResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"><gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd"/></csw:GetRecordByIdResponse>' : '<csw:GetRecordByIdResponse xmlns:csw="http://www.opengis.net/cat/csw/2.0.2"/>');
    }
    res.statusCode = 404;
    res.end();
  });
});
afterAll(async () => {
  for (const s of [upstream, foreign]) await new Promise((r) => s?.server.close(r));
});

it('classifies links on a configured upstream: ok, protected (401), broken (404, empty GetRecordById), HEAD refused → GET, redirects followed', async () => {
  const p = new Prober({ upstreamOrigins: [upstream.url], allowHosts: [], perHostRps: 1000 });
  expect((await p.check(`${upstream.url}/ok`)).class).toBe('ok');
  expect((await p.check(`${upstream.url}/protected`)).class).toBe('protected');
  expect((await p.check(`${upstream.url}/missing`)).class).toBe('broken');
  expect((await p.check(`${upstream.url}/head-refused`)).class).toBe('ok');
  const followed = await p.check(`${upstream.url}/in`);
  expect(followed).toMatchObject({ class: 'ok', requested: `${upstream.url}/ok/after-redirect` });
  expect((await p.check(`${upstream.url}/csw?SERVICE=CSW&REQUEST=GetRecordById&ID=known`)).class).toBe('ok');
  expect(await p.check(`${upstream.url}/csw?service=CSW&request=GetRecordById&id=gone`)).toMatchObject({ class: 'broken', reason: expect.stringMatching(/no record/) });
  // Cached: asking again sends nothing.
  const sent = p.sent;
  await p.check(`${upstream.url}/ok`);
  expect(p.sent).toBe(sent);
});

it('never connects to a host outside the allow-list — neither directly nor through a redirect', async () => {
  const before = foreign.connections;
  const p = new Prober({ upstreamOrigins: [upstream.url], allowHosts: [], perHostRps: 1000 });
  expect(await p.check(`${foreign.url}/page`)).toMatchObject({ class: 'skipped', requested: null });
  expect(await p.check(`${upstream.url}/out`)).toMatchObject({ class: 'skipped', reason: expect.stringMatching(/redirect to 127\.0\.0\.1:\d+, which is not in the probe allow-list/) });
  expect(await p.check('ftp://127.0.0.1/file')).toMatchObject({ class: 'skipped' });
  expect(foreign.connections).toBe(before);
  expect(foreign.paths).toEqual([]);
});

it('R14 over a record whose links point to a foreign host: not probed without CONFORMANCE_PROBE_HOSTS, probed with it', async () => {
  const record = {
    fileIdentifier: '5a4db0c5-0000-8000-8000-000000000001', type: 'dataset', title: 'Probe', onlineResources: [{ url: `${foreign.url}/download`, protocol: null, name: null, description: null, function: null, applicationProfile: null }],
    browseGraphics: [`${upstream.url}/missing.png`], service: null, resourceIdentifiers: [], metadataContacts: [], bboxes: [], bbox: null,
  };
  const input = { collectedAt: '', asOf: '', upstreamUrls: {}, urlAliases: [], municipalities: [], pvog: { servicesByArs: [], unitsByService: [], details: [], units: [] }, thavel: null, geomis: { records: [record] }, geoproxy: { services: [] }, dvdv: null, gaps: [] } as unknown as ConformanceInput;
  const before = foreign.connections;
  const off = await runChecks(input, { rules: ['R14'], probe: new Prober({ upstreamOrigins: [upstream.url], allowHosts: [], perHostRps: 1000 }) });
  expect(off.findings.map((f) => (f.evidence.broken as { url: string }[]).map((b) => b.url))).toEqual([[`${upstream.url}/missing.png`]]);
  expect(foreign.connections).toBe(before);

  const host = new URL(foreign.url).host;
  const on = await runChecks(input, { rules: ['R14'], probe: new Prober({ upstreamOrigins: [upstream.url], allowHosts: [host], perHostRps: 1000 }) });
  expect(on.findings).toHaveLength(1); // the foreign link resolves (200), the upstream one is still broken
  expect(foreign.connections).toBeGreaterThan(before);
  expect(foreign.paths).toContain('HEAD /download');

  const none = await runChecks(input, { rules: ['R14'] });
  expect(none.outcomes).toEqual([{ rule: 'R14', status: 'not-evaluated', reason: 'live probes are off', findings: 0 }]);
});

import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, problem, startSandboxServer, text, type SandboxServer } from '../../../src/sandbox/http';

let server: SandboxServer;

beforeAll(async () => {
  server = await startSandboxServer({
    name: 'dvdv',
    routes: [
      {
        method: 'GET',
        path: '/v2/:fn',
        handler: (r) => json({ fn: r.params.fn, request: JSON.parse(r.query.get('request_json') ?? 'null') }),
      },
      { method: 'POST', path: '/v2/batch/:fn', name: 'batch', handler: (r) => json({ fn: r.params.fn, items: r.json<unknown[]>().length }) },
      { method: 'POST', path: '/echo', handler: (r) => text(r.body.toString('hex')) },
      { method: 'GET', path: '/big', handler: () => text('z'.repeat(5000)) },
      { method: 'GET', path: '/files/*', handler: (r) => text(r.params['*']) },
      { method: 'GET', path: '/broken', handler: () => { throw new Error('boom'); } },
      { method: 'GET', path: '/problem', handler: () => problem(404, 'problems/type/ENTITY_NOT_FOUND', 'not found', '5005 no entry') },
    ],
  });
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) => request(server.url + path, { headers });

describe('sandbox server base', () => {
  it('listens on loopback with a free port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('routes by method and path pattern, decodes params and parses the query', async () => {
    server.resetCounts();
    const q = encodeURIComponent(JSON.stringify({ organizationKey: 'ags:16051000' }));
    const res = await get(`/v2/findauthoritydescription?request_json=${q}`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ fn: 'findauthoritydescription', request: { organizationKey: 'ags:16051000' } });
    const files = await get('/files/a/b%20c.xml');
    expect(await files.body.text()).toBe('a/b c.xml');
  });

  it('hands the raw request body to the handler', async () => {
    const res = await request(server.url + '/echo', { method: 'POST', body: Buffer.from([0, 1, 254, 255]) });
    expect(await res.body.text()).toBe('0001feff');
    const batch = await request(server.url + '/v2/batch/findcategories', { method: 'POST', body: JSON.stringify([{}, {}, {}]) });
    expect(await batch.body.json()).toEqual({ fn: 'findcategories', items: 3 });
  });

  it('counts requests per route key, per "METHOD path" and in total, including unmatched ones', async () => {
    server.resetCounts();
    await (await get('/v2/categories')).body.dump();
    await (await get('/v2/version')).body.dump();
    await (await request(server.url + '/v2/batch/x', { method: 'POST', body: '[]' })).body.dump();
    const missing = await get('/nowhere');
    expect(missing.statusCode).toBe(404);
    await missing.body.dump();
    expect(server.requestCount('/v2/:fn')).toBe(2);
    expect(server.requestCount('GET /v2/:fn')).toBe(2);
    expect(server.requestCount('batch')).toBe(1);
    expect(server.requestCount('POST /v2/batch/:fn')).toBe(1);
    expect(server.requestCount('(unmatched)')).toBe(1);
    expect(server.requestCount()).toBe(4);
    expect(server.requests().map((r) => r.route)).toEqual(['/v2/:fn', '/v2/:fn', 'batch', '(unmatched)']);
    server.resetCounts();
    expect(server.requestCount()).toBe(0);
  });

  it('answers HEAD on GET routes, gzips large bodies only for clients that accept gzip', async () => {
    const head = await request(server.url + '/big', { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('5000');
    await head.body.dump();
    const zipped = await get('/big', { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(Buffer.from(await zipped.body.arrayBuffer())).toString()).toBe('z'.repeat(5000));
    const plain = await get('/big');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((await plain.body.text()).length).toBe(5000);
  });

  it('turns a throwing handler into a 500 and keeps serving', async () => {
    const res = await get('/broken');
    expect(res.statusCode).toBe(500);
    expect(await res.body.text()).toContain('boom');
    expect((await get('/v2/version')).statusCode).toBe(200);
  });

  it('serves RFC 7807 problem bodies', async () => {
    const res = await get('/problem');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await res.body.json()).toMatchObject({ status: 404, detail: '5005 no entry' });
  });

  it('applies faults set at runtime to matching routes only', async () => {
    server.setFaults('dvdv:/v2/version=status:503,retry-after:7;pvog=status:500');
    const res = await get('/v2/version');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    await res.body.dump();
    expect((await get('/v2/categories')).statusCode).toBe(200);
    server.setFaults(undefined);
    expect((await get('/v2/version')).statusCode).toBe(200);
  });

  it('close() releases the port', async () => {
    const s = await startSandboxServer({ name: 'pvog', routes: [] });
    await s.close();
    await expect(request(s.url + '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

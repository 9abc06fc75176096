import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readBulkFeed, XzufiSnapshot } from '../../../src/formats/xzufi/bulk';
import { loadConfig } from '../../../src/server/config';
import { HttpBulkFeed } from '../../../src/upstreams/pvog/bulk-feed';
import { XZUFI_22_NS } from '../../../src/formats/xzufi/xzufi';

// The Bereitstelldienst on its own host behind OAuth2 client_credentials (docs/upstreams/portal-pvog.md §1): a local
// Keycloak-like token endpoint and a feed endpoint over real sockets.
const log: { path: string; auth: string | undefined; body: string }[] = [];
let issued = 0;
let revokeAfter = Infinity;
let server: Server;
let base: string;

const page = (n: number, last: boolean) =>
  JSON.stringify({
    xzufiObjekte: `<x:transfer.operation xmlns:x="${XZUFI_22_NS}" xzufiVersion="2.2.0"><x:schreibe><x:leistung><x:id>SBX16.LB.${n}</x:id><x:referenzLeiKa><x:code>9999900${n}001000</x:code></x:referenzLeiKa></x:leistung></x:schreibe></x:transfer.operation>`,
    vollstaendig: last,
    naechsterIndex: n + 1,
    naechsteAnfrageUrl: `https://elsewhere.invalid/feed?index=${n + 1}`,
  });

const body = (req: IncomingMessage) => new Promise<string>((r) => { let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => r(b)); });

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const u = new URL(req.url!, 'http://x');
    const b = await body(req);
    log.push({ path: u.pathname + u.search, auth: req.headers.authorization, body: b });
    if (u.pathname === '/auth/token') {
      const f = new URLSearchParams(b);
      if (req.method !== 'POST' || f.get('grant_type') !== 'client_credentials' || f.get('client_id') !== 'thuegate' || f.get('client_secret') !== 's3cret') {
        res.writeHead(401).end('{"error":"invalid_client"}');
        return;
      }
      issued++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `tok${issued}`, token_type: 'Bearer', expires_in: 300 }));
      return;
    }
    const index = Number(u.searchParams.get('index'));
    // The server forgets a token after `revokeAfter` feed pages (a Keycloak restart): the client fetches a new one once.
    const valid = req.headers.authorization === `Bearer tok${issued}` && log.filter((l) => l.path.startsWith('/feed')).length <= revokeAfter;
    if (!valid) {
      revokeAfter = Infinity;
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(page(index, index >= 2));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const call = () => ({ signal: AbortSignal.timeout(5000), deadline: Date.now() + 5000 });
const read = async (feed: HttpBulkFeed) => {
  const s = new XzufiSnapshot();
  for await (const p of readBulkFeed((i) => feed.page(i, call()))) s.apply(p);
  return s;
};

it('reads the feed with one client_credentials token, sent as "<token_type> <token>", only at the configured URLs', async () => {
  const c = loadConfig({ PVOG_BULK_URL: `${base}/feed`, PVOG_BULK_TOKEN_URL: `${base}/auth/token`, PVOG_BULK_CLIENT_ID: 'thuegate', PVOG_BULK_CLIENT_SECRET: 's3cret' }).adapters.pvog.bulk!;
  expect(c.kind).toBe('url');
  log.length = 0;
  const s = await read(new HttpBulkFeed(c as Extract<typeof c, { kind: 'url' }>));
  expect(s.summary).toMatchObject({ pages: 3, complete: true, written: 3 });
  expect(log.map((l) => l.path)).toEqual(['/auth/token', '/feed?index=0&ars=16', '/feed?index=1&ars=16', '/feed?index=2&ars=16']);
  expect(log.slice(1).every((l) => l.auth === log[1].auth && /^Bearer tok\d+$/.test(l.auth!))).toBe(true);
});

it('fetches a new token once when the feed answers 401, and fails naming pvog when the credentials are wrong', async () => {
  const good = { kind: 'url' as const, url: `${base}/feed`, oauth: { tokenUrl: `${base}/auth/token`, clientId: 'thuegate', clientSecret: 's3cret' } };
  const feed = new HttpBulkFeed(good);
  log.length = 0;
  revokeAfter = 1;
  const before = issued;
  const s = await read(feed);
  expect(s.summary.complete).toBe(true);
  expect(issued - before).toBe(2);
  const bad = new HttpBulkFeed({ ...good, oauth: { ...good.oauth, clientSecret: 'wrong' } });
  await expect(bad.page(0, call())).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_FORBIDDEN', upstream: 'pvog' } });
});

it('configures the feed as a URL or `sandbox`; the OAuth2 values go together', () => {
  expect(loadConfig({}).adapters.pvog.bulk).toBeUndefined();
  expect(loadConfig({ PVOG_BULK_URL: 'sandbox' }).adapters.pvog.bulk).toEqual({ kind: 'sandbox' });
  expect(() => loadConfig({ PVOG_BULK_URL: `${base}/feed`, PVOG_BULK_TOKEN_URL: `${base}/auth/token` })).toThrow(/^PVOG_BULK_CLIENT_ID: expected a value/);
  expect(() => loadConfig({ PVOG_BULK_URL: 'ftp://x' })).toThrow(/^PVOG_BULK_URL: expected an http\(s\) base URL/);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../../../../src/cache';
import { json, startSandboxServer, type SandboxServer } from '../../../../src/sandbox/http';
import { createUpstreamClient } from '../../../../src/upstreams/runtime';
import { UpstreamSource } from '../../../../src/upstreams/runtime/source';

/**
 * ETag / Last-Modified revalidation against an upstream that sends validators: after the TTL the
 * gateway asks "changed since?" instead of downloading again, and a 304 refreshes freshness only.
 */
let server: SandboxServer;
let version = 1;
const lastModified = 'Tue, 03 Nov 2026 10:00:00 GMT';

beforeAll(async () => {
  server = await startSandboxServer({
    name: 'geomis',
    routes: [
      {
        method: 'GET',
        path: '/doc',
        handler: (req) => {
          const etag = `"v${version}"`;
          if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
          return json({ version }, 200, { etag, 'last-modified': lastModified, 'cache-control': 'max-age=60' });
        },
      },
    ],
  });
});
afterAll(async () => server?.close());

describe('conditional revalidation through UpstreamSource', () => {
  it('sends If-None-Match after expiry, keeps the value on 304 and takes the new one on 200', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const cache = createCache({ maxBytes: 1 << 20, now: () => now });
    const client = createUpstreamClient({ name: 'geomis', baseUrl: server.url });
    const source = new UpstreamSource('geomis', client, cache, { ttlMs: 10_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 0 });
    const call = { operation: 'doc', key: 'doc', request: { path: '/doc' }, parse: (r: { json(): unknown }) => r.json() as { version: number } };
    const ctx = () => ({ signal: new AbortController().signal, deadline: Date.now() + 5_000 });
    try {
      const first = await source.fetch(call, ctx());
      expect(first.value).toEqual({ version: 1 });
      expect(first.provenance).toMatchObject({ source: 'geomis', stale: false, fetchedAt: new Date(now) });

      // Cache-Control max-age=60 from the upstream wins over the 10 s default TTL.
      now += 30_000;
      await source.fetch(call, ctx());
      expect(server.requestCount()).toBe(1);

      now += 40_000; // past max-age: revalidate
      const revalidated = await source.fetch(call, ctx());
      const second = server.requests().at(-1)!;
      expect(second.headers['if-none-match']).toBe('"v1"');
      expect(second.headers['if-modified-since']).toBe(lastModified);
      expect(revalidated.value).toEqual({ version: 1 });
      expect(revalidated.provenance.fetchedAt).toEqual(new Date(now));
      expect(server.requestCount()).toBe(2);

      version = 2;
      now += 61_000;
      const changed = await source.fetch(call, ctx());
      expect(changed.value).toEqual({ version: 2 });
      expect(server.requestCount()).toBe(3);
    } finally {
      await client.close();
      await cache.close();
    }
  });

  it('tells the request when it serves stale data (so the response is not stored as fresh)', async () => {
    let now = Date.parse('2026-11-22T10:00:00Z');
    const cache = createCache({ maxBytes: 1 << 20, now: () => now });
    const client = createUpstreamClient({ name: 'geomis', baseUrl: server.url, retry: { maxAttempts: 1 } });
    const source = new UpstreamSource('geomis', client, cache, { ttlMs: 10_000, staleWhileRevalidateMs: 0, staleIfErrorMs: 3_600_000 });
    const call = { operation: 'doc-stale', key: 'doc', request: { path: '/doc' }, parse: (r: { json(): unknown }) => r.json() };
    let staleCalls = 0;
    const ctx = () => ({ signal: new AbortController().signal, deadline: Date.now() + 5_000, onStale: () => void staleCalls++ });
    try {
      await source.fetch(call, ctx());
      expect(staleCalls).toBe(0);
      now += 120_000;
      server.setFaults('geomis=status:503');
      const stale = await source.fetch(call, ctx());
      expect(stale.provenance.stale).toBe(true);
      expect(staleCalls).toBe(1);
    } finally {
      server.setFaults(undefined);
      await client.close();
      await cache.close();
    }
  });
});

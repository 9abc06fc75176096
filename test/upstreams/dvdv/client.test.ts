import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCache, type DataCache } from '../../../src/cache';
import { startSandboxes, type SandboxWorld } from '../../../src/sandbox';
import { DvdvDirectory, createDvdvFailoverClient } from '../../../src/upstreams/dvdv/client';
import { SANDBOX_CLIENT_FINGERPRINT, SANDBOX_CLIENT_PRIVATE_KEY_PEM } from '../../../src/upstreams/dvdv/sandbox-credentials';
import { createUpstreamClient, type UpstreamClient } from '../../../src/upstreams/runtime/http';
import { UpstreamSource } from '../../../src/upstreams/runtime/source';
import { SOURCE_DEFAULTS } from '../../../src/upstreams/registry';
import { XMELD } from './gateway-helpers';

// The DVDV client against the sandbox over loopback: token flow, entry paths, batching, failover, TTL cap.
let sb: SandboxWorld;
let cache: DataCache;
const clients: UpstreamClient[] = [];
const credentials = { privateKeyPem: SANDBOX_CLIENT_PRIVATE_KEY_PEM, fingerprint: SANDBOX_CLIENT_FINGERPRINT };
const ctx = () => ({ signal: new AbortController().signal, deadline: Date.now() + 10_000 });
const client = (baseUrl: string) => {
  const c = createUpstreamClient({ name: 'dvdv', baseUrl, retry: { maxAttempts: 1 } });
  clients.push(c);
  return c;
};
const directory = (opts: ConstructorParameters<typeof DvdvDirectory>[1], c: UpstreamClient = client(sb.urls.dvdv)) =>
  new DvdvDirectory(new UpstreamSource('dvdv', c, cache, SOURCE_DEFAULTS.dvdv), opts);

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  sb = await startSandboxes({ only: ['dvdv'] });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sb?.close();
});
beforeEach(async () => {
  cache = createCache({ maxBytes: 8 << 20 });
  sb.servers.dvdv.resetCounts();
});

describe('standalone authentication', () => {
  it('gets one token, sends it as EmbeddedBearer on every call, and reuses it', async () => {
    const d = directory({ entryPath: 'extern/standaloneauth/directory', credentials });
    await d.findAuthority({ organizationKey: 'ags:16051000', category: 'Meldebehörde' }, ctx());
    await d.findService({ organizationKey: 'ags:16051000', serviceUri: XMELD }, ctx());
    await d.categories(ctx());
    expect(sb.servers.dvdv.requestCount('token')).toBe(1);
    const calls = sb.servers.dvdv.requests().filter((r) => r.route !== 'token');
    expect(calls).toHaveLength(3);
    for (const r of calls) expect(r.headers.authorization).toMatch(/^EmbeddedBearer sbx-/);
    expect(d.tokens!.requests).toBe(1);
  });

  it('renews the token once after a 401 and succeeds', async () => {
    const d = directory({ entryPath: 'extern/standaloneauth/directory', credentials });
    await d.categories(ctx());
    await fetch(`${sb.urls.dvdv}/__sandbox/dvdv/expire-tokens`, { method: 'POST' });
    const r = await d.findAuthority({ organizationKey: 'ags:16051000', category: 'Meldebehörde' }, ctx());
    expect(r.value!.name).toBeTruthy();
    expect(sb.servers.dvdv.requestCount('token')).toBe(2);
    expect(sb.servers.dvdv.requestCount('findauthoritydescription')).toBe(2); // the 401 and the retry
  });

  it('a wrong client key yields the token endpoint\'s 401 as a typed upstream error', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const d = directory({ entryPath: 'extern/standaloneauth/directory', credentials: { ...credentials, privateKeyPem: other } });
    await expect(d.categories(ctx())).rejects.toMatchObject({ extensions: { upstream: 'dvdv', status: 401 } });
  });

  it('reads the camelCase token form of the spec example and renews shortly before expiry', async () => {
    const { createServer: createHttpServer } = await import('node:http');
    const { DvdvTokenProvider, TOKEN_RENEW_MARGIN_MS } = await import('../../../src/upstreams/dvdv/token');
    let hits = 0;
    const srv = createHttpServer((_req, res) => {
      hits++;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ accessToken: `tok${hits}`, expiresIn: 600, tokenType: 'Bearer' }));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      let now = 1_000_000;
      const p = new DvdvTokenProvider(client(`http://127.0.0.1:${(srv.address() as { port: number }).port}`), credentials, () => now);
      expect(await p.get()).toBe('tok1');
      now += 600_000 - TOKEN_RENEW_MARGIN_MS - 1;
      expect(await p.get()).toBe('tok1');
      now += 2;
      expect(await p.get()).toBe('tok2');
      expect(hits).toBe(2);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });

  it('intern/directory needs no token', async () => {
    const d = directory({ entryPath: 'intern/directory' });
    await d.categories(ctx());
    expect(sb.servers.dvdv.requestCount('token')).toBe(0);
    expect(sb.servers.dvdv.requests()[0].path).toBe('/intern/directory/v2/categories');
  });

  it('refuses standaloneauth without credentials', () => {
    expect(() => directory({ entryPath: 'extern/standaloneauth/directory' })).toThrow(/expected client credentials/);
  });
});

describe('batching and caching', () => {
  it('splits 450 lookups into batch POSTs of at most 200, answers in order with null for no hit', async () => {
    const d = directory({ entryPath: 'intern/directory' });
    const known = sb.world.dvdv.organizations.filter((o) => o.category === 'Meldebehörde').flatMap((o) => o.organizationKeys).slice(0, 400);
    const keys = [...known, ...Array.from({ length: 50 }, (_, i) => `ags:16999${String(i).padStart(3, '0')}`)];
    const chunks = await d.findAuthoritiesBatch(keys.map((organizationKey) => ({ organizationKey, category: 'Meldebehörde' })), ctx());
    expect(chunks.map((c) => c.value.length)).toEqual([200, 200, 50]);
    expect(sb.servers.dvdv.requestCount('batch/findauthoritydescription')).toBe(3);
    const flat = chunks.flatMap((c) => c.value);
    expect(flat.slice(0, 400).every((o, i) => o!.keys.includes(keys[i]))).toBe(true);
    expect(flat.slice(400).every((o) => o === null)).toBe(true);
  });

  it('serves a repeated lookup from the cache, never longer than the 4 h DVDV cap', async () => {
    const d = directory({ entryPath: 'intern/directory' });
    await d.findService({ organizationKey: 'ags:16051000', serviceUri: XMELD }, ctx());
    await d.findService({ organizationKey: 'ags:16051000', serviceUri: XMELD }, ctx());
    expect(sb.servers.dvdv.requestCount('findservicedescription')).toBe(1);
    // Every DVDV operation's policy resolves under the 4 h hard ceiling (BSI TR-03132), whatever TTL is asked.
    const { resolvePolicy, UPSTREAM_HARD_MAX_AGE_MS } = await import('../../../src/cache/policy');
    const { DVDV_TTL } = await import('../../../src/upstreams/dvdv/client');
    for (const ttlMs of [...Object.values(DVDV_TTL), 10 * 3600_000]) {
      const p = resolvePolicy({ upstream: 'dvdv', operation: 'findservicedescription', ...SOURCE_DEFAULTS.dvdv, ttlMs }, UPSTREAM_HARD_MAX_AGE_MS);
      expect(p.hardMaxAgeMs).toBeLessThanOrEqual(4 * 3600_000);
      expect(p.ttlMs).toBeLessThanOrEqual(4 * 3600_000);
    }
    for (const ttl of Object.values(DVDV_TTL)) expect(ttl).toBeLessThanOrEqual(4 * 3600_000);
  });
});

describe('failover across operator base URLs', () => {
  it('moves on from a dead base URL and stays on the one that answered', async () => {
    const dead = client(`http://127.0.0.1:${await closedPort()}`);
    const live = client(sb.urls.dvdv);
    const failover = createDvdvFailoverClient([dead, live]);
    const d = directory({ entryPath: 'extern/standaloneauth/directory', credentials }, failover);
    const r = await d.findAuthority({ organizationKey: 'ags:16051000', category: 'Meldebehörde' }, ctx());
    expect(r.value!.category).toBe('Meldebehörde');
    expect(failover.baseUrl.replace(/\/$/, "")).toBe(sb.urls.dvdv);
    await d.categories(ctx());
    expect(sb.servers.dvdv.requestCount()).toBe(3); // token + two lookups, all on the live server
  });

  it('does not fail over on a 4xx verdict of the directory', async () => {
    const other = await startSandboxes({ only: ['dvdv'] });
    try {
      const failover = createDvdvFailoverClient([client(sb.urls.dvdv), client(other.urls.dvdv)]);
      const d = directory({ entryPath: 'intern/directory' }, failover);
      await expect(d.findAuthorities('nokey', ctx())).rejects.toMatchObject({ extensions: { upstream: 'dvdv', status: 400 } });
      expect(other.servers.dvdv.requestCount('findauthoritydescriptions')).toBe(0);
    } finally {
      await other.close();
    }
  });
});

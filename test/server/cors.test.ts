import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config';
import { originMatcher } from '../../src/server/cors';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

const PORTAL = 'https://portal.lauscha.example';
const QUERY = JSON.stringify({ query: '{ municipality(ags: "16072011") { name } }' });

describe('CORS allow-list (CORS_ORIGINS)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ CORS_ORIGINS: `${PORTAL},https://*.kommune.example` });
  });
  afterAll(async () => gw?.stop());

  const preflight = (origin: string) =>
    fetch(`${gw.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
    });
  const post = (origin: string) => fetch(`${gw.url}/graphql`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: QUERY });

  it('answers the preflight of an allowed origin with 204 and the headers a frontend sends', async () => {
    const res = await preflight(PORTAL);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL);
    const allowed = res.headers.get('access-control-allow-headers')!.split(',');
    for (const h of ['content-type', 'x-api-key', 'authorization', 'apollo-require-preflight']) expect(allowed).toContain(h);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('matches a pattern on subdomains only, never the bare domain or another scheme', async () => {
    expect((await preflight('https://www.kommune.example')).headers.get('access-control-allow-origin')).toBe('https://www.kommune.example');
    expect((await preflight('https://kommune.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('http://www.kommune.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('gives a non-allowed origin no Access-Control-Allow-Origin, on the preflight and on the answer', async () => {
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const res = await post('https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends the same CORS headers on a response-cache hit (raw-HTTP fast path) as on the miss', async () => {
    const miss = await post(PORTAL);
    const hit = await post(PORTAL);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    for (const r of [miss, hit]) {
      expect(r.headers.get('access-control-allow-origin')).toBe(PORTAL);
      expect(r.headers.get('access-control-expose-headers')).toContain('x-request-id');
    }
    expect(await hit.text()).toContain('Lauscha');
  });

  it('keeps CSRF prevention for simple cross-origin requests', async () => {
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: QUERY });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Cross-Site Request Forgery/);
  });
});

describe('CORS configuration', () => {
  it('defaults to loopback origins in development and to none in production', () => {
    expect(loadConfig({}).cors.origins).toBe('loopback');
    const dev = originMatcher('loopback');
    expect(dev('http://localhost:5173')).toBe(true);
    expect(dev('http://127.0.0.1:8080')).toBe(true);
    expect(dev('http://localhost.evil.example')).toBe(false);
    const prod = loadConfig({ NODE_ENV: 'production', PVOG_BASE_URL: 'https://p.example', THAVEL_BASE_URL: 'https://t.example', GEOMIS_BASE_URL: 'https://g.example', GEOPROXY_BASE_URL: 'https://x.example', DVDV_BASE_URLS: 'https://d.example' });
    expect(prod.cors).toEqual({ origins: [], credentials: false });
  });

  it('refuses an entry that is not an origin, naming the variable and the form', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://ok.example,portal.example/path' })).toThrow(
      'CORS_ORIGINS: expected an origin like https://portal.example.org or a pattern like https://*.example.org, got "portal.example/path"',
    );
    expect(() => loadConfig({ CORS_CREDENTIALS: 'maybe' })).toThrow(/CORS_CREDENTIALS: expected `true` or `false`/);
  });

  it('sends Access-Control-Allow-Credentials only when configured', async () => {
    const gw = await startTestGateway({ CORS_ORIGINS: PORTAL, CORS_CREDENTIALS: 'true' });
    try {
      const res = await fetch(`${gw.url}/graphql`, { method: 'OPTIONS', headers: { origin: PORTAL, 'access-control-request-method': 'POST' } });
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    } finally {
      await gw.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config';
import { sampledLogger } from '../../src/server/log-sampler';
import type { Logger } from '../../src/observability/log';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { startProductionGateway } from './production-gateway';

/**
 * Production mode (NODE_ENV=production) as a client sees it: no introspection or suggestions unless asked for, no
 * stack traces or upstream addresses in answers, CSRF prevention, security headers on every answer, and a log that
 * stays small when the gateway is flooded with bad requests.
 */
const captured: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
const capture: Logger = Object.fromEntries(
  (['error', 'warn', 'info', 'debug'] as const).map((level) => [level, (msg: string, fields: Record<string, unknown> = {}) => void captured.push({ level, msg, fields })]),
) as unknown as Logger;

let prod: TestGateway;
// PVOG points at a closed loopback port: every PVOG call fails, which is what the error-hygiene tests need.
const DEAD_PVOG = 'http://127.0.0.1:9';
beforeAll(async () => {
  prod = (await startProductionGateway({ PVOG_BASE_URL: DEAD_PVOG }, capture)).gw;
}, 60_000);
afterAll(async () => { await prod?.stop(); });

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('introspection and suggestions', () => {
  it('are off by default in production: introspection refused, no "Did you mean"', async () => {
    const intro = await prod.raw('{ __schema { queryType { name } } }');
    expect(intro.status).toBe(400);
    expect(intro.errors?.[0].message).toMatch(/introspection is not allowed/i);
    const typo = await prod.raw('{ municipalitys(first: 1) { totalCount } }');
    expect(typo.errors?.[0].message).toBe('Cannot query field "municipalitys" on type "Query".');
  });

  it('answer a name-only __type existence check, and refuse __type asking for anything more (fragments included)', async () => {
    const ok = await prod.raw('query T($n: String!) { a: __type(name: $n) { name __typename } b: __type(name: "NoSuchType") { ...N } } fragment N on __Type { name }', { n: 'Municipality' });
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ a: { name: 'Municipality', __typename: '__Type' }, b: null });
    for (const query of [
      '{ __type(name: "Municipality") { name fields { name } } }',
      '{ __type(name: "Municipality") { ...F } } fragment F on __Type { name kind }',
      '{ __type(name: "Municipality") { ... on __Type { description } } }',
    ]) {
      const res = await prod.raw(query);
      expect(res.status, query).toBe(400);
      expect(res.errors?.[0].message, query).toMatch(/introspection is not allowed.*asks __type for more than its name/i);
      expect(res.data, query).toBeUndefined();
    }
  });

  it('follow INTROSPECTION: false in development switches both off, true in production switches both on', async () => {
    const dev = await startTestGateway({ INTROSPECTION: 'false' });
    try {
      expect((await dev.raw('{ __schema { queryType { name } } }')).errors?.[0].message).toMatch(/introspection is not allowed/i);
      expect((await dev.raw('{ municipalitys(first: 1) { totalCount } }')).errors?.[0].message).not.toMatch(/Did you mean/);
    } finally {
      await dev.stop();
    }
    const on = await startTestGateway({ INTROSPECTION: 'true' });
    try {
      expect((await on.raw('{ municipalitys(first: 1) { totalCount } }')).errors?.[0].message).toMatch(/Did you mean .*"municipalities"/);
    } finally {
      await on.stop();
    }
    const env = { NODE_ENV: 'production', PVOG_BASE_URL: 'https://p.example', THAVEL_BASE_URL: 'https://t.example', GEOMIS_BASE_URL: 'https://g.example', GEOPROXY_BASE_URL: 'https://x.example', DVDV_BASE_URLS: 'https://d.example' };
    expect(loadConfig(env).introspection).toBe(false);
    expect(loadConfig({ ...env, INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(() => loadConfig({ INTROSPECTION: 'yes' })).toThrow(/^INTROSPECTION: expected `true` or `false`, got "yes"/);
  }, 60_000);
});

describe('errors say what went wrong, not where the internals are', () => {
  it('an upstream failure names the upstream, never its base URL, and carries no stack trace', async () => {
    const r = await prod.raw('{ municipality(ars: "160510000000") { name services(first: 1) { totalCount } } }');
    const text = JSON.stringify(r.errors);
    expect(r.data?.municipality?.name).toBe('Erfurt, Stadt');
    expect(r.errors?.[0].extensions).toMatchObject({ code: expect.stringMatching(/^UPSTREAM_/), upstream: 'pvog' });
    expect(text).not.toContain('127.0.0.1:9');
    expect(text).not.toMatch(/stacktrace|detail|\.js:\d+/);
  });

  it('a parse error carries no stack trace', async () => {
    const r = await prod.raw('{ municipality(');
    expect(r.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify(r.errors)).not.toMatch(/stacktrace|\.js:\d+/);
  });

  it('the public `upstreams` query shows no base URL', async () => {
    const r = await prod.raw('{ upstreams { name baseUrl } }');
    expect(r.data.upstreams).toHaveLength(5);
    for (const u of r.data.upstreams) expect(u.baseUrl).toBeNull();
  });
});

describe('CSRF prevention', () => {
  it('refuses simple cross-site requests (text/plain, form POST, GET without a preflight header)', async () => {
    const q = '{ municipality(ars: "160510000000") { name } }';
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await fetch(`${prod.url}/graphql`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify({ query: q }) });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/CSRF/);
    }
    expect((await fetch(`${prod.url}/graphql?query=${encodeURIComponent(q)}`)).status).toBe(400);
    expect((await fetch(`${prod.url}/graphql?query=${encodeURIComponent(q)}`, { headers: { 'apollo-require-preflight': '1' } })).status).toBe(200);
  });
});

describe('security headers', () => {
  const expectHeaders = (res: Response, what: string, csp: RegExp = /^default-src 'none';\s*frame-ancestors 'none'$/) => {
    expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
    expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
    expect(res.headers.get('content-security-policy'), what).toMatch(csp);
  };

  it('are on every answer: explorer, assets, GraphQL (executed and response-cache hit), health, metrics, errors', async () => {
    const explorer = await fetch(`${prod.url}/`);
    expectHeaders(explorer, '/', /script-src 'self'/);
    expect(explorer.headers.get('content-security-policy')).not.toMatch(/unsafe-inline'?[^;]*script|script-src[^;]*unsafe-inline/);
    for (const path of ['/assets/graphiql.js', '/healthz', '/readyz', '/metrics', '/nope']) expectHeaders(await fetch(`${prod.url}${path}`), path);
    const body = JSON.stringify({ query: '{ municipality(ars: "160530000000") { name } }' });
    const miss = await post(prod.url, body);
    expectHeaders(miss, 'POST /graphql (miss)');
    const hit = await post(prod.url, body);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expectHeaders(hit, 'POST /graphql (response-cache hit)');
    expectHeaders(await post(prod.url, '{"query": '), 'malformed JSON');
    expectHeaders(await fetch(`${prod.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': '1' } }), 'GET /graphql');
  });
});

describe('log volume under attack', () => {
  it('writes one line for a request with many errors, not one per error', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // a fresh sampling window
    captured.length = 0;
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: municipality(ars: "16051000000${i % 10}") { services(first: 1) { totalCount } }`).join(' ');
    const r = await prod.raw(`{ ${aliases} }`);
    expect(r.errors!.length).toBeGreaterThanOrEqual(25);
    // The upstream runtime logs each failed upstream call on its own (one here: the loader asks PVOG once).
    const perRequest = captured.filter((l) => l.msg.startsWith('request '));
    expect(perRequest, JSON.stringify(captured)).toHaveLength(1);
    expect(perRequest[0]).toMatchObject({ msg: 'request had errors' });
    expect(Object.values(perRequest[0].fields.errors as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(r.errors!.length);
    expect(captured.length).toBeLessThanOrEqual(2);
  });

  it('bounds the lines for a flood of rejected requests and says how many were left out', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    captured.length = 0;
    const started = Date.now();
    for (let round = 0; round < 10; round++) await Promise.all(Array.from({ length: 30 }, () => prod.raw('{ municipality(')));
    const seconds = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 1100));
    await prod.raw('{ municipality('); // the next line after the flood reports what was dropped
    const flood = captured.slice(0, -1);
    console.log(`300 rejected requests in ${seconds.toFixed(1)} s → ${flood.length} log lines`);
    expect(flood.length).toBeLessThanOrEqual(20 * Math.ceil(seconds + 1));
    expect(flood.length).toBeLessThan(300);
    const suppressed = captured.reduce((n, l) => n + ((l.fields.suppressed as number) ?? 0), 0);
    expect(suppressed + captured.length).toBe(301);
  }, 60_000);

  it('the sampler lets 20 lines a second through and counts the rest', () => {
    let now = 0;
    const lines: Record<string, unknown>[] = [];
    const log = sampledLogger({ info: (_m: string, f: Record<string, unknown>) => void lines.push(f) } as unknown as Logger, 20, () => now);
    for (let i = 0; i < 50; i++) log('info', 'x', { i });
    expect(lines).toHaveLength(20);
    now = 1000;
    log('info', 'x', { i: 50 });
    expect(lines[20]).toEqual({ i: 50, suppressed: 30 });
  });
});

import { randomBytes } from 'node:crypto';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { metricsRegistry } from '../../../src/observability/metrics';
import { json, startSandboxServer, text, xml, type SandboxServer } from '../../../src/sandbox/http';
import { UpstreamError } from '../../../src/upstreams/runtime/errors';
import { createUpstreamClient, type UpstreamClient, type UpstreamClientConfig } from '../../../src/upstreams/runtime/http';
import type { UpstreamName } from '../../../src/upstreams/runtime/names';
import { xmlFromResponse } from '../../../src/upstreams/runtime/xml';
import { MB, peakGrowth } from './memory';

const SERVICE = { id: 'sandbox-svc-1', leikaKey: '99050012104000', name: 'Sandbox-Leistung (test data)' };
const INCOMPRESSIBLE_2MB = randomBytes(2 * MB);
const GZIP_BOMB = gzipSync(Buffer.alloc(50 * MB)); // ~50 kB on the wire, 50 MB decoded
let server: SandboxServer;
const clients: UpstreamClient[] = [];

beforeAll(async () => {
  server = await startSandboxServer({
    name: 'pvog',
    routes: [
      { method: 'GET', path: '/api/v7/servicedescriptions/:id', handler: (r) => json({ ...SERVICE, id: r.params.id, padding: 'p'.repeat(3000) }) },
      { method: 'POST', path: '/api/search', handler: (r) => json({ echo: r.json() }) },
      { method: 'GET', path: '/api/headers', handler: (r) => json(r.headers) },
      { method: 'GET', path: '/api/xml', handler: () => xml('<r xmlns="urn:sandbox"><a>1</a></r>') },
      { method: 'GET', path: '/api/missing', handler: () => json({ error: 'no such service' }, 404) },
      { method: 'GET', path: '/api/denied', handler: () => text('denied', 403) },
      { method: 'GET', path: '/api/bad', handler: () => text('bad request', 400) },
      {
        method: 'GET',
        path: '/api/leaky',
        handler: () => text('java.lang.NullPointerException at db-internal-07.corp.example:5432 password=hunter2', 500),
      },
      { method: 'GET', path: '/api/redirect', handler: () => ({ status: 302, headers: { location: 'http://evil.example/' } }) },
      { method: 'GET', path: '/api/declared-big', handler: () => ({ body: INCOMPRESSIBLE_2MB }) },
      {
        method: 'GET',
        path: '/api/gzip-bomb',
        handler: () => ({ headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain' }, body: GZIP_BOMB }),
      },
      {
        method: 'GET',
        path: '/api/deflate/:kind',
        handler: (r) => ({
          headers: { 'content-encoding': 'deflate', 'content-type': 'application/json' },
          body: (r.params.kind === 'raw' ? deflateRawSync : deflateSync)(Buffer.from(JSON.stringify(SERVICE))),
        }),
      },
      { method: 'GET', path: '/api/latin1', handler: () => ({ headers: { 'content-type': 'text/plain; charset=ISO-8859-1' }, body: Buffer.from('Gößnitz', 'latin1') }) },
    ],
  });
});

afterEach(() => {
  server.setFaults(undefined);
  server.resetCounts();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

function client(over: Partial<UpstreamClientConfig> = {}): UpstreamClient {
  const c = createUpstreamClient({
    name: 'pvog',
    baseUrl: `${server.url}/api`,
    timeouts: { connectMs: 500, headersMs: 1_000, bodyMs: 1_000, defaultDeadlineMs: 3_000 },
    retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 },
    breaker: { consecutive: 50, halfOpenAfterMs: 200 },
    production: true,
    ...over,
  });
  clients.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UpstreamError);
    return e as UpstreamError;
  }
  throw new Error('expected the request to fail');
}

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('requests and responses', () => {
  it('joins paths to the base path, sends the query, decodes gzip and JSON', async () => {
    const res = await client().request({ path: '/v7/servicedescriptions/sandbox-42', query: { ars: '160550000000', leikaIds: ['a', 'b'] } });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.json()).toMatchObject({ id: 'sandbox-42', leikaKey: SERVICE.leikaKey });
    expect(res.upstream).toBe('pvog');
    expect(res.attempts).toBe(1);
    const seen = server.requests().at(-1)!;
    expect(seen.path).toBe('/api/v7/servicedescriptions/sandbox-42');
    expect(seen.search).toBe('?ars=160550000000&leikaIds=a&leikaIds=b');
  });

  it('decodes zlib-wrapped and raw deflate bodies', async () => {
    const c = client();
    expect((await c.request({ path: '/deflate/zlib' })).json()).toEqual(SERVICE);
    expect((await c.request({ path: '/deflate/raw' })).json()).toEqual(SERVICE);
  });

  it('decodes text by the declared charset', async () => {
    expect((await client().request({ path: '/latin1' })).text()).toBe('Gößnitz');
  });

  it('sends configured headers (static and per-attempt functions), caller headers, and keeps host', async () => {
    let token = 0;
    const c = client({ headers: () => ({ authorization: `EmbeddedBearer token-${++token}`, host: 'evil.example' }) });
    const res = await c.request({ path: '/headers', headers: { 'x-request-id': 'r1' } });
    const h = res.json<Record<string, string>>();
    expect(h.authorization).toBe('EmbeddedBearer token-1');
    expect(h['x-request-id']).toBe('r1');
    expect(h.host).toBe(new URL(server.url).host);
    expect(h['accept-encoding']).toBe('gzip, deflate');
    const pvog = client({ headers: { 'pvog-sud-api-client-id': 'sandbox-client' } });
    expect((await pvog.request({ path: '/headers' })).json<Record<string, string>>()['pvog-sud-api-client-id']).toBe('sandbox-client');
  });

  it('posts JSON bodies', async () => {
    const res = await client().request({ method: 'POST', path: '/search', json: { q: 'Meldebescheinigung' } });
    expect(res.json()).toEqual({ echo: { q: 'Meldebescheinigung' } });
  });

  it('classifies HTTP errors without retrying them, or returns accepted statuses', async () => {
    const c = client();
    expect(await failure(c.request({ path: '/missing' }))).toMatchObject({ code: 'UPSTREAM_NOT_FOUND', status: 404 });
    expect(await failure(c.request({ path: '/denied' }))).toMatchObject({ code: 'UPSTREAM_FORBIDDEN', status: 403 });
    expect(await failure(c.request({ path: '/bad' }))).toMatchObject({ code: 'UPSTREAM_REJECTED', status: 400 });
    const redirect = await failure(c.request({ path: '/redirect' }));
    expect(redirect.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(server.requestCount()).toBe(4);
    const accepted = await c.request({ path: '/missing', acceptStatus: [404] });
    expect(accepted.status).toBe(404);
    expect(accepted.json()).toEqual({ error: 'no such service' });
  });
});

describe('only the configured upstream is ever called', () => {
  it.each([
    'http://evil.example/x',
    'HTTPS://evil.example/x',
    '//evil.example/x',
    '/\\evil.example/x',
    '\\\\evil.example',
    'v7/relative',
    '/../admin',
    '/v7/%2e%2e/%2E%2E/admin',
    '/v7/a%2fb',
    '/v7/x#frag',
    '/v7/\nHost: evil',
    'javascript:alert(1)',
  ])('refuses %j without sending anything', async (path) => {
    const err = await failure(client().request({ path }));
    expect(err.code).toBe('UPSTREAM_REQUEST_REFUSED');
    expect(err.extensions).toEqual({ code: 'UPSTREAM_REQUEST_REFUSED', upstream: 'pvog' });
    expect(server.requestCount()).toBe(0);
  });

  it('maps absolute URLs under the base back to paths, and nothing else', () => {
    const c = client();
    expect(c.pathFor(`${server.url}/api/v7/servicedescriptions/1?x=1`)).toBe('/v7/servicedescriptions/1?x=1');
    expect(c.pathFor(`${server.url}/other/v7`)).toBeUndefined();
    expect(c.pathFor('http://evil.example/api/v7')).toBeUndefined();
    expect(c.pathFor(`${server.url.replace('http:', 'https:')}/api/v7`)).toBeUndefined();
  });

  it('rejects malformed base URLs with a message naming the upstream', () => {
    expect(() => createUpstreamClient({ name: 'geomis', baseUrl: 'ftp://x/' })).toThrow(/geomis base URL: expected an http: or https: URL/);
    expect(() => createUpstreamClient({ name: 'geomis', baseUrl: 'not a url' })).toThrow(/geomis base URL/);
    expect(() => createUpstreamClient({ name: 'dvdv', baseUrl: 'http://user:pw@h/' })).toThrow(/credentials/);
  });
});

describe('fault kinds give typed errors within the deadline', () => {
  const path = '/v7/servicedescriptions/1';

  it('latency beyond the deadline → UPSTREAM_TIMEOUT, not retried', async () => {
    server.setFaults('pvog=latency:2000');
    const t0 = Date.now();
    const err = await failure(client().request({ path, deadline: Date.now() + 300 }));
    expect(err.code).toBe('UPSTREAM_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(700);
    expect(server.requestCount()).toBe(1);
  });

  it('slow response head → UPSTREAM_TIMEOUT by the headers timeout', async () => {
    server.setFaults('pvog=latency:1500');
    const t0 = Date.now();
    const err = await failure(client({ timeouts: { headersMs: 200 } }).request({ path }));
    expect(err.code).toBe('UPSTREAM_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('slow drip → UPSTREAM_TIMEOUT by the body timeout or the deadline', async () => {
    // undici's body timer ticks in ~0.5 s steps, so the gap between chunks must exceed that
    server.setFaults('pvog=drip:1500ms,chunk:16');
    const t1 = Date.now();
    const idle = await failure(client({ timeouts: { bodyMs: 200 } }).request({ path }));
    expect(idle.code).toBe('UPSTREAM_TIMEOUT');
    expect(idle.internal.reason).toContain('UND_ERR_BODY_TIMEOUT');
    expect(Date.now() - t1).toBeLessThan(1800);
    server.setFaults('pvog=drip:20ms,chunk:16');
    const t0 = Date.now();
    expect((await failure(client().request({ path, deadline: Date.now() + 400 }))).code).toBe('UPSTREAM_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(800);
  });

  it('connection reset → UPSTREAM_UNAVAILABLE after the allowed retries', async () => {
    server.setFaults('pvog=reset');
    const err = await failure(client().request({ path }));
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: undefined });
    expect(server.requestCount()).toBe(3);
  });

  it('connection refused → UPSTREAM_UNAVAILABLE', async () => {
    const dead = await startSandboxServer({ name: 'pvog', routes: [] });
    await dead.close();
    const c = client({ baseUrl: dead.url });
    expect((await failure(c.request({ path: '/' }))).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('truncated body → UPSTREAM_BAD_RESPONSE (retried, it is a broken connection)', async () => {
    server.setFaults('pvog=truncate:0.3');
    const err = await failure(client().request({ path }));
    expect(err.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(err.internal.reason).toMatch(/cut off/);
    expect(server.requestCount()).toBe(3);
  });

  it('malformed body → UPSTREAM_BAD_RESPONSE when the adapter parses it', async () => {
    server.setFaults('pvog=malformed');
    const c = client();
    const res = await c.request({ path });
    expect(() => res.json()).toThrow(UpstreamError);
    try {
      res.json();
    } catch (e) {
      expect(e).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'pvog', status: 200 });
    }
    const x = await c.request({ path: '/xml' });
    expect(() => xmlFromResponse(x)).toThrow(expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE' }));
  });

  it('status 5xx → UPSTREAM_UNAVAILABLE with the status', async () => {
    server.setFaults('pvog=status:502');
    expect(await failure(client().request({ path }))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 502 });
  });

  it('a 50 MB streamed body is cut off at the size limit without buffering it', async () => {
    server.setFaults('pvog=oversize:50mb');
    const c = client({ maxResponseBytes: 1 * MB, timeouts: { bodyMs: 5_000, defaultDeadlineMs: 10_000 } });
    const t0 = Date.now();
    const { error, peakBytes } = await peakGrowth(() => c.request({ path }));
    expect(error).toMatchObject({ code: 'UPSTREAM_TOO_LARGE', upstream: 'pvog' });
    expect((error as UpstreamError).message).toContain(String(1 * MB));
    expect(peakBytes).toBeLessThan(16 * MB);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(server.requestCount()).toBe(1); // oversize is not worth a retry
    server.setFaults(undefined);
    expect((await c.request({ path })).status).toBe(200); // the process and the pool are fine
  });

  it('a declared Content-Length above the limit is refused before reading', async () => {
    const err = await failure(client({ maxResponseBytes: 1 * MB }).request({ path: '/declared-big' }));
    expect(err.code).toBe('UPSTREAM_TOO_LARGE');
    expect(err.internal.reason).toMatch(/declared/);
  });

  it('a small gzip bomb is stopped by the decoded-size limit', async () => {
    const { error, peakBytes } = await peakGrowth(() => client({ maxResponseBytes: 2 * MB }).request({ path: '/gzip-bomb' }));
    expect(error).toMatchObject({ code: 'UPSTREAM_TOO_LARGE' });
    expect(peakBytes).toBeLessThan(20 * MB);
  });

  it('a caller cancellation → UPSTREAM_ABORTED promptly', async () => {
    server.setFaults('pvog=latency:1000');
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('client went away')), 100);
    const t0 = Date.now();
    expect((await failure(client().request({ path, signal: ac.signal }))).code).toBe('UPSTREAM_ABORTED');
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('an AbortSignal.timeout from the GraphQL layer counts as UPSTREAM_TIMEOUT', async () => {
    server.setFaults('pvog=latency:1000');
    expect((await failure(client().request({ path, signal: AbortSignal.timeout(100) }))).code).toBe('UPSTREAM_TIMEOUT');
  });
});

describe('retries', () => {
  const path = '/v7/servicedescriptions/1';

  it('retries idempotent GETs on 5xx and succeeds, counting retries in metrics', async () => {
    const before = await metricValue('thuegate_upstream_retries_total', { upstream: 'pvog', reason: '503' });
    server.setFaults('pvog=status:503,count:2');
    const res = await client().request({ path });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
    expect(server.requestCount()).toBe(3);
    expect(await metricValue('thuegate_upstream_retries_total', { upstream: 'pvog', reason: '503' })).toBe(before + 2);
  });

  it('does not retry POSTs unless marked idempotent (read-only)', async () => {
    server.setFaults('pvog=status:503,count:1');
    const err = await failure(client().request({ method: 'POST', path: '/search', json: { q: 1 } }));
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(server.requestCount()).toBe(1);

    server.setFaults('pvog=status:503,count:1');
    server.resetCounts();
    const res = await client().request({ method: 'POST', path: '/search', json: { q: 1 }, idempotent: true });
    expect(res.json()).toEqual({ echo: { q: 1 } });
    expect(server.requestCount()).toBe(2);
  });

  it('idempotent: false switches retries off for a GET', async () => {
    server.setFaults('pvog=status:503,count:1');
    await failure(client().request({ path, idempotent: false }));
    expect(server.requestCount()).toBe(1);
  });

  it('honours Retry-After on 429 and 503', async () => {
    server.setFaults('pvog=status:429,retry-after:1,count:1');
    const res = await client().request({ path });
    expect(res.status).toBe(200);
    const [first, second] = server.requests();
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After does not fit the deadline', async () => {
    server.setFaults('pvog=status:503,retry-after:2');
    const t0 = Date.now();
    const err = await failure(client().request({ path, deadline: Date.now() + 800 }));
    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(err.extensions.retryAfterSeconds).toBe(2);
    expect(Date.now() - t0).toBeLessThan(400);
    expect(server.requestCount()).toBe(1);
  });

  it('exhausted 429 retries → UPSTREAM_RATE_LIMITED with retryAfterSeconds', async () => {
    server.setFaults('pvog=status:429,retry-after:0');
    const err = await failure(client().request({ path }));
    expect(err).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429 });
    expect(server.requestCount()).toBe(3);
  });

  it('stops retrying when the backoff would cross the deadline', async () => {
    server.setFaults('pvog=status:500');
    const c = client({ retry: { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 200 } });
    const t0 = Date.now();
    const deadline = t0 + 500;
    await failure(c.request({ path, deadline }));
    expect(Date.now() - t0).toBeLessThan(550); // returned once no retry fits, not after 10 attempts
    expect(server.requestCount()).toBeGreaterThanOrEqual(2);
    expect(server.requestCount()).toBeLessThan(10);
    for (const r of server.requests()) expect(r.at).toBeLessThan(deadline);
  });

  it('does not retry 4xx', async () => {
    await failure(client().request({ path: '/missing' }));
    expect(server.requestCount()).toBe(1);
  });
});

describe('circuit breaker', () => {
  const path = '/v7/servicedescriptions/1';

  async function breakerGauge(upstream: UpstreamName): Promise<number> {
    return metricValue('thuegate_upstream_circuit_state', { upstream });
  }

  it('opens after the configured failures, half-opens after the interval and closes on recovery', async () => {
    const c = client({ name: 'geomis', retry: { maxAttempts: 1 }, breaker: { consecutive: 3, halfOpenAfterMs: 300 } });
    server.setFaults('*=status:500');
    for (let i = 0; i < 3; i++) expect((await failure(c.request({ path }))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(c.breakerState()).toBe('open');
    expect(await breakerGauge('geomis')).toBe(2);

    const open = await failure(c.request({ path }));
    expect(open).toMatchObject({ code: 'UPSTREAM_CIRCUIT_OPEN', upstream: 'geomis' });
    expect(server.requestCount()).toBe(3); // fail-fast: nothing sent

    await new Promise((r) => setTimeout(r, 350));
    server.setFaults('*=latency:150'); // recovered, a bit slow
    const trial = c.request({ path });
    await new Promise((r) => setTimeout(r, 50));
    expect(c.breakerState()).toBe('half-open');
    expect(await breakerGauge('geomis')).toBe(1);
    expect((await trial).status).toBe(200);
    expect(c.breakerState()).toBe('closed');
    expect(await breakerGauge('geomis')).toBe(0);
  });

  it('re-opens when the half-open trial fails', async () => {
    const c = client({ name: 'thavel', retry: { maxAttempts: 1 }, breaker: { consecutive: 2, halfOpenAfterMs: 200 } });
    server.setFaults('*=reset');
    await failure(c.request({ path }));
    await failure(c.request({ path }));
    expect(c.breakerState()).toBe('open');
    await new Promise((r) => setTimeout(r, 250));
    expect((await failure(c.request({ path }))).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(c.breakerState()).toBe('open');
    expect((await failure(c.request({ path }))).code).toBe('UPSTREAM_CIRCUIT_OPEN');
  });

  it('is not tripped by client errors, rate limits or oversize bodies', async () => {
    const c = client({ name: 'dvdv', retry: { maxAttempts: 1 }, breaker: { consecutive: 2, halfOpenAfterMs: 10_000 } });
    for (let i = 0; i < 3; i++) await failure(c.request({ path: '/missing' }));
    server.setFaults('*=status:429');
    for (let i = 0; i < 3; i++) await failure(c.request({ path }));
    server.setFaults(undefined);
    for (let i = 0; i < 3; i++) await failure(c.request({ path, maxResponseBytes: 10 }));
    expect(c.breakerState()).toBe('closed');
  });

  it('can trip on a failure ratio (sampling breaker)', async () => {
    const c = client({
      name: 'geoproxy',
      retry: { maxAttempts: 1 },
      breaker: { failureRatio: 0.5, samplingMs: 5_000, minimumRps: 1, halfOpenAfterMs: 10_000 },
    });
    server.setFaults('*=status:503,after:2');
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) outcomes.push(await c.request({ path }).then(() => 'ok', (e: UpstreamError) => e.code));
    expect(outcomes.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(outcomes).toContain('UPSTREAM_CIRCUIT_OPEN');
    expect(c.breakerState()).toBe('open');
  });
});

describe('bulkhead and throttle', () => {
  const path = '/v7/servicedescriptions/1';

  it('rejects requests beyond limit + queue at once with UPSTREAM_OVERLOADED', async () => {
    server.setFaults('pvog=latency:300');
    const c = client({ bulkhead: { limit: 2, queue: 1 } });
    const t0 = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => c.request({ path })));
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as UpstreamError);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(rejected.map((e) => e.code)).toEqual(['UPSTREAM_OVERLOADED', 'UPSTREAM_OVERLOADED']);
    expect(server.requestCount()).toBe(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550); // the queued one waited for a slot
  });

  it('a queued request does not wait beyond its deadline', async () => {
    server.setFaults('pvog=latency:600');
    const c = client({ bulkhead: { limit: 1, queue: 5 } });
    const first = c.request({ path });
    const t0 = Date.now();
    const err = await failure(c.request({ path, deadline: Date.now() + 200 }));
    expect(err.code).toBe('UPSTREAM_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(450);
    expect((await first).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requestCount()).toBe(1); // the timed-out one never went out
  });

  it('spaces requests to the configured rate', async () => {
    const c = client({ maxRequestsPerSecond: 10 });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => c.request({ path })));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });
});

describe('error hygiene', () => {
  it('production errors carry code, upstream and status only — no body, host or stack', async () => {
    const err = await failure(client({ production: true }).request({ path: '/leaky', idempotent: false }));
    const wire = JSON.stringify(err.toJSON());
    expect(err.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'pvog', status: 500 });
    for (const secret of ['NullPointer', 'db-internal-07', 'hunter2', '127.0.0.1', String(server.port), 'at ']) {
      expect(wire).not.toContain(secret);
      expect(err.message).not.toContain(secret);
    }
    expect(JSON.stringify(err)).not.toContain('hunter2');
    expect(Object.keys(err)).not.toEqual(expect.arrayContaining(['internal']));
    expect(Object.keys(err)).not.toContain('cause');
    // …but operators get the detail
    expect(err.internal.bodySnippet).toContain('db-internal-07');
    expect(err.toLog()).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: 'pvog', url: `${server.url}/api/leaky` });
  });

  it('development errors add the detail under extensions.detail', async () => {
    const err = await failure(client({ production: false }).request({ path: '/leaky', idempotent: false }));
    expect(err.extensions.detail).toMatchObject({ method: 'GET', url: `${server.url}/api/leaky` });
  });

  it('counts outcomes per upstream in metrics', async () => {
    const okBefore = await metricValue('thuegate_upstream_requests_total', { upstream: 'pvog', outcome: 'ok' });
    const nfBefore = await metricValue('thuegate_upstream_requests_total', { upstream: 'pvog', outcome: 'UPSTREAM_NOT_FOUND' });
    const c = client();
    await c.request({ path: '/v7/servicedescriptions/1' });
    await failure(c.request({ path: '/missing' }));
    expect(await metricValue('thuegate_upstream_requests_total', { upstream: 'pvog', outcome: 'ok' })).toBe(okBefore + 1);
    expect(await metricValue('thuegate_upstream_requests_total', { upstream: 'pvog', outcome: 'UPSTREAM_NOT_FOUND' })).toBe(nfBefore + 1);
    const text = await metricsRegistry.metrics();
    expect(text).toContain('thuegate_upstream_request_duration_seconds_bucket');
  });
});

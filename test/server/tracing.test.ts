import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/log';
import { HIT_TRACE_EVERY } from '../../src/observability/tracing';
import { loadConfig } from '../../src/server/config';
import { startGateway, type Gateway } from '../../src/server/gateway';
import { logLinesDuring } from '../helpers/log-lines';

// OpenTelemetry over real HTTP requests (issue 14): one SERVER span per GraphQL operation, child spans per data-cache
// lookup and per upstream request, an incoming traceparent continued, the trace id as X-Request-Id and in the logs.
const exporter = new InMemorySpanExporter();
let gw: Gateway;
// ThAVEL answers 503 to everything here, so a request that needs it writes warning lines while it is served.
const failing = createServer((_req, res) => void res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance'));
beforeAll(async () => {
  await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
  const THAVEL_BASE_URL = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
  gw = await startGateway(loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'debug', THAVEL_BASE_URL }), createLogger('debug'), { spanExporter: exporter });
});
afterAll(async () => {
  await gw?.stop();
  await new Promise((r) => failing.close(r));
});

const LAUSCHA_SERVICES = 'query LauschaServices { municipality(ars: "160720011011") { name services(first: 2) { edges { node { leikaKey name } } } } }';
const post = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

/** The finished spans of one trace, once its SERVER span has ended (it ends when the response is closed). */
async function traceOf(traceId: string): Promise<ReadableSpan[]> {
  for (let i = 0; i < 100; i++) {
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    if (spans.some((s) => s.kind === SpanKind.SERVER)) return spans;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no server span for trace ${traceId}`);
}
const parentOf = (s: ReadableSpan, all: ReadableSpan[]) => all.find((p) => p.spanContext().spanId === s.parentSpanContext?.spanId);

describe('tracing with an in-memory exporter', () => {
  it('one operation span with cache-lookup and upstream-request children; X-Request-Id is the trace id', async () => {
    const res = await post(LAUSCHA_SERVICES);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { municipality: { services: { edges: unknown[] } } } }).data.municipality.services.edges).toHaveLength(2);
    const traceId = res.headers.get('x-request-id')!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = await traceOf(traceId);

    const servers = spans.filter((s) => s.kind === SpanKind.SERVER);
    expect(servers).toHaveLength(1);
    const [server] = servers;
    expect(server.name).toBe('query LauschaServices');
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'graphql.operation.name': 'LauschaServices', 'http.request.method': 'POST', 'http.response.status_code': 200 });

    const lookups = spans.filter((s) => s.name === 'cache lookup');
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((s) => s.attributes['thuegate.upstream'] === 'pvog' && s.attributes['thuegate.cache.tier'] === 'origin')).toBe(true);
    const upstream = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(upstream.length).toBeGreaterThan(0);
    for (const u of upstream) {
      expect(u.name).toBe('GET pvog');
      expect(u.attributes['http.response.status_code']).toBe(200);
      expect(String(u.attributes['url.full'])).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      // An upstream request is the origin load of a cache lookup, which belongs to the operation.
      const lookup = parentOf(u, spans)!;
      expect(lookup.name).toBe('cache lookup');
      let top: ReadableSpan | undefined = lookup;
      while (top && top.kind !== SpanKind.SERVER) top = parentOf(top, spans);
      expect(top).toBe(server);
    }
  });

  it('every log line written while a request is served carries its trace id', async () => {
    const { result: res, lines: json } = await logLinesDuring(async () => {
      const r = await post('query Online { onlineServices(ars: "160720011011") { totalCount } }');
      await r.text();
      return r;
    });
    const traceId = res.headers.get('x-request-id')!;
    expect(json.map((l) => l.msg)).toContain('upstream request failed');
    expect(json.filter((l) => l.traceId !== traceId)).toEqual([]);
    // The warning names the span it was written in: the upstream request's.
    const spans = await traceOf(traceId);
    const warned = json.find((l) => l.msg === 'upstream request failed')!;
    expect(spans.find((s) => s.spanContext().spanId === warned.spanId)?.name).toBe('GET thavel');
  });

  it('continues an incoming W3C traceparent', async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentId = randomBytes(8).toString('hex');
    const res = await post('query Erfurt { municipality(ars: "160510000000") { services(first: 1) { totalCount } } }', { traceparent: `00-${traceId}-${parentId}-01` });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(traceId);
    const spans = await traceOf(traceId);
    const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
    expect(server.parentSpanContext?.spanId).toBe(parentId);
    expect(server.name).toBe('query Erfurt');
    expect(spans.filter((s) => s.kind === SpanKind.CLIENT).length).toBeGreaterThan(0);
  });

  it('a response-cache hit the caller asks to trace (sampled traceparent) is one span of its own, marked HIT', async () => {
    const q = '{ municipality(ags: "16072011") { name } }';
    expect((await post(q)).headers.get('x-cache')).toBe('MISS');
    const traceId = randomBytes(16).toString('hex');
    const hit = await post(q, { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('x-request-id')).toBe(traceId);
    const spans = await traceOf(traceId);
    expect(spans).toHaveLength(1);
    expect(spans[0].attributes).toMatchObject({ 'thuegate.response_cache': 'HIT', 'http.response.status_code': 200 });
  });

  it('other hits are sampled: one span per HIT_TRACE_EVERY hits, yet every hit has its own request id', async () => {
    const q = '{ municipality(ags: "16053000") { name } }';
    expect((await post(q)).headers.get('x-cache')).toBe('MISS');
    const ids: string[] = [];
    for (let i = 0; i < 2 * HIT_TRACE_EVERY; i++) {
      const hit = await post(q);
      expect(hit.headers.get('x-cache')).toBe('HIT');
      ids.push(hit.headers.get('x-request-id')!);
    }
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    await new Promise((r) => setTimeout(r, 100));
    const traced = exporter.getFinishedSpans().filter((s) => ids.includes(s.spanContext().traceId));
    expect(traced.length).toBeGreaterThanOrEqual(1);
    expect(traced.length).toBeLessThanOrEqual(3);
    expect(traced.every((s) => s.attributes['thuegate.response_cache'] === 'HIT')).toBe(true);

    // An unsampled traceparent (flag 00) gets no span here, but its trace id names the answer.
    const unsampled = randomBytes(16).toString('hex');
    const quiet = await post(q, { traceparent: `00-${unsampled}-${randomBytes(8).toString('hex')}-00` });
    expect(quiet.headers.get('x-request-id')).toBe(unsampled);
  });
});

describe('OTLP export', () => {
  it('sends the spans to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces when it is set', async () => {
    const received: { path: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const exporting = await startGateway(loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }), createLogger('silent'));
    let traceId: string;
    try {
      const res = await fetch(`${exporting.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query Jena { municipality(ags: "16053000") { name } }' }),
      });
      traceId = res.headers.get('x-request-id')!;
    } finally {
      await exporting.stop(); // flushes the batch
      await new Promise((r) => collector.close(r));
    }
    expect(received.map((r) => r.path)).toContain('/v1/traces');
    const spans = received
      .filter((r) => r.path === '/v1/traces')
      .flatMap((r) => (JSON.parse(r.body) as { resourceSpans: { scopeSpans: { spans: { traceId: string; name: string }[] }[] }[] }).resourceSpans)
      .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    expect(spans).toContainEqual(expect.objectContaining({ traceId, name: 'query Jena' }));
  });
});

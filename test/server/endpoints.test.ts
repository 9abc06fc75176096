import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

let gw: TestGateway;
beforeAll(async () => { gw = await startTestGateway(); });
afterAll(async () => { await gw?.stop(); });

describe('operational endpoints over a real socket', () => {
  it('GET /healthz says the process is alive', async () => {
    const res = await fetch(`${gw.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz checks the database and lists every upstream', async () => {
    const res = await fetch(`${gw.url}/readyz`);
    const body = (await res.json()) as { status: string; checks: { name: string; ok: boolean; kind?: string; critical: boolean }[] };
    expect(res.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.checks.find((c) => c.name === 'database')).toMatchObject({ ok: true, kind: 'pglite', critical: true });
    expect(body.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['upstream:pvog', 'upstream:thavel', 'upstream:geomis', 'upstream:geoproxy', 'upstream:dvdv']));
  });

  it('GET /metrics renders Prometheus text and counts GraphQL requests', async () => {
    await gw.raw('{ municipality(ags: "16051000") { name } }');
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^# HELP thuegate_graphql_requests_total/m);
    expect(text).toMatch(/thuegate_graphql_requests_total\{[^}]*operation="query"[^}]*outcome="ok"[^}]*\} [1-9]/);
    expect(text).toMatch(/thuegate_process_cpu_user_seconds_total/);
  });
});

describe('GraphQL over HTTP', () => {
  it('serves queries by GET with the preflight header (CSRF prevention on)', async () => {
    const q = encodeURIComponent('{ municipality(ars: "160530000000") { name } }');
    const blocked = await fetch(`${gw.url}/graphql?query=${q}`);
    expect(blocked.status).toBe(400);
    const ok = await fetch(`${gw.url}/graphql?query=${q}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { municipality: { name: 'Jena, Stadt' } } });
  });

  it('refuses mutations over GET', async () => {
    const q = encodeURIComponent('mutation { purgeCache(upstream: "pvog") { purged } }');
    const res = await fetch(`${gw.url}/graphql?query=${q}`, { headers: { 'apollo-require-preflight': '1' } });
    expect(res.status).toBe(405);
  });

  it('answers malformed JSON with a JSON 400, not a stack trace', async () => {
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.js:\d+/);
    expect(JSON.parse(text).errors[0].message).toBeTruthy();
  });

  it('rejects oversized bodies', async () => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ municipality(ars: "160510000000") { name } } # ${'x'.repeat(300_000)}` }),
    });
    expect(res.status).toBe(413);
  });

  it('limits aliases and depth before execution', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: municipality(ags: "16051000") { name }`).join(' ');
    const r = await gw.raw(`{ ${aliases} }`);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]).toMatchObject({ message: 'Query uses 31 aliases, the limit is 30', extensions: { limit: 'aliases', max: 30 } });
  });

  it('limits the token count of a document', async () => {
    const r = await gw.raw(`{ ${'__typename '.repeat(6000)} }`);
    expect(r.status).toBe(400);
    expect(r.errors?.[0].message).toMatch(/more th.. 5000 tokens/);
  });

  it('answers the trace id as X-Request-Id, never a header the client made up (traceparent chooses it; test/server/tracing.test.ts)', async () => {
    const mine = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc-123' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(mine.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const evil = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'a b<script>' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(evil.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(evil.headers.get('x-request-id')).not.toBe(mine.headers.get('x-request-id'));
  });

  it('unknown routes are JSON 404s', async () => {
    const res = await fetch(`${gw.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});

describe('operation selection', () => {
  // Several operations in one document: graphql-js requires operationName (GraphQL spec §6.1 GetOperation). The
  // metrics plugin once read the missing operation and turned this client mistake into a 500.
  const doc = 'query A { municipality(ars: "160530000000") { name } } query B { municipality(ars: "160510000000") { name } }';

  it('answers a missing operationName with a typed client error, not a 500', async () => {
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: doc }) });
    const body = (await res.json()) as { data?: unknown; errors: { message: string; extensions?: { code?: string } }[] };
    expect(res.status).toBe(400);
    expect(body.errors[0].message).toBe('Must provide operation name if query contains multiple operations.');
    expect(body.errors[0].extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('names an unknown operationName, and runs the one named', async () => {
    const post = (operationName: string) =>
      fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: doc, operationName }) });
    const unknown = await post('C');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { errors: { message: string }[] }).errors[0].message).toBe('Unknown operation named "C".');
    const b = await post('B');
    expect(b.status).toBe(200);
    expect(((await b.json()) as { data: { municipality: { name: string } } }).data.municipality.name).toBe('Erfurt, Stadt');
  });
});


import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

// GraphQL over HTTP (graphql-over-http spec, "Media Types", "Status Codes"): a client that asks for
// application/graphql-response+json gets it on every path — execution, response-cache hits (raw fast path and Apollo
// plugin), 304s, and errors answered before GraphQL runs — with the status codes that media type prescribes.
const GQL_RESPONSE = 'application/graphql-response+json';
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.stop();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const get = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}/graphql?${new URLSearchParams({ query })}`, { headers: { 'apollo-require-preflight': '1', ...headers } });
const type = (res: Response) => res.headers.get('content-type');

describe('GraphQL over HTTP audit (graphql-http)', () => {
  it('passes every MUST and every application/graphql-response+json audit', async () => {
    // GET needs a non-simple header (CSRF prevention, README "Operations"); the audit's own requests carry none.
    const fetchFn = (input: string, init: RequestInit = {}) =>
      fetch(input, { ...init, headers: { 'apollo-require-preflight': '1', ...(init.headers as Record<string, string>) } });
    const results = await auditServer({ url: `${gw.url}/graphql`, fetchFn });
    const failed = results.filter((r) => r.status === 'error').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failed).toEqual([]);
    const newType = results.filter((r) => r.name.includes(GQL_RESPONSE) && r.status !== 'ok').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(newType).toEqual([]);
    // Every SHOULD is followed too, including 200 for request errors to clients that accept only application/json
    // (572B, 7B9B, FDE2: src/server/plugins/status-codes.ts).
    expect(results.filter((r) => r.status === 'warn').map((r) => r.id)).toEqual([]);
  }, 120_000);
});

const Q = (ags: string) => `{ municipality(ags: "${ags}") { name ags } }`;

describe('application/graphql-response+json on every path', () => {
  it('POST: the miss and the fast-path hit both answer the asked media type, byte for byte the same', async () => {
    const q = Q('16072011');
    const miss = await post(JSON.stringify({ query: q }), { accept: GQL_RESPONSE });
    expect(miss.status).toBe(200);
    expect(miss.headers.get('x-cache')).toBe('MISS');
    expect(type(miss)).toBe(`${GQL_RESPONSE}; charset=utf-8`);
    const body = await miss.text();
    expect(JSON.parse(body).data.municipality.name).toBe('Lauscha, Stadt');

    const hit = await post(JSON.stringify({ query: q }), { accept: GQL_RESPONSE });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(type(hit)).toBe(`${GQL_RESPONSE}; charset=utf-8`);
    expect(await hit.text()).toBe(body);

    // The same stored entry answers a legacy client in its own type, and a preference by order or q-value is kept.
    const legacy = await post(JSON.stringify({ query: q }), { accept: 'application/json' });
    expect(legacy.headers.get('x-cache')).toBe('HIT');
    expect(type(legacy)).toBe('application/json; charset=utf-8');
    const preferNew = await post(JSON.stringify({ query: q }), { accept: `application/json;q=0.9, ${GQL_RESPONSE}` });
    expect([preferNew.headers.get('x-cache'), type(preferNew)]).toEqual(['HIT', `${GQL_RESPONSE}; charset=utf-8`]);
    const noAccept = await post(JSON.stringify({ query: q }));
    expect(type(noAccept)).toBe('application/json; charset=utf-8');
  });

  it('POST with an API key header (Apollo plugin hit path) answers the asked media type too', async () => {
    const q = Q('16051000');
    // An Authorization header that is no credential keeps the caller public but skips the raw fast path.
    const h = { accept: GQL_RESPONSE, authorization: 'Bearer not-a-configured-admin-token' };
    const miss = await post(JSON.stringify({ query: q }), h);
    expect([miss.status, miss.headers.get('x-cache'), type(miss)]).toEqual([200, 'MISS', `${GQL_RESPONSE}; charset=utf-8`]);
    const hit = await post(JSON.stringify({ query: q }), h);
    expect([hit.status, hit.headers.get('x-cache'), type(hit)]).toEqual([200, 'HIT', `${GQL_RESPONSE}; charset=utf-8`]);
    expect(await hit.text()).toBe(await miss.text());
  });

  it('GET: miss, hit and 304 keep the asked media type', async () => {
    const q = Q('16067029');
    const miss = await get(q, { accept: GQL_RESPONSE });
    expect([miss.status, miss.headers.get('x-cache'), type(miss)]).toEqual([200, 'MISS', `${GQL_RESPONSE}; charset=utf-8`]);
    const hit = await get(q, { accept: GQL_RESPONSE });
    expect([hit.status, hit.headers.get('x-cache'), type(hit)]).toEqual([200, 'HIT', `${GQL_RESPONSE}; charset=utf-8`]);
    expect(await hit.text()).toBe(await miss.text());
    const legacy = await get(q, { accept: 'application/json' });
    expect([legacy.headers.get('x-cache'), type(legacy)]).toEqual(['HIT', 'application/json; charset=utf-8']);
    const notModified = await get(q, { accept: GQL_RESPONSE, 'if-none-match': hit.headers.get('etag')! });
    expect(notModified.status).toBe(304);
  });

  it('an Accept that allows neither type is 406 on a hit as on a miss', async () => {
    const q = Q('16053000');
    expect((await post(JSON.stringify({ query: q }), { accept: 'application/xml' })).status).toBe(406);
    await post(JSON.stringify({ query: q }));
    expect((await post(JSON.stringify({ query: q }))).headers.get('x-cache')).toBe('HIT');
    expect((await post(JSON.stringify({ query: q }), { accept: 'application/xml' })).status).toBe(406);
    expect((await get(q, { accept: 'text/csv' })).status).toBe(406);
  });
});

describe('status codes for application/graphql-response+json', () => {
  const asked = { accept: GQL_RESPONSE };
  it('request errors (nothing executed) are 4xx in the asked type; executed requests are 200 even with field errors', async () => {
    const cases: [string, string, number][] = [
      ['unparsable JSON', '{"query": "{ municipality', 400],
      ['GraphQL syntax error', JSON.stringify({ query: '{ municipality(' }), 400],
      ['validation error', JSON.stringify({ query: '{ noSuchField }' }), 400],
      ['invalid variable', JSON.stringify({ query: 'query($a: ARS!) { municipality(ars: $a) { name } }', variables: { a: '1605' } }), 400],
      ['no query', JSON.stringify({ variables: {} }), 400],
      ['body over the 256 kB limit', JSON.stringify({ query: Q('16072011'), extensions: { pad: 'x'.repeat(300_000) } }), 413],
    ];
    for (const [what, body, status] of cases) {
      const res = await post(body, asked);
      expect({ what, status: res.status, type: type(res) }).toEqual({ what, status, type: `${GQL_RESPONSE}; charset=utf-8` });
      const json = (await res.json()) as { data?: unknown; errors?: unknown[] };
      expect(json.data).toBeUndefined();
      expect(json.errors?.length).toBeGreaterThan(0);
    }
    // A field error after execution (unknown municipality): data is present (null), so 200.
    const executed = await post(JSON.stringify({ query: '{ municipality(ars: "169990000000") { name } }' }), asked);
    expect(executed.status).toBe(200);
    const json = (await executed.json()) as { data: unknown; errors: { extensions: { code: string } }[] };
    expect(json.data).toEqual({ municipality: null });
    expect(json.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('a mutation over GET is 405 and an unknown API key 401, in the asked type', async () => {
    const m = await get('mutation { purgeCache(upstream: "pvog") { purged } }', asked);
    expect([m.status, type(m)]).toEqual([405, `${GQL_RESPONSE}; charset=utf-8`]);
    const k = await post(JSON.stringify({ query: Q('16072011') }), { ...asked, 'x-api-key': 'tg_unknown' });
    expect([k.status, type(k)]).toEqual([401, `${GQL_RESPONSE}; charset=utf-8`]);
  });
});

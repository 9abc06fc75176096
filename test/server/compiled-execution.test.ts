import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { logLinesDuring } from '../helpers/log-lines';
import { scrapeSum } from '../helpers/metrics';
import { startSandboxes, type SandboxWorld } from '../../src/sandbox';
import { createLogger } from '../../src/observability/log';

// The compiled path (src/server/compiled-execution/) answers repeated uncacheable queries without Express and
// Apollo. A client must not be able to tell: every answer here is compared with the answer of a second gateway
// that runs every request through Apollo (COMPILED_EXECUTION=false), over the same sandbox upstreams — same bytes,
// same status, same headers (apart from the request id, the date and the rate-limit counter) — and the path
// counter proves which path each answer took.
let sandboxes: SandboxWorld;
let compiled: TestGateway;
let apollo: TestGateway;
// Production mode, as deployed and benchmarked (outside it, errors carry stack traces, which name the executor);
// production refuses embedded sandboxes, so both gateways reach one sandbox world by URL.
const LIMITS = { NODE_ENV: 'production', MAX_QUERY_COST: '3000', RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE_PUBLIC: '100000', EXECUTIONS_PER_CLIENT: '2', EXECUTION_QUEUE_PER_CLIENT: '0', CORS_ORIGINS: 'https://portal.example.org' };
beforeAll(async () => {
  sandboxes = await startSandboxes();
  const upstreams = {
    PVOG_BASE_URL: sandboxes.urls.pvog,
    THAVEL_BASE_URL: sandboxes.urls.thavel,
    GEOMIS_BASE_URL: sandboxes.urls.geomis,
    GEOPROXY_BASE_URL: sandboxes.urls.geoproxy,
    DVDV_BASE_URLS: sandboxes.urls.dvdv,
    PVOG_MAX_RPS: '1000',
  };
  compiled = await startTestGateway({ ...LIMITS, ...upstreams, LOG_LEVEL: 'warn' }, createLogger('warn'));
  apollo = await startTestGateway({ ...LIMITS, ...upstreams, COMPILED_EXECUTION: 'false' });
}, 120_000);
afterAll(async () => {
  await apollo?.stop();
  await compiled?.stop();
  await sandboxes?.close();
});

// The bench's P1b query (issue 15): `upstreams` has no cache hint, so the answer is never stored.
const P1B = '{ municipality(ars:"160510000000"){ name services(first:20){ edges{ node{ leikaKey name onlineServiceLinks{ title url } onlineServices{ title url } } } } } upstreams { name } }';
// A search term no earlier request used (a variable, so the document text repeats): misses both data caches.
const SEARCH = 'query($q: String) { upstreams { name } services(ars: "160510000000", query: $q, first: 2) { totalCount } }';
const VOLATILE = new Set(['date', 'x-request-id', 'ratelimit', 'keep-alive', 'connection']);

interface Answer {
  status: number;
  text: string;
  headers: Record<string, string>;
  requestId: string | null;
}

async function ask(gw: TestGateway, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const all: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (!VOLATILE.has(k)) all[k] = v;
  });
  return { status: res.status, text: await res.text(), headers: all, requestId: res.headers.get('x-request-id') };
}

const compiledRuns = () => scrapeSum(compiled.url, 'thuegate_graphql_compiled_path_total', { path: 'compiled' });
const regularRuns = (path: string) => scrapeSum(compiled.url, 'thuegate_graphql_compiled_path_total', { path });

/**
 * Asks both gateways twice and expects indistinguishable second answers: on the compiled gateway the first request
 * with a text takes Apollo's path and the second runs compiled; both meet warm caches the second time.
 */
async function same(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  await ask(apollo, body, headers);
  await ask(compiled, body, headers);
  const a = await ask(apollo, body, headers);
  const c = await ask(compiled, body, headers);
  expect(c.status).toBe(a.status);
  expect(c.text).toBe(a.text);
  expect(c.headers).toEqual(a.headers);
  expect(c.requestId).toMatch(/^[0-9a-f]{32}$/);
  return c;
}

describe('compiled execution answers exactly as Apollo does', () => {
  it('the P1b query: same bytes, status and headers, and it ran compiled', async () => {
    const before = await compiledRuns();
    const c = await same({ query: P1B });
    expect(await compiledRuns()).toBe(before + 1); // the first request with a text takes Apollo's path
    expect(c.status).toBe(200);
    expect(c.headers['cache-control']).toBe('no-store');
    expect(c.headers['x-cache']).toBe('MISS');
    const data = JSON.parse(c.text).data;
    expect(data.municipality.name).toBe('Erfurt, Stadt');
    expect(data.municipality.services.edges).toHaveLength(20);
    // ETag as Express computes it for the same bytes (weak, length in hex).
    expect(c.headers.etag).toMatch(new RegExp(`^W/"${Buffer.byteLength(c.text).toString(16)}-`));
  });

  it('variables, an operation picked by name, a browser origin and application/graphql-response+json', async () => {
    const query = 'query A($ars: ARS!, $n: Int) { municipality(ars: $ars) { name services(first: $n) { totalCount edges { node { leikaKey } } } } upstreams { name } } query B { upstreams { name } }';
    const before = await compiledRuns();
    const c = await same(
      { query, operationName: 'A', variables: { ars: '160510000000', n: 3 } },
      { origin: 'https://portal.example.org', accept: 'application/graphql-response+json' },
    );
    expect(await compiledRuns()).toBe(before + 1); // the first request with a text takes Apollo's path
    expect(c.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    expect(c.headers['access-control-allow-origin']).toBe('https://portal.example.org');
    expect(JSON.parse(c.text).data.municipality.services.edges).toHaveLength(3);
  });

  it('an interface (`node(id:)`, resolved to its object type) and a list of nodes', async () => {
    const before = await compiledRuns();
    // Lauscha's global ID from the README (n1 = Municipality, ARS 160720011011).
    const c = await same({ query: '{ node(id: "WyJuMSIsIk11bmljaXBhbGl0eSIsIjE2MDcyMDAxMTAxMSJd") { __typename id ... on Municipality { name ags district { id name } } } }' });
    expect(JSON.parse(c.text).data.node).toMatchObject({ __typename: 'Municipality', name: 'Lauscha, Stadt', ags: '16072011' });
    expect(await compiledRuns()).toBe(before + 1); // the first request with a text takes Apollo's path
  });

  it('a field error (restricted DVDV data for a public caller): same partial answer, errors formatted alike', async () => {
    const before = await compiledRuns();
    const c = await same({ query: '{ upstreams { name } directoryService(organizationKey: "ags:16051000", serviceUri: "http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl") { __typename } }' });
    const body = JSON.parse(c.text);
    expect(body.errors?.length).toBeGreaterThan(0);
    expect(Object.keys(body)[0]).toBe('errors'); // Apollo's order: errors, data, extensions
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(await compiledRuns()).toBe(before + 1); // the first request with a text takes Apollo's path
  });

  it("a client over its execution share gets Apollo's path's 429, with the same headers", async () => {
    // Before the upstream-fault case, whose 503s open PVOG's circuit breaker. PVOG answers slowly; four at once from one client with two slots and no queue: two run, two are refused.
    sandboxes.setFaults('pvog:*=latency:1500'); // long enough for four requests to overlap on a loaded CI machine
    const burst = async (gw: TestGateway, tag: string) => {
      const answers = await Promise.all(
        [0, 1, 2, 3].map((i) => ask(gw, { query: SEARCH, variables: { q: `zz-share-${tag}-${i}` } }, { origin: 'https://portal.example.org' })),
      );
      return answers.filter((a) => a.status === 429);
    };
    try {
      await ask(compiled, { query: SEARCH, variables: { q: 'zz-share-first-sight' } });
      const before = await compiledRuns();
      const [c, a] = [await burst(compiled, 'c'), await burst(apollo, 'a')];
      expect(c).toHaveLength(2);
      expect(a).toHaveLength(2);
      expect(c[0].text).toBe(a[0].text);
      expect(c[0].headers).toEqual(a[0].headers);
      expect(JSON.parse(c[0].text).errors[0].extensions.code).toBe('TOO_MANY_CONCURRENT_REQUESTS');
      expect(c[0].headers['access-control-allow-origin']).toBe('https://portal.example.org');
      expect(c[0].headers['x-content-type-options']).toBe('nosniff');
      expect(c[0].headers['ratelimit-policy']).toBe('"anonymous";q=100000;w=60');
      expect(c[0].requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(await compiledRuns()).toBe(before + 4);
    } finally {
      sandboxes.setFaults(undefined);
    }
  });

  it('an upstream fault: the same partial answer naming the upstream', async () => {
    sandboxes.setFaults('pvog:*=status:503');
    try {
      // A text filter no earlier request used: neither data cache holds it, so both gateways meet the fault.
      const c = await same({ query: SEARCH, variables: { q: 'zz-compiled-fault' } });
      const body = JSON.parse(c.text);
      expect(body.errors[0].extensions.upstream).toBe('pvog');
      expect(c.status).toBe(200);
      // The log lines written while a compiled request runs carry its request id as their trace id (README, Tracing).
      const before = await compiledRuns();
      const { result: again, lines: json } = await logLinesDuring(() => ask(compiled, { query: SEARCH, variables: { q: 'zz-compiled-fault-2' } }), { quiet: true });
      expect(await compiledRuns()).toBe(before + 1);
      expect(json.filter((l) => l.msg === 'upstream request failed').map((l) => l.traceId)).toContain(again.requestId);
      expect(json.filter((l) => l.traceId !== again.requestId)).toEqual([]);
    } finally {
      sandboxes.setFaults(undefined);
    }
  });

  it('leaves to Apollo what it must not answer itself, and says why in the path counter', async () => {
    // Variables that do not coerce: Apollo's 400 before execution.
    const vars = await regularRuns('variables');
    const bad = await same({ query: 'query($ars: ARS!) { upstreams { name } municipality(ars: $ars) { name } }', variables: { ars: 'Erfurt' } });
    expect(bad.status).toBe(400);
    expect(await regularRuns('variables')).toBe(vars + 1);
    // Over the cost limit: refused before execution.
    const cost = await regularRuns('cost');
    const fanOut = await same({ query: '{ upstreams { name } municipalities(first: 605) { edges { node { services { edges { node { name } } } } } } }' });
    expect(JSON.parse(fanOut.text).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(await regularRuns('cost')).toBe(cost + 1);
    // A cacheable query: the response cache and cache-control need Apollo's per-field policy.
    const cacheable = await regularRuns('cacheable');
    await ask(compiled, { query: '{ municipality(ars: "160510000000") { name } }', variables: { unused: Math.random() } });
    await ask(compiled, { query: '{ municipality(ars: "160510000000") { name } }', variables: { unused: Math.random() } });
    expect(await regularRuns('cacheable')).toBe(cacheable + 1);
    // A text that changes with every request (a search term written into the query) is never compiled.
    const firstSight = await regularRuns('first_sight');
    for (const n of [1, 2, 3]) await ask(compiled, { query: `{ upstreams { name } services(ars: "160510000000", query: "zz-inline-${n}", first: 1) { totalCount } }` });
    expect(await regularRuns('first_sight')).toBe(firstSight + 3);
  });

  it('counts a compiled request in the request metrics as Apollo does', async () => {
    const where = { operation: 'query', outcome: 'ok' };
    const requests = await scrapeSum(compiled.url, 'thuegate_graphql_requests_total', where);
    const executions = await scrapeSum(compiled.url, 'thuegate_graphql_executions_total', { operation: 'query' });
    await ask(compiled, { query: P1B });
    expect(await scrapeSum(compiled.url, 'thuegate_graphql_requests_total', where)).toBe(requests + 1);
    expect(await scrapeSum(compiled.url, 'thuegate_graphql_executions_total', { operation: 'query' })).toBe(executions + 1);
  });
});

import { getIntrospectionQuery, type GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config';
import { addClient } from '../../src/services/clients';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { scrapeSum } from '../helpers/metrics';

/**
 * Every query limit over a real socket: each test fails when its limit is removed. The expected costs are worked
 * out by hand from the cost model documented in README "Limits" (1 per object, 20 per upstream request, lists
 * multiplied by their size), not computed by the code under test.
 */
let gw: TestGateway;
// The default cost limit (the shared test helper lifts it for functional tests).
beforeAll(async () => { gw = await startTestGateway({ MAX_QUERY_COST: '3000' }); }, 60_000);
afterAll(async () => { await gw?.stop(); });

const limitOf = (errors: readonly GraphQLFormattedError[] | undefined, limit: string) => errors?.find((e) => e.extensions?.limit === limit);

/** Upstream requests and GraphQL executions in this process, to show a rejection cost nothing. */
const work = async () => ({
  upstream: await scrapeSum(gw.url, 'thuegate_upstream_requests_total'),
  executions: await scrapeSum(gw.url, 'thuegate_graphql_executions_total'),
});

/** `{ services { datasets { services … { id } } } }`: `levels` object levels over the schema's one object cycle. */
const chain = (levels: number): string => (levels === 0 ? '{ id }' : `{ ${levels % 2 ? 'services' : 'datasets'} ${chain(levels - 1)} }`);
/** A query `depth` fields deep: geoRecord, depth − 2 levels, id. */
const deepGeo = (depth: number): string => `{ geoRecord(id: "sandbox-none") ${chain(depth - 2)} }`;

describe('operation cost', () => {
  it('rejects the 605-municipality fan-out before execution, with the cost, the maximum and a hint, and no upstream request', async () => {
    const before = await work();
    const started = performance.now();
    const r = await gw.raw('{ municipalities(first: 605) { edges { node { services { edges { node { leikaKey name } } } } } } }');
    const ms = performance.now() - started;
    const after = await work();
    // services(default 50 items) = 20 (one PVOG request) + 1 + 50 × (edge 1 + node 1) = 121; per municipality:
    // edge 1 + node 1 + 121 = 123; municipalities = 1 + 605 × 123 = 74,416.
    expect(r.status).toBe(400);
    expect(r.data).toBeUndefined();
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]).toMatchObject({
      message: expect.stringMatching(/^Query cost 74416 exceeds the maximum of 3000 for the public role\. /),
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'cost', cost: 74416, max: 3000, role: 'public', hint: expect.any(String) },
    });
    expect(after.upstream - before.upstream).toBe(0);
    expect(after.executions - before.executions).toBe(0);
    console.log(`605-municipality fan-out rejected in ${ms.toFixed(1)} ms (cost 74416, 0 upstream requests)`);
  });

  it('rejects 30 aliases × 605 municipalities with random search strings, without an upstream request', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: municipalities(first: 605) { edges { node { services(query: "${Math.random().toString(36).slice(2)}") { totalCount } } } }`).join(' ');
    const before = await work();
    const r = await gw.raw(`{ ${aliases} }`);
    const after = await work();
    // per alias: 1 + 605 × (edge 1 + node 1 + services (20 + 1 + 50 × 0)) = 1 + 605 × 23 = 13,916; × 30 = 417,480.
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', cost: 417480, max: 3000 });
    expect(after.upstream - before.upstream).toBe(0);
  });

  it('counts leikaKeys from variables: 10,000 keys are 157 PVOG requests and are rejected without one', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `99${String(i).padStart(12, '0')}`);
    const before = await work();
    const r = await gw.raw('query Many($k: [LeikaKey!]) { services(ars: "160510000000", leikaKeys: $k) { edges { node { name } } } }', { k: keys });
    const after = await work();
    // ⌈10000 / 64 keys per PVOG request⌉ = 157 requests × 20 = 3140, + 1 + min(50, 10000) × 2 = 3241.
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', cost: 3241, max: 3000 });
    expect(after.upstream - before.upstream).toBe(0);
  });

  it('runs the README examples (well under the public maximum)', async () => {
    const r = await gw.raw(`{
      municipality(ars: "160720011011") {
        name
        services(first: 5) { totalCount edges { node { leikaKey name } } }
        responsibleUnit(leikaKey: "99008001012000") { name contact { phone email } }
      }
      routes(leikaKey: "99008001012000", ars: "160720011011") { organisationUnit { name } provenance { source fetchedAt stale } }
    }`);
    expect(limitOf(r.errors, 'cost')).toBeUndefined();
    expect(r.data?.municipality?.name).toBe('Lauscha, Stadt');
  });

  it('applies the maximum of the caller’s role (MAX_QUERY_COST, MAX_QUERY_COST_INTEGRATOR, MAX_QUERY_COST_ADMIN)', async () => {
    const token = 'limits-test-admin-token-0123456789';
    const small = await startTestGateway({ MAX_QUERY_COST: '40', MAX_QUERY_COST_INTEGRATOR: '100', MAX_QUERY_COST_ADMIN: '200', ADMIN_TOKEN: token });
    try {
      const integrator = { 'x-api-key': (await addClient(small.db, { name: 'limits', role: 'integrator' })).key };
      const admin = { authorization: `Bearer ${token}` };
      // municipality 1 + services (20 + 1 + n × 2): n = 30 → 82, n = 80 → 182.
      const q = (n: number) => `{ municipality(ars: "160720011011") { services(first: ${n}) { edges { node { leikaKey } } } } }`;
      const cost = async (n: number, headers?: Record<string, string>) => limitOf((await small.raw(q(n), undefined, headers)).errors, 'cost')?.extensions;
      expect(await cost(30)).toMatchObject({ cost: 82, max: 40, role: 'public' });
      expect(await cost(30, integrator)).toBeUndefined();
      expect(await cost(80, integrator)).toMatchObject({ cost: 182, max: 100, role: 'integrator' });
      expect(await cost(80, admin)).toBeUndefined();
    } finally {
      await small.stop();
    }
  }, 60_000);

  it('validates the cost maxima at start, naming the variable', () => {
    expect(() => loadConfig({ MAX_QUERY_COST: 'lots' })).toThrow(/^MAX_QUERY_COST: expected an integer from 1 to 10000000, got "lots"/);
    expect(() => loadConfig({ MAX_QUERY_COST_ADMIN: '0' })).toThrow(/^MAX_QUERY_COST_ADMIN: expected an integer/);
    expect(loadConfig({}).maxQueryCost).toEqual({ public: 3000, integrator: 15000, admin: 30000 });
  });
});

describe('depth', () => {
  it('rejects data nested 13 deep and lets 12 through validation', async () => {
    const deep = await gw.raw(deepGeo(13));
    expect(deep.status).toBe(400);
    expect(limitOf(deep.errors, 'depth')).toMatchObject({ message: 'Query depth 13 exceeds the limit of 12', extensions: { code: 'QUERY_TOO_COMPLEX', max: 12, found: 13 } });
    const ok = await gw.raw(deepGeo(12));
    expect(limitOf(ok.errors, 'depth')).toBeUndefined();
  });

  it('counts fields inside fragments at the depth they are spread', async () => {
    // geoRecord 1, services 2, datasets 3, then 9 chained levels and id: 13.
    const r = await gw.raw(`{ geoRecord(id: "x") { ...A } } fragment A on GeoRecord { services { ...B } } fragment B on GeoRecord { datasets ${chain(9)} }`);
    expect(limitOf(r.errors, 'depth')?.extensions).toMatchObject({ found: 13 });
  });

  it('lets the standard introspection query (depth 15) through when introspection is on — GraphiQL’s Docs panel', async () => {
    for (const query of [getIntrospectionQuery(), getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true })]) {
      const r = await gw.raw(query);
      expect(r.errors).toBeUndefined();
      expect(r.status).toBe(200);
      expect(r.data.__schema.queryType.name).toBe('Query');
    }
  });

  it('bounds introspection depth at 15', async () => {
    const ofType = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofType(n - 1)} }`);
    // __schema 1, queryType 2, fields 3, type 4, 11 ofType levels 5–15, name 16.
    const r = await gw.raw(`{ __schema { queryType { fields { type { ${ofType(11)} } } } } }`);
    expect(limitOf(r.errors, 'depth')).toMatchObject({ extensions: { max: 15, found: 16 } });
  });

  it('rejects circular introspection (type lists nested in type lists), also through fragments', async () => {
    const circular = await gw.raw('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }');
    expect(circular.status).toBe(400);
    expect(limitOf(circular.errors, 'introspection-nesting')).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', max: 2, found: 4 } });
    const viaFragments = await gw.raw('{ __schema { types { ...F } } } fragment F on __Type { fields { type { ...G } } } fragment G on __Type { interfaces { name } }');
    expect(limitOf(viaFragments.errors, 'introspection-nesting')).toMatchObject({ extensions: { found: 3 } });
    const oneType = await gw.raw('{ __type(name: "Municipality") { fields { name type { name } } } }');
    expect(oneType.errors).toBeUndefined();
  });
});

describe('aliases, directives and tokens', () => {
  const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: municipality(ags: "16051000") { name }`).join(' ')} }`;

  it('allows 30 aliases and rejects 31', async () => {
    expect(limitOf((await gw.raw(aliased(30))).errors, 'aliases')).toBeUndefined();
    const r = await gw.raw(aliased(31));
    expect(r.status).toBe(400);
    expect(limitOf(r.errors, 'aliases')).toMatchObject({ message: 'Query uses 31 aliases, the limit is 30', extensions: { code: 'QUERY_TOO_COMPLEX', max: 30, found: 31 } });
  });

  it('allows 20 directives and rejects 21', async () => {
    const directives = (n: number) => `{ municipality(ags: "16051000") { ${Array.from({ length: n }, (_, i) => `d${i}: name @include(if: true)`).join(' ')} } }`;
    const ok = await gw.raw(directives(20));
    expect(ok.errors).toBeUndefined();
    const r = await gw.raw(directives(21));
    expect(limitOf(r.errors, 'directives')).toMatchObject({ message: 'Query uses 21 directives, the limit is 20', extensions: { code: 'QUERY_TOO_COMPLEX', max: 20, found: 21 } });
  });

  it('allows 5000 tokens and rejects 5001', async () => {
    // `{ geoWebServices ( names : [ … ] ) { name } }` is 12 tokens plus one per list item.
    const doc = (items: number) => `{ geoWebServices(names: [${'"x" '.repeat(items)}]) { name } }`;
    expect(limitOf((await gw.raw(doc(4988))).errors, 'tokens')).toBeUndefined();
    const r = await gw.raw(doc(4989));
    expect(r.status).toBe(400);
    expect(limitOf(r.errors, 'tokens')).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', max: 5000 } });
  });
});

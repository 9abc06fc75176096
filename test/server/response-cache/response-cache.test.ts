import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { scrapeSum } from '../../helpers/metrics';

// The response cache answers in front of Apollo: a hit must not show up as a GraphQL request at all.
const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ ADMIN_TOKEN });
});
afterAll(async () => {
  await gw?.stop();
});

const executed = () => scrapeSum(gw.url, 'thuegate_graphql_executions_total');

async function post(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}, operationName?: string) {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { res, text: await res.text() };
}

async function get(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const qs = new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) });
  const res = await fetch(`${gw.url}/graphql?${qs}`, { headers: { 'apollo-require-preflight': '1', ...headers } });
  return { res, text: res.status === 304 ? '' : await res.text() };
}

const BY_ARS = 'query ByArs($ars: ARS!) { municipality(ars: $ars) { ars name population provenance { source stale } } }';

describe('response cache in front of GraphQL execution', () => {
  it('answers a repeated query from cache without executing it, byte for byte', async () => {
    const before = await executed();
    const first = await post(BY_ARS, { ars: '160510000000' });
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('x-cache')).toBe('MISS');
    expect(JSON.parse(first.text).data.municipality.name).toBe('Erfurt, Stadt');
    expect(await executed()).toBe(before + 1);

    // Different whitespace and field layout of the same document normalise to the same key.
    const reformatted = BY_ARS.replace(/ /g, '\n  ');
    for (let i = 0; i < 5; i++) {
      const again = await post(reformatted, { ars: '160510000000' });
      expect(again.res.headers.get('x-cache')).toBe('HIT');
      expect(again.text).toBe(first.text);
    }
    expect(await executed()).toBe(before + 1);
    expect(await scrapeSum(gw.url, 'thuegate_response_cache_requests_total', { result: 'hit' })).toBeGreaterThanOrEqual(5);
    expect(await scrapeSum(gw.url, 'thuegate_response_cache_bytes')).toBeGreaterThan(first.text.length);
  });

  it('keys by variables and by role', async () => {
    await post(BY_ARS, { ars: '160530000000' });
    const before = await executed();
    const other = await post(BY_ARS, { ars: '160550000000' });
    expect(other.res.headers.get('x-cache')).toBe('MISS');
    expect(JSON.parse(other.text).data.municipality.ars).toBe('160550000000');
    const asAdmin = await post(BY_ARS, { ars: '160530000000' }, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(asAdmin.res.headers.get('x-cache')).toBe('MISS');
    expect(await executed()).toBe(before + 2);
    const asPublic = await post(BY_ARS, { ars: '160530000000' });
    expect(asPublic.res.headers.get('x-cache')).toBe('HIT');
  });

  it('never stores an erroring response (NOT_FOUND)', async () => {
    const before = await executed();
    for (let i = 0; i < 3; i++) {
      const r = await post(BY_ARS, { ars: '169990000000' });
      expect(r.res.headers.get('x-cache')).toBe('MISS');
      expect(JSON.parse(r.text).errors[0].extensions.code).toBe('NOT_FOUND');
    }
    expect(await executed()).toBe(before + 3);
    expect(await scrapeSum(gw.url, 'thuegate_response_cache_stores_total', { result: 'errors' })).toBeGreaterThanOrEqual(3);
  });

  it('never stores a field without a public cache hint (live upstream status) nor a mutation', async () => {
    const before = await executed();
    const q = '{ upstreams { name breaker } }';
    const a = await post(q);
    const b = await post(q);
    expect(JSON.parse(a.text).data.upstreams).toHaveLength(5);
    expect(b.res.headers.get('x-cache')).toBe('MISS');
    const mutation = 'mutation { purgeCache(upstream: "pvog") { purged } }';
    await post(mutation, undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    const m2 = await post(mutation, undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(m2.res.headers.get('x-cache')).toBeNull(); // bypassed before lookup
    expect(await executed()).toBe(before + 4);
  });

  it('serves GET with Cache-Control max-age from the shortest hint, an ETag, and 304 on If-None-Match', async () => {
    const q = '{ municipality(ags: "16072011") { name district { name } } }';
    const miss = await get(q);
    expect(miss.res.status).toBe(200);
    expect(miss.res.headers.get('cache-control')).toBe('max-age=86400, public');
    const hit = await get(q);
    expect(hit.res.headers.get('x-cache')).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    const etag = hit.res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(miss.res.headers.get('etag')).toBe(etag);
    expect(Number(/max-age=(\d+)/.exec(hit.res.headers.get('cache-control')!)![1])).toBeGreaterThan(86_000);
    const before = await executed();
    const notModified = await get(q, undefined, { 'if-none-match': etag });
    expect(notModified.res.status).toBe(304);
    expect(await executed()).toBe(before);
  });

  it('does not let a cache hit bypass CSRF prevention on GET', async () => {
    const q = '{ municipality(ags: "16072011") { name } }';
    await get(q);
    expect((await get(q)).res.headers.get('x-cache')).toBe('HIT');
    const res = await fetch(`${gw.url}/graphql?query=${encodeURIComponent(q)}`);
    expect(res.status).toBe(400);
  });

  it('an admin purge drops cached responses', async () => {
    await post(BY_ARS, { ars: '160510000000' });
    expect((await post(BY_ARS, { ars: '160510000000' })).res.headers.get('x-cache')).toBe('HIT');
    const purge = await post('mutation { purgeCache(upstream: "pvog") { responses } }', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(JSON.parse(purge.text).data.purgeCache.responses).toBeGreaterThan(0);
    expect((await post(BY_ARS, { ars: '160510000000' })).res.headers.get('x-cache')).toBe('MISS');
  });
});

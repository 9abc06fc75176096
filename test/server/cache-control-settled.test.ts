import { getOperationAST, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewaySchema } from '../../src/schema/build';
import { rootForcesMaxAgeZero } from '../../src/server/plugins/cache-control';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { scrapeSum } from '../helpers/metrics';

/**
 * server/plugins/cache-control.ts skips Apollo's per-field cache hints when a root field settles the answer's
 * max-age at 0 before execution (issue 15). Clients must see exactly what Apollo's own plugin gives them:
 * `no-store` and no stored answer where a root field is uncacheable, the shortest hint otherwise — also when the
 * uncacheable root field is left out by `@include`/`@skip`.
 */
const ERFURT = '160510000000';
const settled = (query: string) => rootForcesMaxAgeZero(gatewaySchema(), getOperationAST(parse(query))!, 0);

describe('which operations have their cache policy settled before execution', () => {
  it('an unhinted or max-age-0 root field settles it; cacheable, conditional and meta root fields do not', () => {
    expect(settled('{ upstreams { name } }')).toBe(true);
    expect(settled(`{ municipality(ars: "${ERFURT}") { name } upstreams { name } }`)).toBe(true);
    expect(settled(`{ m: municipality(ars: "${ERFURT}") { name } u: upstreams { name } }`)).toBe(true);
    expect(settled(`{ municipality(ars: "${ERFURT}") { name } }`)).toBe(false);
    expect(settled(`query($x: Boolean!) { municipality(ars: "${ERFURT}") { name } upstreams @include(if: $x) { name } }`)).toBe(false);
    expect(settled(`{ municipality(ars: "${ERFURT}") { name } ... on Query { upstreams { name } } }`)).toBe(false);
    expect(settled('{ __typename }')).toBe(false);
  });
});

describe('cache headers and storing over HTTP', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  }, 60_000);
  afterAll(async () => gw?.stop());

  const post = async (query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { cacheControl: res.headers.get('cache-control'), xCache: res.headers.get('x-cache'), body: (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
  };
  const executed = () => scrapeSum(gw.url, 'thuegate_graphql_executions_total');

  it('a query with an uncacheable root field is no-store and executed every time', async () => {
    const q = `{ municipality(ars: "${ERFURT}") { name services(first: 2) { edges { node { leikaKey name onlineServices { title } } } } } upstreams { name } }`;
    const before = await executed();
    for (let i = 0; i < 2; i++) {
      const r = await post(q);
      expect(r.body.errors).toBeUndefined();
      expect(r.cacheControl).toBe('no-store');
      expect(r.xCache).toBe('MISS');
      expect((r.body.data!.upstreams as unknown[]).length).toBe(5);
    }
    expect(await executed()).toBe(before + 2);
  });

  it('the same query with the uncacheable field left out by @include gets the shortest hint and is stored', async () => {
    const q = `query($x: Boolean!) { municipality(ars: "${ERFURT}") { name ags } upstreams @include(if: $x) { name } }`;
    const miss = await post(q, { x: false });
    expect(miss.body.data).toEqual({ municipality: { name: 'Erfurt, Stadt', ags: '16051000' } });
    expect(miss.cacheControl).toBe('max-age=86400, public');
    expect(miss.xCache).toBe('MISS');
    expect((await post(q, { x: false })).xCache).toBe('HIT');
    const withIt = await post(q, { x: true });
    expect(withIt.cacheControl).toBe('no-store');
    expect((await post(q, { x: true })).xCache).toBe('MISS');
  });
});

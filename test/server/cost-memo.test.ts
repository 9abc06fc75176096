import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

/**
 * The query cost is remembered per (document, operation name, variables) (server/plugins/cost.ts, issue 15): the
 * memo must never hand one request the cost of another. Costs worked out by hand from README "Limits" as in
 * limits.test.ts: municipality 1 + services (20 + 1 + n × 2), so n = 5 → 32, n = 10 → 42, n = 30 → 82.
 */
let gw: TestGateway;
beforeAll(async () => void (gw = await startTestGateway({ MAX_QUERY_COST: '40' })), 60_000);
afterAll(async () => gw?.stop());

const costError = (errors: readonly GraphQLFormattedError[] | undefined) => errors?.find((e) => e.extensions?.limit === 'cost')?.extensions;
const services = (first: string) => `municipality(ars: "160720011011") { services(first: ${first}) { edges { node { leikaKey } } } }`;

it('one document with different variables: each request is costed with its own variables', async () => {
  const doc = `query Page($n: Int) { ${services('$n')} }`;
  const run = async (n: number) => gw.raw(doc, { n });
  for (const [n, expected] of [[5, undefined], [30, 82], [5, undefined], [10, 42], [30, 82]] as const) {
    const r = await run(n);
    if (expected === undefined) {
      expect(costError(r.errors), `n = ${n}`).toBeUndefined();
      expect(r.data.municipality.services.edges.length).toBeLessThanOrEqual(n);
    } else {
      expect(costError(r.errors), `n = ${n}`).toMatchObject({ cost: expected, max: 40 });
      expect(r.data).toBeUndefined();
    }
  }
}, 60_000);

it('one document with two operations: each operation is costed on its own', async () => {
  const doc = `query Small { ${services('5')} } query Large { ${services('30')} }`;
  const post = async (operationName: string) => {
    const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: doc, operationName }) });
    return (await res.json()) as { data?: unknown; errors?: GraphQLFormattedError[] };
  };
  expect(costError((await post('Small')).errors)).toBeUndefined();
  expect(costError((await post('Large')).errors)).toMatchObject({ cost: 82 });
  expect(costError((await post('Small')).errors)).toBeUndefined();
}, 60_000);

it('different documents are costed apart, also when one was costed before', async () => {
  expect(costError((await gw.raw(`{ ${services('5')} }`)).errors)).toBeUndefined();
  expect(costError((await gw.raw(`{ ${services('30')} }`)).errors)).toMatchObject({ cost: 82 });
  expect(costError((await gw.raw(`{ ${services('5')} }`)).errors)).toBeUndefined();
}, 60_000);

import { afterAll, beforeAll, describe, it } from 'vitest';
import { faultTarget, runFaultMatrix, type FaultCase } from '../../../helpers/fault-matrix';
import { startTestGateway, type TestGateway } from '../../../helpers/gateway';

/**
 * Issue 3's acceptance: every fault kind × every upstream route the schema uses so far ends in a bounded,
 * partial answer whose error names the upstream, and the process keeps serving. (PVOG's routes are also
 * checked one by one, with the exact fields each nulls, in test/upstreams/pvog/faults-*.test.ts.)
 */
const ADMIN_TOKEN = 'fault-matrix-routes-admin-token-0123';
const REQUEST_TIMEOUT_MS = 2_000;
const ERFURT = '160510000000';
const PASS = '99008001012000';

const CASES: FaultCase[] = [
  { upstream: 'pvog', route: '/v7/servicedescriptions/*', fieldPath: 'municipality.services',
    query: 'query($a: ARS!) { municipality(ars: $a) { name services(first: 5) { totalCount } } }', variables: { a: ERFURT } },
  { upstream: 'pvog', route: '/v3/servicedescriptions/leikaid', fieldPath: 'service',
    query: 'query($k: LeikaKey!, $a: ARS!) { municipality(ars: $a) { name } service(leikaKey: $k, ars: $a) { name } }', variables: { k: PASS, a: ERFURT } },
  { upstream: 'pvog', route: '/v2/organisationunits/titles', fieldPath: 'routes',
    query: 'query($k: LeikaKey!, $a: ARS!) { municipality(ars: $a) { name } routes(leikaKey: $k, ars: $a) { leikaKey } }', variables: { k: PASS, a: ERFURT } },
  { upstream: 'geomis', route: '*', fieldPath: 'geoRecords',
    query: '{ municipality(ars: "160530000000") { name } geoRecords(first: 3) { totalCount } }' },
  // One service: the list field asks all configured services at once, and a dozen failures open the breaker.
  { upstream: 'geoproxy', route: '*', fieldPath: 'geoWebService',
    query: '{ municipality(ars: "160530000000") { name } geoWebService(name: "DOP") { name } }' },
];

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ ADMIN_TOKEN, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
});
afterAll(async () => {
  await gw?.stop();
});

describe('fault matrix over every upstream route in the schema', () => {
  it.each(CASES.map((c) => [`${c.upstream} ${c.route} → ${String(c.fieldPath)}`, c] as const))('%s', async (_name, c) => {
    await runFaultMatrix(faultTarget(gw, { requestTimeoutMs: REQUEST_TIMEOUT_MS, adminToken: ADMIN_TOKEN }), [c]);
  }, 120_000);
});

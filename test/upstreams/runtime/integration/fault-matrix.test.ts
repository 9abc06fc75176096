import { afterAll, beforeAll, describe, it } from 'vitest';
import { faultTarget, runFaultMatrix } from '../../../helpers/fault-matrix';
import { startTestGateway, type TestGateway } from '../../../helpers/gateway';

// Self-test of the harness against one real upstream-backed field (PVOG routes for Erfurt).
const ADMIN_TOKEN = 'fault-matrix-admin-token-0123456789';
const REQUEST_TIMEOUT_MS = 2_000;
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ ADMIN_TOKEN, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
});
afterAll(async () => {
  await gw?.stop();
});

describe('fault matrix harness', () => {
  it('every fault kind on PVOG ends in a bounded partial answer naming the upstream', async () => {
    await runFaultMatrix(faultTarget(gw, { requestTimeoutMs: REQUEST_TIMEOUT_MS, adminToken: ADMIN_TOKEN }), [
      {
        upstream: 'pvog',
        route: '*',
        query: 'query R($k: LeikaKey!, $a: ARS!) { municipality(ars: $a) { name } routes(leikaKey: $k, ars: $a) { leikaKey } }',
        variables: { k: '99008001012000', a: '160510000000' },
        fieldPath: 'routes',
      },
    ]);
  }, 60_000);
});

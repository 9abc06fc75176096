import { afterAll, beforeAll, describe, it } from 'vitest';
import { faultTarget, runFaultMatrix } from '../../helpers/fault-matrix';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

const ADMIN_TOKEN = 'thavel-fault-matrix-admin-token-0123456789';
const REQUEST_TIMEOUT_MS = 2_000;
let gw: TestGateway;
beforeAll(async () => void (gw = await startTestGateway({ ADMIN_TOKEN, REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) })), 60_000);
afterAll(async () => gw?.stop());

describe('fault matrix over the online-service routes', () => {
  it('ThAVEL catalogue faults: onlineServices is null with an error naming thavel; PVOG faults: digitalOffer likewise', async () => {
    await runFaultMatrix(faultTarget(gw, { requestTimeoutMs: REQUEST_TIMEOUT_MS, adminToken: ADMIN_TOKEN }), [
      {
        upstream: 'thavel',
        route: '/catalogue/*',
        query: 'query O($a: ARS!) { municipality(ars: $a) { name } onlineServices(ars: $a) { totalCount } }',
        variables: { a: '160510000000' },
        fieldPath: 'onlineServices',
      },
      {
        upstream: 'pvog',
        route: '/v1beta2/onlineservices',
        query: 'query D($a: ARS!) { municipality(ars: $a) { name digitalOffer { servicesOnline } } }',
        variables: { a: '160510000000' },
        fieldPath: 'municipality.digitalOffer',
      },
    ]);
  }, 120_000);
});

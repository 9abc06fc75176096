import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { ROUTE_CASES, expectPartial, freshArs } from './fault-matrix';

let gw: TestGateway;
let next: () => string;
beforeAll(async () => {
  gw = await startTestGateway({ REQUEST_TIMEOUT_MS: '1500' });
  next = freshArs(gw, 200);
}, 60_000);
afterAll(async () => gw?.stop());

describe.each(ROUTE_CASES)('PVOG $route', (c) => {
  it('malformed body → field null, UPSTREAM_BAD_RESPONSE naming pvog, rest intact', () => expectPartial(gw, next(), c, 'malformed', ['UPSTREAM_BAD_RESPONSE']), 20_000);
  it('latency beyond the request deadline → field null, UPSTREAM_TIMEOUT naming pvog, rest intact', () =>
    expectPartial(gw, next(), c, 'latency:3000', ['UPSTREAM_TIMEOUT']), 20_000);
});

import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { ROUTE_CASES, expectPartial, freshArs } from './fault-matrix';

let gw: TestGateway;
let next: () => string;
beforeAll(async () => {
  gw = await startTestGateway({ REQUEST_TIMEOUT_MS: '10000' });
  next = freshArs(gw, 100);
}, 60_000);
afterAll(async () => gw?.stop());

describe.each(ROUTE_CASES)('PVOG $route', (c) => {
  it('HTTP 503 → field null, UPSTREAM_UNAVAILABLE naming pvog, rest intact', () => expectPartial(gw, next(), c, 'status:503', ['UPSTREAM_UNAVAILABLE']), 20_000);
  it('connection reset → field null, UPSTREAM_UNAVAILABLE naming pvog, rest intact', () => expectPartial(gw, next(), c, 'reset', ['UPSTREAM_UNAVAILABLE']), 20_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/services/clients';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

// One admin credential model (README "Access control"): an API key of role admin, or the ADMIN_TOKEN bearer token
// when configured; both are accepted for purgeCache and both are named when neither is sent.
const ADMIN_TOKEN = 'admin-credentials-test-token-0123456789';
const PURGE = 'mutation { purgeCache(upstream: "pvog") { purged responses } }';

let withToken: TestGateway;
let withoutToken: TestGateway;
beforeAll(async () => {
  withToken = await startTestGateway({ ADMIN_TOKEN });
  withoutToken = await startTestGateway();
}, 120_000);
afterAll(async () => {
  await withToken?.stop();
  await withoutToken?.stop();
});

describe('admin credentials', () => {
  it('an API key of role admin runs purgeCache, with or without ADMIN_TOKEN configured', async () => {
    for (const gw of [withToken, withoutToken]) {
      const admin = await addClient(gw.db, { name: 'Betrieb', role: 'admin' });
      const r = await gw.raw(PURGE, undefined, { 'x-api-key': admin.key });
      expect(r.errors).toBeUndefined();
      expect(r.data.purgeCache).toMatchObject({ purged: expect.any(Number), responses: expect.any(Number) });
      const viaHeader = await gw.raw(PURGE, undefined, { authorization: `ApiKey ${admin.key}` });
      expect(viaHeader.errors).toBeUndefined();
    }
  });

  it('ADMIN_TOKEN as a bearer token runs purgeCache where it is configured', async () => {
    const r = await withToken.raw(PURGE, undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(r.errors).toBeUndefined();
  });

  it('other callers get FORBIDDEN naming both accepted credentials', async () => {
    const integrator = await addClient(withToken.db, { name: 'KIV', role: 'integrator' });
    const variants: Record<string, string>[] = [{}, { 'x-api-key': integrator.key }, { authorization: 'Bearer wrong-token-wrong-token-wrong-token' }];
    for (const headers of variants) {
      const r = await withToken.raw(PURGE, undefined, headers);
      expect(r.data).toBeNull();
      expect(r.errors?.[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        accepted: ['x-api-key: <API key of role admin>', 'Authorization: Bearer <ADMIN_TOKEN>'],
      });
      expect(r.errors?.[0].message).toMatch(/API key of role admin.*"Authorization: Bearer <ADMIN_TOKEN>"/);
    }
  });

  it('without ADMIN_TOKEN the refusal names the admin API key and says the token is not configured', async () => {
    const r = await withoutToken.raw(PURGE, undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', accepted: ['x-api-key: <API key of role admin>'] });
    expect(r.errors?.[0].message).toContain('ADMIN_TOKEN is not configured on this gateway');
  });
});

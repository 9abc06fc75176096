import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type SandboxWorld } from '../../../src/sandbox';
import { addClient } from '../../../src/services/clients';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

/**
 * A gateway configured like production for DVDV: operator base URLs from DVDV_BASE_URLS (the first one
 * dead, so failover has to work), entry path from DVDV_ENTRY_PATH.
 */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let operator: SandboxWorld;
let gw: TestGateway;
let key: string;
beforeAll(async () => {
  operator = await startSandboxes({ only: ['dvdv'] });
  gw = await startTestGateway({
    DVDV_BASE_URLS: `http://127.0.0.1:${await deadPort()},${operator.urls.dvdv}`,
    DVDV_ENTRY_PATH: 'intern/directory',
  });
  key = (await addClient(gw.db, { name: 'kiv', role: 'integrator' })).key;
});
afterAll(async () => {
  await gw?.stop();
  await operator?.close();
});

describe('configured DVDV operator', () => {
  it('queries the configured entry path on the second operator URL when the first is down', async () => {
    const r = await gw.raw('{ directoryOrganization(key: "ags:16051000") { nameDe: name } }', {}, { 'x-api-key': key });
    expect(r.errors).toBeUndefined();
    expect(r.data.directoryOrganization.nameDe).toBeTruthy();
    const paths = operator.servers.dvdv.requests().map((q) => q.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.startsWith('/intern/directory/'))).toBe(true);
    // The gateway's own embedded DVDV sandbox is not running: DVDV is configured, not simulated.
    expect(gw.sandboxes?.servers.dvdv).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type SandboxWorld } from '../../src/sandbox';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { scrapeSum } from '../helpers/metrics';

/**
 * A client that hangs up does not keep upstream calls running on its behalf (server/context.ts). The request's
 * abort signal is made only when something reads it (issue 15), so this checks that the hang-up still reaches an
 * upstream call that started before it: PVOG answers after 3 s, the client leaves after 0.3 s, and the PVOG
 * request ends as UPSTREAM_ABORTED long before PVOG would have answered.
 */
let sandboxes: SandboxWorld;
let gw: TestGateway;
beforeAll(async () => {
  sandboxes = await startSandboxes();
  gw = await startTestGateway({
    PVOG_BASE_URL: sandboxes.urls.pvog,
    THAVEL_BASE_URL: sandboxes.urls.thavel,
    GEOMIS_BASE_URL: sandboxes.urls.geomis,
    GEOPROXY_BASE_URL: sandboxes.urls.geoproxy,
    DVDV_BASE_URLS: sandboxes.urls.dvdv,
  });
});
afterAll(async () => {
  await gw?.stop();
  await sandboxes?.close();
});

const aborted = () => scrapeSum(gw.url, 'thuegate_upstream_requests_total', { upstream: 'pvog', outcome: 'UPSTREAM_ABORTED' });

describe('a client that hangs up', () => {
  it('cancels the upstream request made for it', async () => {
    sandboxes.setFaults('pvog:*=latency:3000');
    try {
      const before = await aborted();
      const started = Date.now();
      // A search term no other request used: no cache entry and no load of another request to join.
      const body = JSON.stringify({ query: '{ services(ars: "160510000000", query: "zz-hang-up", first: 2) { totalCount } }' });
      const leave = new AbortController();
      setTimeout(() => leave.abort(), 300);
      await expect(fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: leave.signal })).rejects.toThrow();
      let n = before;
      while (n === before && Date.now() - started < 2500) {
        await new Promise((r) => setTimeout(r, 50));
        n = await aborted();
      }
      expect(n).toBe(before + 1);
      expect(Date.now() - started).toBeLessThan(2500); // PVOG would have answered after 3 s
    } finally {
      sandboxes.setFaults(undefined);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distinctPairs } from '../../bench/scenarios/cold';
import { startSandboxes, type SandboxWorld } from '../../src/sandbox';

/**
 * Bench P2's no-N+1 criterion (issue 15): upstream requests = distinct (endpoint, key) pairs, read from what the
 * sandbox upstream received (/__sandbox/requests) over a real socket.
 */
describe('P2: requests the sandbox received, and distinct (endpoint, key) pairs', { timeout: 120_000 }, () => {
  let sb: SandboxWorld;
  beforeAll(async () => {
    sb = await startSandboxes({ only: ['pvog'] });
  });
  afterAll(() => sb?.close());

  it('a request repeated for the same key counts twice as a request and once as a pair; control routes are not counted', async () => {
    const since = Date.now();
    const base = sb.urls.pvog;
    for (const path of ['/v7/servicedescriptions/160510000000?page=0&size=1', '/v7/servicedescriptions/160510000000?page=0&size=1', '/v7/servicedescriptions/160510000000?page=1&size=1']) {
      await (await fetch(`${base}${path}`)).arrayBuffer();
    }
    const body = (await (await fetch(`${base}/__sandbox/requests`)).json()) as { requests: { method: string; path: string; search: string; at: number }[] };
    const reqs = body.requests.filter((r) => r.at >= since).map((r) => ({ upstream: 'pvog', ...r }));
    expect(reqs).toHaveLength(3);
    expect(reqs.every((r) => r.path === '/v7/servicedescriptions/160510000000')).toBe(true);
    // Same path, two different queries: two pairs; the repeated one is what the criterion catches.
    expect(distinctPairs(reqs)).toBe(2);
    expect(distinctPairs([{ upstream: 'pvog', method: 'GET', path: '/a', search: '' }, { upstream: 'thavel', method: 'GET', path: '/a', search: '' }])).toBe(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startSandboxServer, type SandboxServer } from '../../src/sandbox/http';
import { createUpstreamClient, type UpstreamClient } from '../../src/upstreams/runtime/http';

/**
 * Fair upstream use (issue 13 item 3): each client gets a share of an upstream's concurrency, so one client's
 * fan-out cannot starve the others. Measured where it matters, at the upstream: the sandbox counts the
 * requests of each client that are in flight on its socket.
 */
const WORK_MS = 200;
let server: SandboxServer;
const inFlight = new Map<string, number>();
const peak = new Map<string, number>();
const started: { client: string; at: number }[] = [];
const clients: UpstreamClient[] = [];

beforeAll(async () => {
  server = await startSandboxServer({
    name: 'pvog',
    routes: [
      {
        method: 'GET',
        path: '/api/work/:client',
        handler: async (r) => {
          const c = r.params.client;
          started.push({ client: c, at: Date.now() });
          inFlight.set(c, (inFlight.get(c) ?? 0) + 1);
          peak.set(c, Math.max(peak.get(c) ?? 0, inFlight.get(c)!));
          await new Promise((ok) => setTimeout(ok, WORK_MS));
          inFlight.set(c, inFlight.get(c)! - 1);
          return json({ client: c });
        },
      },
    ],
  });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

function upstream(): UpstreamClient {
  const c = createUpstreamClient({
    name: 'pvog',
    baseUrl: `${server.url}/api`,
    timeouts: { connectMs: 1_000, headersMs: 5_000, bodyMs: 5_000, defaultDeadlineMs: 20_000 },
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
    // Limit 8: a client's guaranteed share is 2, a flooding client holds at most 8 - 2 = 6 slots.
    bulkhead: { limit: 8, queue: 64 },
    production: true,
  });
  clients.push(c);
  return c;
}

const call = (c: UpstreamClient, client: string | undefined, name = client ?? 'anon') => c.request({ path: `/work/${name}`, client });

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function reset() {
  inFlight.clear();
  peak.clear();
  started.length = 0;
}

describe('per-client share of an upstream’s concurrency', () => {
  it('holds a flooding client to its share and admits another client’s request at once', async () => {
    reset();
    const c = upstream();
    const t = Date.now();
    await call(c, 'idle-probe');
    const idle = Date.now() - t;

    const flood = Promise.allSettled(Array.from({ length: 40 }, () => call(c, 'flooder')));
    await until(() => (inFlight.get('flooder') ?? 0) >= 6);
    const sent = Date.now();
    await call(c, 'other');
    const latency = Date.now() - sent;
    const admittedAfter = started.find((s) => s.client === 'other')!.at - sent;
    const outcomes = await flood;

    expect(peak.get('flooder')).toBe(6);
    // 6 running + 32 queued (half the queue): the rest of the flood is refused at once, the queue stays open to others.
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code);
    expect(refused).toEqual(['UPSTREAM_OVERLOADED', 'UPSTREAM_OVERLOADED']);
    // Reached the upstream at once rather than after the flooder's queue (40 requests, 6 at a time, 200 ms each).
    expect(admittedAfter).toBeLessThan(WORK_MS / 2);
    expect(latency).toBeLessThanOrEqual(2 * idle + 50);
  });

  it('splits the slots between two flooding clients while a third still gets its share', async () => {
    reset();
    const c = upstream();
    const a = Array.from({ length: 30 }, () => call(c, 'a'));
    await until(() => (inFlight.get('a') ?? 0) >= 6);
    const sentB = Date.now();
    const b = Array.from({ length: 30 }, () => call(c, 'b'));
    await until(() => (inFlight.get('b') ?? 0) >= 2);
    const bAdmitted = Date.now() - sentB;
    const c3 = Date.now();
    await call(c, 'c');
    const cAdmitted = started.find((s) => s.client === 'c')!.at - c3;
    await Promise.all([...a, ...b]);

    expect(bAdmitted).toBeLessThan(WORK_MS / 2);
    // The third client waited for one freed slot at most, not behind 60 queued requests.
    expect(cAdmitted).toBeLessThan(WORK_MS + 100);
    expect(Math.max(...[...peak.values()])).toBeLessThanOrEqual(6);
    // While both flood, freed slots go to the client with fewer running: the upstream serves them alike.
    const lastA = Math.max(...started.filter((s) => s.client === 'a').map((s) => s.at));
    const overlap = started.filter((s) => s.at >= sentB && s.at <= lastA);
    const perClient = (n: string) => overlap.filter((s) => s.client === n).length;
    expect(perClient('b')).toBeGreaterThanOrEqual(0.6 * perClient('a'));
  });

  it('without client identities (the old single bulkhead) the same flood makes the other request wait', async () => {
    reset();
    const c = upstream();
    const flood = Array.from({ length: 40 }, () => call(c, undefined, 'flooder'));
    await until(() => (inFlight.get('flooder') ?? 0) >= 8);
    const sent = Date.now();
    await call(c, undefined, 'other');
    const waited = started.find((s) => s.client === 'other')!.at - sent;
    await Promise.all(flood);
    // Queued behind the whole flood: this is what the per-client share prevents.
    expect(waited).toBeGreaterThanOrEqual(4 * WORK_MS);
  });
});

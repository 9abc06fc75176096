import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductionGateway } from './production-gateway';

/**
 * CPU-fair admission per client (issue 13 item 3, src/server/protection/execution-share.ts): one client's
 * operations execute at most EXECUTIONS_PER_CLIENT at a time, a few more wait, the rest get 429 at once — while
 * another client's request is admitted at once. Real HTTP against a production-mode gateway whose PVOG is a
 * sandbox server over a socket, slowed so that the order of answers shows who waited for whom.
 */
const UPSTREAM_MS = 400;
/** TEST-NET-1 addresses (RFC 5737) behind one trusted proxy hop: two anonymous clients. */
const FLOODER = '192.0.2.10';
const OTHER = '192.0.2.20';
let n = 0;
/** One PVOG request each; a new search text every time, so neither cache answers it. */
const simple = () => `{ services(ars:"160510000000", query:"exec-share-${process.pid}-${n++}", first:5){ totalCount } }`;

let refusedTotal = 0;
let ctx: Awaited<ReturnType<typeof startProductionGateway>>;

beforeAll(async () => {
  ctx = await startProductionGateway({ TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: '0', EXECUTIONS_PER_CLIENT: '2', EXECUTION_QUEUE_PER_CLIENT: '2' });
});

afterAll(async () => {
  await ctx?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  code?: unknown;
  errors: number;
  at: number;
}

async function ask(from: string, t0: number): Promise<Answer> {
  const res = await fetch(`${ctx.gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ query: simple() }),
  });
  const body = (await res.json()) as { errors?: { extensions?: { code?: unknown } }[] };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.errors?.[0]?.extensions?.code, errors: body.errors?.length ?? 0, at: Date.now() - t0 };
}

describe('per-client execution share (EXECUTIONS_PER_CLIENT, EXECUTION_QUEUE_PER_CLIENT)', () => {
  it('holds a flooding client to its executions while another client’s request is admitted at once', async () => {
    const warm = await ask(OTHER, Date.now()); // the gateway's first request pays for lazy set-up
    expect(warm).toMatchObject({ status: 200, errors: 0 });
    ctx.sandboxes.setFaults(`pvog:*=latency:${UPSTREAM_MS}`);
    try {
      const t0 = Date.now();
      const flood = Array.from({ length: 10 }, () => ask(FLOODER, t0));
      await new Promise((r) => setTimeout(r, 100)); // the flood is in (2 running, 2 waiting, the rest refused)
      const other = await ask(OTHER, t0);
      const a = await Promise.all(flood);

      const served = a.filter((x) => x.status === 200).sort((x, y) => x.at - y.at);
      const refused = a.filter((x) => x.status === 429);
      expect(served.length + refused.length).toBe(10);
      expect(served.every((x) => x.errors === 0)).toBe(true);
      // Held to its share: at least its 2 running + 2 waiting are served, the excess is refused with a typed error.
      expect(served.length).toBeGreaterThanOrEqual(4);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const r of refused) {
        expect(r.code).toBe('TOO_MANY_CONCURRENT_REQUESTS');
        expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      }
      // Never more than 2 of its operations at once: each answer comes at least one upstream latency after the
      // one two places before it (without the cap all ten finish together).
      for (let i = 2; i < served.length; i++) expect(served[i].at - served[i - 2].at).toBeGreaterThanOrEqual(UPSTREAM_MS / 2);
      // Admitted at once: sent after the flooder's queue had filled, answered before any of the flooder's waiting ones
      // (order, not milliseconds: the machine running the tests may be loaded).
      expect(other).toMatchObject({ status: 200, errors: 0 });
      expect(other.at).toBeLessThan(served[2].at);
      refusedTotal = refused.length;
    } finally {
      ctx.sandboxes.setFaults(undefined);
    }
  });

  it('counts the refusals in /metrics by policy', async () => {
    const text = await (await fetch(`${ctx.gw.url}/metrics`)).text();
    expect(refusedTotal).toBeGreaterThan(0);
    expect(text).toMatch(new RegExp(`^thuegate_execution_share_refused_total\\{policy="anonymous"[^}]*\\} ${refusedTotal}$`, 'm'));
  });
});

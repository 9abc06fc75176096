import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProductionGateway } from './production-gateway';

/**
 * Pacing of repeated refusals (issue 13 item 3, src/server/protection/refusal-pacing.ts): a client that resends at
 * once after a 429 gets its next 429 only after REFUSAL_DELAY_MS, so ignoring Retry-After cannot turn refusals into
 * a busy loop; its first refusal and every other client's requests are answered at once. Real HTTP against a
 * production-mode gateway.
 */
const DELAY_MS = 700;
/** TEST-NET-1 addresses (RFC 5737) behind one trusted proxy hop: two anonymous clients. */
const FLOODER = '192.0.2.30';
const OTHER = '192.0.2.40';

let ctx: Awaited<ReturnType<typeof startProductionGateway>>;

beforeAll(async () => {
  ctx = await startProductionGateway({ TRUST_PROXY: '1', RATE_LIMIT_PER_MINUTE: '2', REFUSAL_DELAY_MS: String(DELAY_MS) });
});

afterAll(async () => {
  await ctx?.stop();
});

async function ask(from: string): Promise<{ status: number; ms: number; code?: unknown; retryAfter: string | null }> {
  const t0 = performance.now();
  const res = await fetch(`${ctx.gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const body = (await res.json()) as { errors?: { extensions?: { code?: unknown } }[] };
  return { status: res.status, ms: performance.now() - t0, code: body.errors?.[0]?.extensions?.code, retryAfter: res.headers.get('retry-after') };
}

describe('pacing of repeated refusals (REFUSAL_DELAY_MS)', () => {
  it('answers a client’s first 429 at once and holds the ones it sends right after, while another client is served at once', async () => {
    // The quota of 2 per minute, then the first refusal: all answered without delay.
    for (let i = 0; i < 2; i++) expect((await ask(FLOODER)).status).toBe(200);
    const first = await ask(FLOODER);
    expect(first).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(first.ms).toBeLessThan(DELAY_MS / 2);

    // Resent at once, five at a time: each refusal is held for the delay (never longer than Retry-After says).
    const again = ask(FLOODER);
    const burst = Array.from({ length: 5 }, () => ask(FLOODER));
    await new Promise((r) => setTimeout(r, 50));
    const other = await ask(OTHER);
    expect(other.status).toBe(200);
    expect(other.ms).toBeLessThan(DELAY_MS / 2);

    const held = await Promise.all([again, ...burst]);
    for (const h of held) {
      expect(h).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(h.ms).toBeGreaterThanOrEqual(DELAY_MS - 50);
      expect(h.ms).toBeLessThan(DELAY_MS + 1_000);
      expect(Number(h.retryAfter) * 1000).toBeGreaterThanOrEqual(DELAY_MS);
    }
  });

  it('answers at once again once the client has kept away for the delay', async () => {
    await new Promise((r) => setTimeout(r, DELAY_MS + 100));
    const after = await ask(FLOODER);
    expect(after.status).toBe(429);
    expect(after.ms).toBeLessThan(DELAY_MS / 2);
  });

  it('counts the held refusals in /metrics', async () => {
    const text = await (await fetch(`${ctx.gw.url}/metrics`)).text();
    expect(text).toMatch(/^thuegate_refusals_paced_total\{service="thuegate"\} 6$/m);
  });
});

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/services/clients';
import { WindowCounter } from '../../src/server/protection/counters';
import { dropPrefix, REDIS_URL, redisKeys } from '../cache/helpers';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

// Cacheable (reference data): after the first answer the rest are response-cache hits on the raw-HTTP fast path.
const QUERY = '{ municipality(ars: "160510000000") { name } }';
const prefix = `thuegate-test:rl:${process.pid}:${randomUUID().slice(0, 8)}`;
let admin: Redis;
const gateways: TestGateway[] = [];

async function gateway(env: Record<string, string>): Promise<TestGateway> {
  const gw = await startTestGateway(env);
  gateways.push(gw);
  return gw;
}

async function ask(gw: TestGateway, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] } };
}

/** Parses `"name";r=1;t=2` (RFC 9651 list member with parameters). */
function fields(value: string | null): { name: string; params: Record<string, number> } {
  expect(value).toMatch(/^"[a-z]+"(;[a-z]+=\d+)+$/);
  const [name, ...params] = value!.split(';');
  return { name: JSON.parse(name) as string, params: Object.fromEntries(params.map((p) => p.split('=')).map(([k, v]) => [k, Number(v)])) };
}

beforeAll(async () => {
  admin = new Redis(REDIS_URL);
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop().catch(() => undefined)));
  await dropPrefix(admin, prefix);
  admin.disconnect();
});

describe('per-client rate limits (RATE_LIMIT_PER_MINUTE)', () => {
  it('answers the 31st request within a minute with 429, Retry-After, RateLimit fields and a GraphQL error', async () => {
    const gw = await gateway({ RATE_LIMIT_PER_MINUTE: '30', REDIS_URL, REDIS_KEY_PREFIX: `${prefix}:a` });
    const seen: { status: number; cache: string | null; r: number }[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await ask(gw);
      expect(fields(res.headers.get('ratelimit-policy'))).toEqual({ name: 'anonymous', params: { q: 30, w: 60 } });
      const rl = fields(res.headers.get('ratelimit'));
      expect(rl.name).toBe('anonymous');
      expect(rl.params.t).toBeGreaterThanOrEqual(0);
      expect(rl.params.t).toBeLessThanOrEqual(60);
      seen.push({ status: res.status, cache: res.headers.get('x-cache'), r: rl.params.r });
    }
    expect(seen.every((s) => s.status === 200)).toBe(true);
    expect(seen.map((s) => s.r)).toEqual(Array.from({ length: 30 }, (_, i) => 29 - i));
    // Response-cache hits are counted like executed requests.
    expect(seen.filter((s) => s.cache === 'HIT').length).toBeGreaterThanOrEqual(28);

    const limited = await ask(gw);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(fields(limited.headers.get('ratelimit'))).toEqual({ name: 'anonymous', params: { r: 0, t: retryAfter } });
    expect(fields(limited.headers.get('ratelimit-policy')).params).toEqual({ q: 30, w: 60 });
    expect(limited.headers.get('content-type')).toMatch(/^application\/json/);
    expect(limited.body.data).toBeUndefined();
    expect(limited.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', policy: 'anonymous', limit: 30, retryAfterSeconds: retryAfter });
    expect(limited.body.errors?.[0].message).toMatch(/30 requests per 60 s/);

    // Only GraphQL is limited: health checks and metrics keep answering.
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    // The counter key is a salted hash: no raw address is stored in Redis.
    const keys = await redisKeys(admin, `${prefix}:a`);
    expect(keys.some((k) => k.includes(':rl:anonymous:ip:'))).toBe(true);
    expect(keys.join('\n')).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
  });

  it('shares the count between two replicas on the same Redis', async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '30', REDIS_URL, REDIS_KEY_PREFIX: `${prefix}:shared` };
    const [a, b] = [await gateway(env), await gateway(env)];
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await ask(i % 2 ? a : b)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await ask(a)).status).toBe(429);
    expect((await ask(b)).status).toBe(429);
  });

  it('keeps limiting with an in-process count when Redis is down', async () => {
    // Nothing listens on port 1: every Redis command fails at once and the insurance limiter answers.
    const gw = await gateway({ RATE_LIMIT_PER_MINUTE: '30', REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: `${prefix}:down` });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await ask(gw)).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('counts API keys by key with their role quota, apart from anonymous callers', async () => {
    const gw = await gateway({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE_PUBLIC: '5', RATE_LIMIT_PER_MINUTE_INTEGRATOR: '8', REDIS_URL, REDIS_KEY_PREFIX: `${prefix}:keys` });
    const pub = await addClient(gw.db, { name: 'portal', role: 'public' });
    const other = await addClient(gw.db, { name: 'other portal', role: 'public' });
    const integrator = await addClient(gw.db, { name: 'KIV', role: 'integrator' });
    const run = async (n: number, headers: Record<string, string> = {}) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await ask(gw, headers)).status);
      return out;
    };
    expect(await run(6, { 'x-api-key': pub.key })).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await run(6, { authorization: `ApiKey ${other.key}` })).toEqual([200, 200, 200, 200, 200, 429]);
    const res = await ask(gw, { 'x-api-key': integrator.key });
    expect(fields(res.headers.get('ratelimit-policy'))).toEqual({ name: 'integrator', params: { q: 8, w: 60 } });
    expect(await run(4)).toEqual([200, 200, 200, 429]);
    // Guessing keys is counted by address: the anonymous quota is spent, so an unknown key gets 429, not 401.
    expect((await ask(gw, { 'x-api-key': 'tg_not-a-real-key' })).status).toBe(429);
  });

  it('tells clients behind a trusted proxy apart by X-Forwarded-For, and ignores the header without one', async () => {
    const behind = await gateway({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1', REDIS_URL, REDIS_KEY_PREFIX: `${prefix}:proxy` });
    const direct = await gateway({ RATE_LIMIT_PER_MINUTE: '2', REDIS_URL, REDIS_KEY_PREFIX: `${prefix}:direct` });
    const xff = (ip: string) => ({ 'x-forwarded-for': `198.51.100.9, ${ip}` });
    const statuses = async (gw: TestGateway, h: Record<string, string>, n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await ask(gw, h)).status);
      return out;
    };
    // Trusted proxy: the rightmost untrusted entry is the client; the spoofable left part is irrelevant.
    expect(await statuses(behind, xff('203.0.113.1'), 3)).toEqual([200, 200, 429]);
    expect(await statuses(behind, xff('203.0.113.2'), 2)).toEqual([200, 200]);
    expect(await statuses(behind, { 'x-forwarded-for': '203.0.113.77, 203.0.113.1' }, 1)).toEqual([429]);
    // No trusted proxy: a client cannot buy a fresh quota by inventing addresses.
    expect(await statuses(direct, xff('203.0.113.1'), 2)).toEqual([200, 200]);
    expect(await statuses(direct, xff('203.0.113.2'), 1)).toEqual([429]);
  });
});

describe('local pre-consumption', () => {
  it('admits at most the quota plus each replica’s local share, and all of it reaches Redis', async () => {
    const redis = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    await Promise.all(redis.map((r) => (r.status === 'ready' ? undefined : new Promise((ok) => r.once('ready', ok)))));
    const keyPrefix = `${prefix}:counter`;
    const counters = redis.map((r) => new WindowCounter({ points: 1000, windowSeconds: 60, redis: r, keyPrefix }));
    let admitted = 0;
    for (let i = 0; i < 1200; i++) {
      const d = await counters[i % 2].consume('client');
      if (d.allowed) admitted++;
    }
    await Promise.all(counters.map((c) => c.close()));
    const local = Math.floor(1000 * 0.02);
    expect(admitted).toBeGreaterThanOrEqual(1000);
    expect(admitted).toBeLessThanOrEqual(1000 + 2 * local);
    expect(Number(await admin.get(`${keyPrefix}:client`))).toBeGreaterThanOrEqual(admitted);
    redis.forEach((r) => r.disconnect());
  });
});

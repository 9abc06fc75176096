import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, REDIS_URL } from '../../cache/helpers';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { scrapeSum } from '../../helpers/metrics';

/**
 * The response cache shared through Redis (issue 15 item 3): two replicas in one process on the real Redis, each
 * with its own in-process tier. What one replica executed, the other answers as a hit at once; an admin purge on
 * one clears both; a Redis that goes away leaves each replica with its own tier and the client with no error.
 */
const ADMIN_TOKEN = 'test-admin-token-shared-0123456789';
const prefix = `thuegate-test:rc:${process.pid}:${randomUUID().slice(0, 8)}`;
let a: TestGateway;
let b: TestGateway;
let admin: Redis;

beforeAll(async () => {
  admin = new Redis(REDIS_URL);
  const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, ADMIN_TOKEN };
  [a, b] = [await startTestGateway(env), await startTestGateway(env)];
});

afterAll(async () => {
  await Promise.all([a, b].map((g) => g?.stop().catch(() => undefined)));
  await dropPrefix(admin, prefix);
  admin.disconnect();
});

const executed = (gw: TestGateway) => scrapeSum(gw.url, 'thuegate_graphql_executions_total');

async function ask(gw: TestGateway, query: string) {
  const res = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: res.status, xCache: res.headers.get('x-cache'), text: await res.text() };
}

async function eventually<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 1_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('response cache shared by replicas through Redis', () => {
  it("replica B's first request for a query replica A executed is a hit, byte for byte, without executing", async () => {
    const q = '{ municipality(ars: "160550000000") { ars name population } }';
    const first = await ask(a, q);
    expect(first).toMatchObject({ status: 200, xCache: 'MISS' });
    expect(JSON.parse(first.text).data.municipality.ars).toBe('160550000000');
    const before = await executed(a); // one registry per process: counts both replicas' executions
    const onB = await ask(b, q);
    expect(onB).toMatchObject({ status: 200, xCache: 'HIT', text: first.text });
    expect(await executed(a)).toBe(before);
    // Now held in B's own tier too: answered even when the key is gone from Redis.
    await dropPrefix(admin, `${prefix}:rc:`);
    expect((await ask(b, q)).xCache).toBe('HIT');
  });

  it('an admin purge on A clears B (and Redis) within a second', async () => {
    const q = '{ municipality(ars: "160530000000") { ars name } }';
    await ask(a, q);
    expect((await ask(b, q)).xCache).toBe('HIT');
    expect((await ask(a, q)).xCache).toBe('HIT');
    const purge = await fetch(`${a.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query: 'mutation { purgeCache(upstream: "pvog") { responses } }' }),
    });
    expect(purge.status).toBe(200);
    const t0 = Date.now();
    const onB = await eventually(() => ask(b, q), (r) => r.xCache === 'MISS');
    expect(onB.xCache).toBe('MISS');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(JSON.parse(onB.text).data.municipality.ars).toBe('160530000000');
  });
});

describe('response cache when Redis goes away', () => {
  let proxy: Server;
  const sockets = new Set<Socket>();
  let c: TestGateway;

  beforeAll(async () => {
    // A TCP relay to the real Redis that the test can cut, as a network failure would.
    proxy = createServer((client) => {
      const upstream = connect(6379, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as AddressInfo).port;
    c = await startTestGateway({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: `${prefix}:down`, ADMIN_TOKEN });
  });
  afterAll(async () => {
    await c?.stop().catch(() => undefined);
    for (const s of sockets) s.destroy();
    await new Promise((r) => proxy?.close(r));
  });

  it('serves from its own tier, without an error, while Redis is unreachable', async () => {
    const q = '{ municipality(ars: "160510000000") { ars name } }';
    expect((await ask(c, q)).xCache).toBe('MISS');
    proxy.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 100));

    const held = await ask(c, q);
    expect(held).toMatchObject({ status: 200, xCache: 'HIT' });
    const other = '{ municipality(ars: "160520000000") { ars name } }';
    const miss = await ask(c, other);
    expect(miss).toMatchObject({ status: 200, xCache: 'MISS' });
    expect(JSON.parse(miss.text).errors).toBeUndefined();
    expect(await ask(c, other)).toMatchObject({ status: 200, xCache: 'HIT', text: miss.text });
  });
});

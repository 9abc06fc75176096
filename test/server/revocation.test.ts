import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClientsCommand } from '../../src/cli/clients';
import { openDatabase } from '../../src/persistence/orm';
import { publishRevocation } from '../../src/server/protection/revocation';
import { addClient, revokeClient } from '../../src/services/clients';
import { dropPrefix, REDIS_URL } from '../cache/helpers';
import { createThrowawayDatabase, type ThrowawayPostgres } from '../persistence/helpers';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

/**
 * Immediate revocation (issue 13 item 7): two replicas on one PostgreSQL and one Redis. Each keeps API-key
 * lookups for 30 s; a revocation notice on Redis makes both forget them at once.
 */
const prefix = `thuegate-test:rev:${process.pid}:${randomUUID().slice(0, 8)}`;
let pg: ThrowawayPostgres;
let replicas: TestGateway[];
let admin: Redis;

beforeAll(async () => {
  pg = await createThrowawayDatabase();
  admin = new Redis(REDIS_URL);
  const env = { DATABASE_URL: pg.url, REDIS_URL, REDIS_KEY_PREFIX: prefix };
  replicas = [await startTestGateway(env), await startTestGateway(env)];
});

afterAll(async () => {
  await Promise.all((replicas ?? []).map((g) => g.stop().catch(() => undefined)));
  await dropPrefix(admin, prefix);
  admin.disconnect();
  await pg?.drop();
});

const statusWith = (gw: TestGateway, key: string) => gw.raw('{ municipality(ars: "160510000000") { name } }', undefined, { 'x-api-key': key }).then((r) => r.status);

/** Time until every replica answers 401 for `key`, polling every 20 ms, or undefined after `limitMs`. */
async function timeUntilRefused(key: string, since: number, limitMs: number): Promise<number | undefined> {
  while (Date.now() - since < limitMs) {
    const statuses = await Promise.all(replicas.map((gw) => statusWith(gw, key)));
    if (statuses.every((s) => s === 401)) return Date.now() - since;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const program = new Command().exitOverride();
  registerClientsCommand(
    program,
    () => openDatabase({ databaseUrl: pg.url, poolMax: 1 }),
    { out: (s) => out.push(s), err: () => undefined, fail: () => undefined },
    async (id) => `notified ${await publishRevocation(REDIS_URL, prefix, id)} running gateway(s)`,
  );
  await program.parseAsync(['node', 'thuegate', 'clients', ...args]);
  return out.join('');
}

describe('revoking an API key', () => {
  it('takes effect on every replica within 1 s (thuegate clients revoke → Redis notice)', async () => {
    const c = await addClient(replicas[0].db, { name: 'Fachverfahren', role: 'integrator' });
    // Both replicas have looked the key up and cached it as valid.
    expect(await Promise.all(replicas.map((gw) => statusWith(gw, c.key)))).toEqual([200, 200]);
    const t0 = Date.now();
    const out = await cli('revoke', c.id);
    expect(out).toMatch(/revoked .* at /);
    expect(out).toMatch(/notified 2 running gateway\(s\)/);
    const took = await timeUntilRefused(c.key, t0, 1_000);
    expect(took, 'both replicas refuse the key within 1 s').toBeDefined();
    const res = await replicas[1].raw('{ municipality(ars: "160510000000") { name } }', undefined, { 'x-api-key': c.key });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'revoked-key' });
  });

  it('without the notice the replicas keep the cached lookup (what the notice fixes)', async () => {
    const c = await addClient(replicas[0].db, { name: 'Portal', role: 'public' });
    expect(await Promise.all(replicas.map((gw) => statusWith(gw, c.key)))).toEqual([200, 200]);
    await revokeClient(replicas[0].db, c.id);
    expect(await timeUntilRefused(c.key, Date.now(), 1_000)).toBeUndefined();
    await publishRevocation(REDIS_URL, prefix, c.id);
    expect(await timeUntilRefused(c.key, Date.now(), 1_000)).toBeDefined();
  });
});

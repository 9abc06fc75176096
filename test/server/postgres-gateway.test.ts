import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayDatabase, type ThrowawayPostgres } from '../persistence/helpers';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

type Ready = { status: string; checks: { name: string; ok: boolean; kind?: string; error?: string }[] };

describe('gateway on the real PostgreSQL (DATABASE_URL)', () => {
  let pg: ThrowawayPostgres;
  let gw: TestGateway;
  beforeAll(async () => {
    pg = await createThrowawayDatabase();
    gw = await startTestGateway({ DATABASE_URL: pg.url });
  });
  afterAll(async () => {
    await gw?.stop().catch(() => undefined);
    await pg?.drop();
  });

  it('migrates on start and reports PostgreSQL as ready', async () => {
    const tables = await pg.admin.orm.em.getConnection().execute<{ n: string }[]>(
      `select count(*)::text as n from pg_database where datname = ?`, [pg.name]);
    expect(tables[0].n).toBe('1');
    const res = await fetch(`${gw.url}/readyz`);
    const body = (await res.json()) as Ready;
    expect(res.status).toBe(200);
    expect(body.checks.find((c) => c.name === 'database')).toMatchObject({ ok: true, kind: 'postgresql' });
    const applied = await gw.db.orm.em.fork().getConnection().execute<{ name: string }[]>('select name from mikro_orm_migrations');
    expect(applied.map((r) => r.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^Migration\d+_init$/)]));
  });

  it('turns unready (503) when the database goes away, while /healthz and GraphQL keep answering', async () => {
    await pg.admin.orm.em.getConnection().execute(`drop database "${pg.name}" with (force)`);
    const res = await fetch(`${gw.url}/readyz`);
    const body = (await res.json()) as Ready;
    expect(res.status).toBe(503);
    expect(body.status).toBe('unready');
    expect(body.checks.find((c) => c.name === 'database')?.ok).toBe(false);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const r = await gw.raw('{ municipality(ags: "16051000") { name } }');
    expect(r.data).toEqual({ municipality: { name: 'Erfurt, Stadt' } });
  });
});

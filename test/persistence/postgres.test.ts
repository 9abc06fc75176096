import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsList } from '../../migrations';
import { openDatabase, type Database } from '../../src/persistence/orm';
import { createThrowawayDatabase, type ThrowawayPostgres } from './helpers';
import {
  expectClientStored,
  expectConstraints,
  expectDocumentAndRun,
  migrateAndCheckSchema,
  storeClient,
  storeDocumentAndRun,
} from './roundtrip';

describe('persistence on the real PostgreSQL', () => {
  let pg: ThrowawayPostgres;
  const open: Database[] = [];
  const openDb = async () => {
    const db = await openDatabase({ databaseUrl: pg.url });
    open.push(db);
    return db;
  };

  beforeAll(async () => {
    pg = await createThrowawayDatabase();
  });
  afterAll(async () => {
    for (const db of open) await db.close();
    await pg?.drop();
  });

  it('migrates, stores and keeps data across close and reopen, then releases its connections', async () => {
    const db = await openDb();
    expect(db.kind).toBe('postgresql');
    expect(db.target).toBe(`postgresql://postgres@127.0.0.1:5432/${pg.name}`);
    await db.ping();

    await migrateAndCheckSchema(db);
    const client = await storeClient(db, 'Sandbox-Portal Landkreis Gotha');
    await expectClientStored(db, client);
    await expectConstraints(db, client);
    const ids = await storeDocumentAndRun(db);

    await db.close();
    await db.close(); // idempotent
    expect(await pg.connections()).toBe(0);

    const again = await openDb();
    expect(await again.pendingMigrations()).toEqual([]);
    await expectClientStored(again, client);
    await expectDocumentAndRun(again, ids);
  });

  it('lets two replicas migrate the same database at once without applying anything twice', async () => {
    const fresh = await createThrowawayDatabase();
    const a = await openDatabase({ databaseUrl: fresh.url });
    const b = await openDatabase({ databaseUrl: fresh.url });
    try {
      const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
      const all = migrationsList.map((m) => m.name);
      // One of them did the work, the other found nothing left.
      expect([ra, rb].sort((x, y) => y.length - x.length)).toEqual([all, []]);
      const rows = await a.orm.em.getConnection().execute<{ name: string }[]>('select name from mikro_orm_migrations order by id');
      expect(rows.map((r) => r.name)).toEqual(all);
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });

  it('applies pending migrations before returning when autoMigrate is set', async () => {
    const fresh = await createThrowawayDatabase();
    const db = await openDatabase({ databaseUrl: fresh.url, autoMigrate: true });
    try {
      expect(await db.pendingMigrations()).toEqual([]);
      await expectClientStored(db, await storeClient(db, 'Sandbox-Integrator'));
    } finally {
      await db.close();
      await fresh.drop();
    }
  });
});

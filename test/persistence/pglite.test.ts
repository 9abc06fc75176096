import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsList } from '../../migrations';
import { migrationNames } from '../../migrations/names';
import { MIGRATIONS_TABLE } from '../../src/persistence/config';
import { ApiClient } from '../../src/persistence/entities';
import { openDatabase } from '../../src/persistence/orm';
import {
  expectClientStored,
  expectConstraints,
  expectDocumentAndRun,
  migrateAndCheckSchema,
  storeClient,
  storeDocumentAndRun,
} from './roundtrip';

describe('persistence on embedded PGlite', { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('runs the same migrations and round trip in memory', async () => {
    // Without the template: the migrations themselves run here, from an empty cluster.
    const db = await openDatabase({ pgliteTemplateDir: false });
    try {
      expect(db.kind).toBe('pglite');
      expect(db.target).toBe('pglite:memory://');
      await db.ping();
      await migrateAndCheckSchema(db);
      const client = await storeClient(db, 'Sandbox-Portal Erfurt');
      await expectClientStored(db, client);
      await expectConstraints(db, client);
      await expectDocumentAndRun(db, await storeDocumentAndRun(db));
    } finally {
      await db.close();
    }
  });

  it('starts empty each time in memory', async () => {
    const first = await openDatabase({ pgliteTemplateDir: false });
    await first.migrate();
    await storeClient(first, 'Sandbox-Portal Jena');
    await first.close();

    const second = await openDatabase({ pgliteDataDir: 'memory://', pgliteTemplateDir: false });
    try {
      expect((await second.pendingMigrations()).length).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });

  it('opens in-memory databases from a migrated template: made by the first open, empty and migrated in every later one', async () => {
    const templateDir = mkdtempSync(join(tmpdir(), 'thuegate-template-'));
    dirs.push(templateDir);
    const all = migrationsList.map((m) => m.name);

    const first = await openDatabase({ pgliteTemplateDir: templateDir });
    try {
      expect(readdirSync(templateDir).filter((f) => f.endsWith('.tar'))).toHaveLength(1);
      expect(await first.pendingMigrations()).toEqual([]);
      await storeClient(first, 'Sandbox-Portal Gera');
    } finally {
      await first.close();
    }

    const second = await openDatabase({ pgliteTemplateDir: templateDir });
    try {
      // Restored from the template: every migration recorded, none to apply, and nothing of the first database.
      const recorded = await second.orm.em.getConnection().execute<{ name: string }[]>(`select name from ${MIGRATIONS_TABLE} order by name`);
      expect(recorded.map((r) => r.name)).toEqual(all);
      expect(await second.migrate()).toEqual([]);
      expect(await second.orm.em.fork().count(ApiClient, {})).toBe(0);
      const client = await storeClient(second, 'Sandbox-Portal Suhl');
      await expectClientStored(second, client);
    } finally {
      await second.close();
    }
  });

  it('notices a migration missing from the migrations table and applies it again', async () => {
    const db = await openDatabase({ pgliteTemplateDir: false });
    try {
      const all = migrationsList.map((m) => m.name);
      expect(await db.migrate()).toEqual(all);
      // The last migration only adds objects; undo it and forget it, as a database one release behind would be.
      const last = all[all.length - 1];
      const conn = db.orm.em.getConnection();
      await conn.execute(`delete from ${MIGRATIONS_TABLE} where name = ?`, [last]);
      expect(await db.pendingMigrations()).toEqual([last]);
    } finally {
      await db.close();
    }
  });

  it('keeps data in a directory across close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thuegate-pglite-'));
    dirs.push(dir);
    const dataDir = join(dir, 'nested', 'pglite'); // parents are created on demand

    const db = await openDatabase({ pgliteDataDir: dataDir, autoMigrate: true });
    expect(db.target).toBe(`pglite:${dataDir}`);
    expect(await db.pendingMigrations()).toEqual([]);
    const client = await storeClient(db, 'Sandbox-Portal Weimar');
    const ids = await storeDocumentAndRun(db);
    await db.close();
    await db.close(); // idempotent

    const reopened = await openDatabase({ pgliteDataDir: dataDir });
    try {
      expect(await reopened.pendingMigrations()).toEqual([]);
      expect(await reopened.migrate()).toEqual([]);
      await expectClientStored(reopened, client);
      await expectDocumentAndRun(reopened, ids);
    } finally {
      await reopened.close();
    }
  });

  it('lists the same migration names in migrations/names.ts as in migrations/index.ts (both generated)', () => {
    expect([...migrationNames]).toEqual(migrationsList.map((m) => m.name));
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/persistence/orm';
import {
  expectClientStored,
  expectConstraints,
  expectDocumentAndRun,
  migrateAndCheckSchema,
  storeClient,
  storeDocumentAndRun,
} from './roundtrip';

describe('persistence on embedded PGlite', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('runs the same migrations and round trip in memory', async () => {
    const db = await openDatabase();
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
    const first = await openDatabase();
    await first.migrate();
    await storeClient(first, 'Sandbox-Portal Jena');
    await first.close();

    const second = await openDatabase({ pgliteDataDir: 'memory://' });
    try {
      expect((await second.pendingMigrations()).length).toBeGreaterThan(0);
    } finally {
      await second.close();
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
});

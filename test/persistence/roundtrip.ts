import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { ApiClient, HarvestRun, PersistedDocument } from '../../src/persistence/entities';
import { migrationsList } from '../../migrations';
import type { Database } from '../../src/persistence/orm';
import { columnsByTable, declaredColumns } from './helpers';

/** The checks both engines must pass identically, so PostgreSQL and PGlite cannot drift apart. */
export async function migrateAndCheckSchema(db: Database): Promise<void> {
  const all = migrationsList.map((m) => m.name);
  expect(all.length).toBeGreaterThan(0);
  expect(await db.pendingMigrations()).toEqual(all);

  expect(await db.migrate()).toEqual(all);
  expect(await db.pendingMigrations()).toEqual([]);
  expect(await db.migrate()).toEqual([]);

  const tables = await columnsByTable(db);
  const declared = declaredColumns(db);
  expect([...declared.keys()].sort()).toEqual(['api_client', 'availability_fact', 'conformance_finding', 'conformance_run', 'harvest_item', 'harvest_pointer', 'harvest_progress', 'harvest_run', 'harvest_snapshot', 'persisted_document']);
  for (const [table, columns] of declared) expect(tables.get(table)?.sort(), table).toEqual([...columns].sort());
  expect(tables.has('mikro_orm_migrations')).toBe(true);

  // The checked-in migrations produce exactly what the entities declare (nothing left to generate).
  expect(await db.orm.getMigrator().checkMigrationNeeded()).toBe(false);
}

export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = `tg_${randomBytes(24).toString('base64url')}`;
  return { key, hash: createHash('sha256').update(key).digest('hex'), prefix: key.slice(0, 10) };
}

export async function storeClient(db: Database, name: string): Promise<ApiClient> {
  const { hash, prefix } = newApiKey();
  const em = db.orm.em.fork();
  const client = em.create(ApiClient, { name, keyHash: hash, keyPrefix: prefix, role: 'integrator' });
  await em.flush();
  return client;
}

export async function expectClientStored(db: Database, original: ApiClient): Promise<void> {
  const em = db.orm.em.fork();
  const found = await em.findOneOrFail(ApiClient, { keyHash: original.keyHash });
  expect(found.id).toBe(original.id);
  expect(found.name).toBe(original.name);
  expect(found.keyPrefix).toBe(original.keyPrefix);
  expect(found.role).toBe('integrator');
  expect(found.createdAt).toBeInstanceOf(Date);
  // timestamptz keeps microseconds, JS dates milliseconds: the value must survive exactly.
  expect(found.createdAt.getTime()).toBe(original.createdAt.getTime());
  expect(found.revokedAt).toBeNull();
  expect(found.lastUsedAt).toBeNull();
}

/** Constraints the database itself enforces, not just the entity classes. */
export async function expectConstraints(db: Database, existing: ApiClient): Promise<void> {
  const em = db.orm.em.fork();
  em.create(ApiClient, { name: 'duplicate', keyHash: existing.keyHash, keyPrefix: 'dup', role: 'public' });
  await expect(em.flush()).rejects.toThrow(/api_client_key_hash_unique|duplicate key/);

  const conn = db.orm.em.getConnection();
  await expect(
    conn.execute(
      `insert into api_client (id, name, key_hash, key_prefix, role) values ('00000000-0000-4000-8000-000000000001', 'x', 'h', 'p', 'root')`,
    ),
  ).rejects.toThrow(/check constraint/);

  // Defaults live in the database too, so rows written outside the ORM (psql, ops scripts) are complete.
  await conn.execute(
    `insert into harvest_run (id, upstream) values ('00000000-0000-4000-8000-000000000002', 'pvog')`,
  );
  const [run] = await conn.execute<{ status: string; item_count: number; started_at: unknown }[]>(
    `select status, item_count, started_at from harvest_run where id = '00000000-0000-4000-8000-000000000002'`,
  );
  expect(run.status).toBe('running');
  expect(Number(run.item_count)).toBe(0);
  expect(run.started_at).not.toBeNull();
}

export async function storeDocumentAndRun(db: Database): Promise<{ hash: string; runId: string }> {
  const body = `query Sandbox${randomBytes(4).toString('hex')} { __typename }`;
  const hash = createHash('sha256').update(body).digest('hex');
  const em = db.orm.em.fork();
  em.create(PersistedDocument, { hash, body });
  const run = em.create(HarvestRun, { upstream: 'dvdv' });
  await em.flush();
  run.status = 'failed';
  run.finishedAt = new Date();
  run.error = 'sandbox: upstream answered 503';
  run.itemCount = 17;
  await em.flush();
  return { hash, runId: run.id };
}

export async function expectDocumentAndRun(db: Database, ids: { hash: string; runId: string }): Promise<void> {
  const em = db.orm.em.fork();
  const doc = await em.findOneOrFail(PersistedDocument, ids.hash);
  expect(createHash('sha256').update(doc.body).digest('hex')).toBe(ids.hash);
  const run = await em.findOneOrFail(HarvestRun, ids.runId);
  expect(run.upstream).toBe('dvdv');
  expect(run.status).toBe('failed');
  expect(run.finishedAt).toBeInstanceOf(Date);
  expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
  expect(run.error).toBe('sandbox: upstream answered 503');
  expect(run.itemCount).toBe(17);
}

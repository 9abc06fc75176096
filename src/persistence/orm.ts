import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/postgresql';
import type { Migrator } from '@mikro-orm/migrations';
import { migrationNames } from '../../migrations/names';
import { MIGRATIONS_TABLE, parseDatabaseUrl, pgliteOptions, postgresOptions } from './config';
import { DirectoryInUseError, lockDirectory } from './dir-lock';
import { DatabaseUnavailableError, MigrationError } from './errors';
import { defaultTemplateDir, readTemplate, writeTemplate } from './pglite-template';

export type DatabaseKind = 'postgresql' | 'pglite';

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory, or `memory://` (default) for a throwaway in-memory database. */
  pgliteDataDir?: string;
  /** Log SQL through MikroORM's logger. */
  debug?: boolean;
  /** Upper bound of PostgreSQL connections per process (default 10). */
  poolMax?: number;
  /** How long `ping()` (and a PostgreSQL connect) may take before it fails (default 3000 ms). */
  pingTimeoutMs?: number;
  /** Apply pending migrations before returning (`AUTO_MIGRATE`). */
  autoMigrate?: boolean;
  /**
   * `memory://` only: where the initialised, migrated template cluster is kept (pglite-template.ts), so the
   * database opens migrated without initdb; `false` opens a bare cluster with every migration pending.
   */
  pgliteTemplateDir?: string | false;
}

export interface Database {
  orm: MikroORM<AbstractSqlDriver>;
  kind: DatabaseKind;
  /** Where the data lives, printable (no password): `postgresql://user@host:5432/db` or `pglite:<dir>`. */
  target: string;
  /** Applies pending migrations in one transaction; returns the names applied (empty when up to date). */
  migrate(): Promise<string[]>;
  /** Names of checked-in migrations not yet applied to this database. */
  pendingMigrations(): Promise<string[]>;
  /** Round trip to the database; rejects with DatabaseUnavailableError within `pingTimeoutMs`. */
  ping(): Promise<void>;
  /** Releases connections (and the PGlite instance); idempotent. */
  close(): Promise<void>;
}

// Arbitrary but fixed: all replicas must agree on it so only one of them migrates at a time.
const MIGRATION_LOCK_KEY = 0x7468_7565; // "thue"

export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const pingTimeoutMs = opts.pingTimeoutMs ?? 3_000;
  let db: Database;
  if (opts.databaseUrl) {
    const target = parseDatabaseUrl(opts.databaseUrl);
    const orm = await MikroORM.init<AbstractSqlDriver>(
      postgresOptions(target, { debug: opts.debug, poolMax: opts.poolMax, connectTimeoutMs: pingTimeoutMs }),
    );
    db = build(orm, 'postgresql', target.display, pingTimeoutMs, async () => undefined);
  } else {
    const dir = opts.pgliteDataDir ?? 'memory://';
    const inMemory = dir.startsWith('memory://');
    const path = inMemory ? dir : resolve(dir);
    const display = `pglite:${path}`;
    // Loaded here, not at the top: a gateway on PostgreSQL never needs PGlite's 440 KB of module (issue 15 P7).
    const { PGlite } = await import('@electric-sql/pglite');
    let pglite: PGlite;
    let unlock = (): void => undefined;
    const templateDir = inMemory && opts.pgliteTemplateDir !== false ? (opts.pgliteTemplateDir ?? defaultTemplateDir()) : undefined;
    const template = templateDir ? await readTemplate(templateDir) : undefined;
    try {
      if (!inMemory) {
        mkdirSync(dirname(path), { recursive: true });
        unlock = lockDirectory(path);
        if (!existsSync(join(path, 'PG_VERSION'))) await createPgliteDirectory(path);
      }
      pglite = new PGlite(path, template ? { loadDataDir: template } : undefined);
      await pglite.waitReady;
    } catch (e) {
      unlock();
      if (e instanceof DirectoryInUseError) throw new DatabaseUnavailableError(display, e.message, { cause: e });
      throw new DatabaseUnavailableError(display, `cannot open PGlite data directory (${messageOf(e)})`, { cause: e });
    }
    let orm: MikroORM<AbstractSqlDriver>;
    try {
      orm = await MikroORM.init<AbstractSqlDriver>(pgliteOptions(pglite, { debug: opts.debug }));
    } catch (e) {
      await pglite.close();
      unlock();
      throw e;
    }
    db = build(orm, 'pglite', display, pingTimeoutMs, async () => {
      try {
        await pglite.close();
      } finally {
        unlock();
      }
    });
    if (templateDir && !template) {
      // No template for this PGlite version and migration set yet: migrate this one and keep it as the template,
      // so every later in-memory database opens as this one is now (initialised, migrated, empty).
      try {
        await db.migrate();
        await writeTemplate(templateDir, pglite);
      } catch (e) {
        await db.close();
        throw e;
      }
    }
  }
  if (opts.autoMigrate) {
    try {
      await db.migrate();
    } catch (e) {
      await db.close();
      throw e;
    }
  }
  return db;
}

/**
 * First start: initdb of a new PGlite directory takes a second or two, and a kill in between used to leave a
 * directory PGlite can never open again. It is now created under a temporary name beside the target and renamed
 * into place once complete, so a kill leaves either no database (the next start creates it) or a working one.
 * The caller holds the directory lock, so temporary directories found here belong to dead processes.
 */
async function createPgliteDirectory(path: string): Promise<void> {
  const prefix = `${basename(path)}.creating-`;
  for (const f of readdirSync(dirname(path))) if (f.startsWith(prefix)) rmSync(join(dirname(path), f), { recursive: true, force: true });
  if (existsSync(path)) {
    if (readdirSync(path).length > 0) {
      throw new Error(`${path} exists but holds no PostgreSQL cluster (no PG_VERSION): an interrupted first start of an older version; remove the directory and start again`);
    }
    rmdirSync(path);
  }
  const tmp = join(dirname(path), `${prefix}${process.pid}`);
  const { PGlite } = await import('@electric-sql/pglite');
  const fresh = new PGlite(tmp);
  try {
    await fresh.waitReady;
  } finally {
    await fresh.close();
  }
  renameSync(tmp, path);
}

function build(
  orm: MikroORM<AbstractSqlDriver>,
  kind: DatabaseKind,
  target: string,
  pingTimeoutMs: number,
  closeEngine: () => Promise<void>,
): Database {
  const connection = () => orm.em.getConnection();
  let loading: Promise<Migrator> | undefined;
  // @mikro-orm/migrations pulls in umzug and its CLI dependencies (a sixth of the start profile, issue 15 P7);
  // a start against an up-to-date database never needs it, so the list and the migrator load on first use.
  const migrator = (): Promise<Migrator> =>
    (loading ??= Promise.all([import('@mikro-orm/migrations'), import('../../migrations')]).then(([{ Migrator }, { migrationsList }]) => {
      orm.config.get('migrations').migrationsList = migrationsList;
      // Registered here rather than left to MikroORM's own lookup, which resolves the package from the working directory.
      Migrator.register(orm);
      return orm.getMigrator() as Migrator;
    }));
  /** True when the migrations table lists every checked-in migration; one query, no migrator. */
  const upToDate = async (): Promise<boolean> => {
    let rows: { name: string }[];
    try {
      rows = await connection().execute<{ name: string }[]>(`select name from ${MIGRATIONS_TABLE}`);
    } catch (e) {
      if ((e as { code?: string }).code === '42P01') return false; // undefined_table: nothing applied yet
      throw e;
    }
    const applied = new Set(rows.map((r) => r.name));
    return migrationNames.every((n) => applied.has(n));
  };
  let closing: Promise<void> | undefined;

  const ping = async (): Promise<void> => {
    try {
      await withTimeout(connection().execute('select 1'), pingTimeoutMs, `no answer within ${pingTimeoutMs} ms`);
    } catch (e) {
      throw e instanceof DatabaseUnavailableError ? e : new DatabaseUnavailableError(target, messageOf(e), { cause: e });
    }
  };

  const migrate = async (): Promise<string[]> => {
    try {
      if (await upToDate()) return [];
      if (kind === 'pglite') {
        // One embedded process owns the data directory, so there is nobody to race with; and PGlite has
        // a single connection, which the lock-holding transaction below would starve the migrator of.
        return names(await (await migrator()).up());
      }
      const m = await migrator();
      await ensureMigrationsTable(m);
      // Replicas starting together would otherwise apply the same migration twice; the transaction-scoped
      // advisory lock serialises them and the loser then sees nothing pending.
      const applied = await connection().transactional(async (trx) => {
        await connection().execute(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`, [], 'all', trx);
        return m.up({ transaction: trx });
      });
      return names(applied);
    } catch (e) {
      throw new MigrationError(target, messageOf(e), { cause: e });
    }
  };

  return {
    orm,
    kind,
    target,
    ping,
    migrate,
    pendingMigrations: async () => ((await upToDate()) ? [] : names(await (await migrator()).getPendingMigrations())),
    close: () =>
      (closing ??= (async () => {
        try {
          await orm.close(true);
        } finally {
          await closeEngine();
        }
      })()),
  };
}

/** MikroORM creates its bookkeeping table on first use; two replicas doing that at once collide once — retry. */
async function ensureMigrationsTable(m: Migrator): Promise<void> {
  try {
    await m.getExecutedMigrations();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== '42P07' && code !== '23505') throw e; // duplicate_table / unique_violation on pg_type
    await m.getExecutedMigrations();
  }
}

const names = (ms: { name: string }[]): string[] => ms.map((m) => m.name);

function messageOf(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return e.errors.map(messageOf).join('; ');
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

async function withTimeout<T>(p: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

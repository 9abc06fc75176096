import { ReflectMetadataProvider, type Options } from '@mikro-orm/core';
import { PostgreSqlDriver, type AbstractSqlDriver } from '@mikro-orm/postgresql';
import type { PGlite } from '@electric-sql/pglite';
import { PGliteDriver } from 'mikro-orm-pglite';
import { entities } from './entities';
import { DatabaseConfigError } from './errors';

export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

/** A checked `DATABASE_URL`, plus a printable form without the password. */
export interface PostgresTarget {
  url: string;
  dbName: string;
  display: string;
}

export function parseDatabaseUrl(raw: string, field = 'DATABASE_URL'): PostgresTarget {
  const expected = 'a PostgreSQL URL postgresql://user[:password]@host[:port]/database';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new DatabaseConfigError(field, expected, redact(raw));
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new DatabaseConfigError(field, expected, redact(raw));
  if (!u.hostname) throw new DatabaseConfigError(field, `${expected} (host missing)`, redact(raw));
  const dbName = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!dbName || dbName.includes('/')) throw new DatabaseConfigError(field, `${expected} (database name missing)`, redact(raw));
  const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
  return { url: raw, dbName, display: `postgresql://${user}${u.host}/${dbName}` };
}

/** Error messages may be logged: never echo a password back. */
function redact(raw: string): string {
  return raw.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1*****@');
}

export interface CommonOrmOptions {
  debug?: boolean;
  /** Where the migration generator writes; irrelevant at run time (migrations come from `migrations/index.ts`). */
  migrationsPath?: string;
}

function common(o: CommonOrmOptions): Options<AbstractSqlDriver> {
  return {
    entities,
    // No folder scanning, no metadata cache files: tsc output and vitest's TS see the same explicit lists.
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    metadataProvider: ReflectMetadataProvider,
    metadataCache: { enabled: false },
    // Connect lazily: a gateway whose database is down still serves live upstream data; `ping()` reports it.
    connect: false,
    // Creating databases is an operator decision, not a side effect of starting a replica.
    ensureDatabase: false,
    debug: o.debug ?? false,
    colors: false,
    allowGlobalContext: false,
    migrations: {
      tableName: MIGRATIONS_TABLE,
      // The list (and with it @mikro-orm/migrations and umzug) is loaded by orm.ts only when a migration is pending.
      path: o.migrationsPath ?? './migrations',
      emit: 'ts',
      // Diffs are always taken against a freshly migrated database, never a snapshot file that can drift.
      snapshot: false,
      silent: true,
      transactional: true,
      allOrNothing: true,
      // Generated migrations must not drop a table just because an entity was renamed or removed by mistake.
      dropTables: false,
    },
  };
}

export interface PostgresOrmOptions extends CommonOrmOptions {
  poolMax?: number;
  connectTimeoutMs?: number;
}

export function postgresOptions(target: PostgresTarget, o: PostgresOrmOptions = {}): Options<AbstractSqlDriver> {
  const connectTimeoutMs = o.connectTimeoutMs ?? 5_000;
  return {
    ...common(o),
    driver: PostgreSqlDriver,
    clientUrl: target.url,
    dbName: target.dbName,
    // min 0: idle connections close, so a quiet replica holds none and `close()` has nothing lingering.
    pool: { min: 0, max: o.poolMax ?? 10, idleTimeoutMillis: 30_000 },
    driverOptions: {
      acquireConnectionTimeout: connectTimeoutMs * 2,
      connection: { connectionTimeoutMillis: connectTimeoutMs, application_name: 'thuegate', keepAlive: true },
    },
  };
}

export function pgliteOptions(pglite: PGlite, o: CommonOrmOptions = {}): Options<AbstractSqlDriver> {
  return {
    ...common(o),
    driver: PGliteDriver,
    // PGlite has a single database, always named `postgres`.
    dbName: 'postgres',
    // The instance is borrowed, so openDatabase controls its data directory and closes it after the ORM.
    driverOptions: { connection: { pglite: () => pglite } },
  };
}

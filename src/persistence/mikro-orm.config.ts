/**
 * Configuration for the `mikro-orm` CLI (inspection and manual migration commands). The app itself
 * uses `openDatabase()`; this file exists so the CLI sees the same entities and migrations list.
 *
 *   npx tsc -p tsconfig.build.json
 *   MIKRO_ORM_CLI_CONFIG=dist/src/persistence/mikro-orm.config.js npx mikro-orm migration:pending
 *
 * Targets `DATABASE_URL` when set, otherwise the PGlite directory `PGLITE_DIR` (default `.data/pglite`,
 * as the app). Use `generate-migration` (not `mikro-orm migration:create`) to write migrations: the CLI
 * would diff against that live database and would not update `migrations/index.ts`.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import type { Options } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/postgresql';
import { parseDatabaseUrl, pgliteOptions, postgresOptions } from './config';

function cliOptions(env: NodeJS.ProcessEnv = process.env): Options<AbstractSqlDriver> {
  if (env.DATABASE_URL?.trim()) return postgresOptions(parseDatabaseUrl(env.DATABASE_URL.trim()));
  const dir = env.PGLITE_DIR?.trim() || '.data/pglite';
  // Built with a placeholder instance argument, then switched to a path: the CLI's ORM then owns
  // (opens and closes) the PGlite instance itself.
  const base = pgliteOptions(undefined as never);
  return { ...base, driverOptions: { connection: { filename: dir.startsWith('memory://') ? dir : resolve(dir) } } };
}

export default cliOptions();

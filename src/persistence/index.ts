export { openDatabase, type Database, type DatabaseKind, type OpenDatabaseOptions } from './orm';
export { DatabaseConfigError, DatabaseUnavailableError, MigrationError } from './errors';
export { parseDatabaseUrl } from './config';
export * from './entities';

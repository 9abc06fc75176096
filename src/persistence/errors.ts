/** The database could not be reached or did not answer in time. `target` never contains a password. */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly target: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`database ${target} unavailable: ${reason}`, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** A database option (e.g. `DATABASE_URL`) is malformed. */
export class DatabaseConfigError extends Error {
  constructor(
    readonly field: string,
    expected: string,
    got: string,
  ) {
    super(`${field}: expected ${expected}, got ${JSON.stringify(got)}`);
    this.name = 'DatabaseConfigError';
  }
}

/** Applying migrations failed; nothing of the failing batch is committed (they run in one transaction). */
export class MigrationError extends Error {
  constructor(
    readonly target: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`migrating database ${target} failed: ${reason}`, options);
    this.name = 'MigrationError';
  }
}

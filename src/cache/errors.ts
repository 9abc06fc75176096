/** Typed errors of the data cache. Loader (upstream) errors are never wrapped: callers see them unchanged. */

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}

/** A cache option, policy field or purge filter is malformed. */
export class CacheConfigError extends Error {
  override readonly name = 'CacheConfigError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly received: unknown,
  ) {
    super(`cache: ${field} must be ${expected}, got ${describe(received)}`);
  }
}

/** A loader broke its contract (value not JSON-serialisable, `notModified` without a previous value, bad ttlMs). */
export class CacheValueError extends Error {
  override readonly name = 'CacheValueError';
  constructor(
    readonly upstream: string,
    readonly operation: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cache: loader for ${upstream}/${operation} ${reason}`, options);
  }
}

/** `get` or `purge` after `close()`. */
export class CacheClosedError extends Error {
  override readonly name = 'CacheClosedError';
  constructor() {
    super('cache: used after close()');
  }
}

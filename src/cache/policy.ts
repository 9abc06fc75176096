import { CacheConfigError } from './errors';

const HOUR = 3_600_000;

/**
 * Hard age ceilings per upstream, measured from the last time the origin confirmed the value
 * (a full load or a 304 revalidation). No TTL, stale window or per-call policy can exceed them.
 * DVDV: BSI TR-03132 §3.4.2 / TR-03170 §2.8.1 — the project applies the 4 h limit to all DVDV data.
 */
export const UPSTREAM_HARD_MAX_AGE_MS: Readonly<Record<string, number>> = Object.freeze({
  dvdv: 4 * HOUR,
});

export interface CachePolicy {
  /** Upstream id, lower case (`pvog`, `thavel`, `geomis`, `geoproxy`, `dvdv`, …). */
  upstream: string;
  /** Operation id within the upstream, e.g. `services-by-ars`. No `:`. */
  operation: string;
  /** How long a value counts as fresh. */
  ttlMs: number;
  /** After expiry: serve the old value at once and refresh it in the background, for this long. */
  staleWhileRevalidateMs?: number;
  /** After expiry: serve the old value if the loader fails, for this long. */
  staleIfErrorMs?: number;
  /** Absolute age limit (from fetchedAt) for fresh and stale serving; can only tighten the upstream ceiling. */
  hardMaxAgeMs?: number;
}

export interface ResolvedPolicy {
  readonly upstream: string;
  readonly operation: string;
  readonly ttlMs: number;
  readonly swrMs: number;
  readonly sieMs: number;
  readonly hardMaxAgeMs: number;
  /** The configured ttlMs was above the hard ceiling and was cut down. */
  readonly ttlClamped: boolean;
}

const UPSTREAM_ID = /^[a-z][a-z0-9-]{0,39}$/;
const OPERATION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export function checkUpstreamId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UPSTREAM_ID.test(value)) {
    throw new CacheConfigError(field, 'a lower-case upstream id like "pvog" or "dvdv" ([a-z][a-z0-9-]*)', value);
  }
  return value;
}

function duration(value: unknown, field: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new CacheConfigError(field, 'a finite number of milliseconds >= 0', value);
  }
  return value;
}

/** Validates hard-ceiling overrides from cache options; they may only tighten the built-in ones. */
export function mergeCeilings(overrides: Readonly<Record<string, number>> | undefined): Record<string, number> {
  const merged: Record<string, number> = { ...UPSTREAM_HARD_MAX_AGE_MS };
  for (const [upstream, ms] of Object.entries(overrides ?? {})) {
    checkUpstreamId(upstream, 'hardMaxAgeMs key');
    const value = duration(ms, `hardMaxAgeMs.${upstream}`);
    merged[upstream] = Math.min(value, merged[upstream] ?? Infinity);
  }
  return merged;
}

/** Checks a policy and applies the hard ceiling: ttl and stale windows never reach past it. */
export function resolvePolicy(policy: CachePolicy, ceilings: Readonly<Record<string, number>>): ResolvedPolicy {
  if (policy === null || typeof policy !== 'object') throw new CacheConfigError('policy', 'an object', policy);
  const upstream = checkUpstreamId(policy.upstream, 'policy.upstream');
  if (typeof policy.operation !== 'string' || !OPERATION_ID.test(policy.operation)) {
    throw new CacheConfigError('policy.operation', 'an operation id like "services-by-ars" (no ":")', policy.operation);
  }
  const ttl = duration(policy.ttlMs, 'policy.ttlMs');
  const swrMs = duration(policy.staleWhileRevalidateMs, 'policy.staleWhileRevalidateMs', 0);
  const sieMs = duration(policy.staleIfErrorMs, 'policy.staleIfErrorMs', 0);
  const own = duration(policy.hardMaxAgeMs, 'policy.hardMaxAgeMs', Infinity);
  const hardMaxAgeMs = Math.min(own, ceilings[upstream] ?? Infinity);
  return {
    upstream,
    operation: policy.operation,
    ttlMs: Math.min(ttl, hardMaxAgeMs),
    swrMs,
    sieMs,
    hardMaxAgeMs,
    ttlClamped: ttl > hardMaxAgeMs,
  };
}

import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  IsolatedCircuitError,
  SamplingBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import { UpstreamError } from './errors';
import { FairBulkhead, FairBulkheadRejected } from './fair-bulkhead';
import { recordBreakerState, recordRetry, upstreamInFlight, type BreakerStateName } from './metrics';
import type { UpstreamName } from './names';
import { untilAborted } from '../../util/abort';

export interface RetryOptions {
  /** Total attempts including the first; 1 disables retries. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error goes to the caller at once. */
  maxRetryAfterMs?: number;
}

export interface BreakerOptions {
  /** Open after this many consecutive health failures … */
  consecutive?: number;
  /** … or when this share of calls (0–1) failed within `samplingMs` (needs `minimumRps`). */
  failureRatio?: number;
  samplingMs?: number;
  minimumRps?: number;
  /** How long the circuit stays open before one trial request is let through. */
  halfOpenAfterMs: number;
}

export interface BulkheadOptions {
  /** Concurrent requests to this upstream. */
  limit: number;
  /** Requests allowed to wait for a slot; beyond limit + queue they are rejected at once. */
  queue: number;
  /** Slots each client is always admitted to (fair share, runtime/fair-bulkhead.ts); default a quarter of `limit`. */
  share?: number;
}

export interface PolicyOptions {
  retry: RetryOptions;
  breaker: BreakerOptions;
  bulkhead: BulkheadOptions;
  /** Client-side throttle (PVOG clients keep to ~5 req/s); each attempt takes a slot. */
  maxRequestsPerSecond?: number;
  production: boolean;
}

export interface ExecuteOptions {
  idempotent: boolean;
  /** Aborts on deadline or caller cancellation; its reason tells which (see `abortToError`). */
  signal: AbortSignal;
  deadline: number;
  abortToError: (reason: unknown) => UpstreamError;
  /** Who the call is made for: the unit of the fair share of this upstream's concurrency. */
  client?: string;
}

/** Smallest remaining budget worth starting another attempt with. */
const MIN_ATTEMPT_BUDGET_MS = 50;

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 };
export const DEFAULT_BREAKER: BreakerOptions = { consecutive: 5, halfOpenAfterMs: 10_000 };
export const DEFAULT_BULKHEAD: BulkheadOptions = { limit: 16, queue: 128 };

/**
 * Resilience for one upstream: bulkhead → retry (idempotent only) → circuit breaker → attempt.
 * Retries live here and nowhere else (not in undici) so attempts, delays and the deadline are
 * accounted for in one place. The breaker counts only outcomes that say the upstream is unhealthy
 * (connection errors, timeouts, 5xx), not 4xx, 429, oversize bodies or caller cancellations.
 */
export class UpstreamPolicy {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: FairBulkhead;
  private nextSlotAt = 0;

  constructor(
    readonly upstream: UpstreamName,
    private readonly opts: PolicyOptions,
  ) {
    const b = opts.breaker;
    const breakerImpl =
      b.failureRatio !== undefined
        ? new SamplingBreaker({ threshold: b.failureRatio, duration: b.samplingMs ?? 30_000, minimumRps: b.minimumRps })
        : new ConsecutiveBreaker(b.consecutive ?? 5);
    this.breaker = circuitBreaker(
      handleWhen((e) => e instanceof UpstreamError && e.healthFailure),
      { halfOpenAfter: b.halfOpenAfterMs, breaker: breakerImpl },
    );
    this.breaker.onStateChange(() => recordBreakerState(upstream, this.breakerState()));
    recordBreakerState(upstream, 'closed');
    this.bulkhead = new FairBulkhead(opts.bulkhead);
  }

  breakerState(): BreakerStateName {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  async execute<T>(attemptFn: (attempt: number) => Promise<T>, o: ExecuteOptions): Promise<T> {
    if (o.signal.aborted) throw o.abortToError(o.signal.reason);
    const run = this.bulkhead.execute(async () => {
      upstreamInFlight.inc({ upstream: this.upstream });
      try {
        return await this.withRetry(attemptFn, o);
      } finally {
        upstreamInFlight.dec({ upstream: this.upstream });
      }
    }, o.client, o.signal);
    // A queued request must not outlive its deadline waiting for a slot; the bulkhead takes it out of
    // the queue when its signal aborts, and we answer the caller now.
    return untilAborted(run, o.signal, () => new AbortedWhileWaiting()).catch((e: unknown) => {
      if (e instanceof FairBulkheadRejected) {
        throw new UpstreamError({
          code: 'UPSTREAM_OVERLOADED',
          upstream: this.upstream,
          internal: { reason: e.message },
          production: this.opts.production,
        });
      }
      if (e instanceof UpstreamError) throw e;
      if (o.signal.aborted) throw o.abortToError(o.signal.reason);
      throw e;
    });
  }

  private async withRetry<T>(attemptFn: (attempt: number) => Promise<T>, o: ExecuteOptions): Promise<T> {
    const r = this.opts.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.throttle(o);
        return await this.breaker.execute(() => attemptFn(attempt), o.signal);
      } catch (raw) {
        const err = this.toError(raw, o);
        err.internal.attempts = attempt;
        if (!o.idempotent || !err.transient || attempt >= r.maxAttempts) throw err;
        const delay = err.retryAfterMs ?? backoffDelay(attempt, r);
        if (err.retryAfterMs !== undefined && err.retryAfterMs > (r.maxRetryAfterMs ?? DEFAULT_RETRY.maxRetryAfterMs!)) throw err;
        if (Date.now() + delay + MIN_ATTEMPT_BUDGET_MS >= o.deadline) throw err;
        recordRetry(this.upstream, err.status !== undefined ? String(err.status) : (err.internal.reason ?? err.code));
        await sleep(delay, o.signal).catch(() => {
          throw o.abortToError(o.signal.reason);
        });
      }
    }
  }

  private toError(raw: unknown, o: ExecuteOptions): UpstreamError {
    if (raw instanceof UpstreamError) return raw;
    if (raw instanceof BrokenCircuitError || raw instanceof IsolatedCircuitError) {
      return new UpstreamError({
        code: 'UPSTREAM_CIRCUIT_OPEN',
        upstream: this.upstream,
        internal: { reason: 'circuit open' },
        production: this.opts.production,
      });
    }
    if (o.signal.aborted) return o.abortToError(o.signal.reason);
    // Anything else is a bug in the attempt function; keep it typed but visible in logs.
    return new UpstreamError({
      code: 'UPSTREAM_BAD_RESPONSE',
      upstream: this.upstream,
      cause: raw,
      internal: { reason: raw instanceof Error ? raw.message : String(raw) },
      production: this.opts.production,
    });
  }

  private async throttle(o: ExecuteOptions): Promise<void> {
    const rps = this.opts.maxRequestsPerSecond;
    if (!rps) return;
    const now = Date.now();
    const at = Math.max(now, this.nextSlotAt);
    if (at >= o.deadline) {
      throw new UpstreamError({
        code: 'UPSTREAM_OVERLOADED',
        upstream: this.upstream,
        internal: { reason: `client-side throttle of ${rps} req/s leaves no slot before the deadline` },
        production: this.opts.production,
      });
    }
    this.nextSlotAt = at + 1000 / rps;
    if (at > now) {
      await sleep(at - now, o.signal).catch(() => {
        throw o.abortToError(o.signal.reason);
      });
    }
  }
}

/** Exponential backoff with "equal jitter": never below half the nominal delay, so waits stay predictable. */
export function backoffDelay(attempt: number, r: RetryOptions): number {
  const nominal = Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(nominal / 2 + Math.random() * (nominal / 2));
}

/**
 * Milliseconds to wait from `Retry-After` (delta-seconds or HTTP date) or, failing that,
 * `RateLimit-Reset` (delta-seconds, FIT-Connect style). `undefined` when neither is usable.
 */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.trim();
  const ra = first(headers['retry-after']);
  if (ra) {
    if (/^\d+$/.test(ra)) return Number(ra) * 1000;
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = first(headers['ratelimit-reset']);
  if (reset && /^\d+$/.test(reset)) return Number(reset) * 1000;
  return undefined;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}


class AbortedWhileWaiting extends Error {}

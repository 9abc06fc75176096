import { Counter, Gauge, Histogram, type Metric } from 'prom-client';
import { metricsRegistry } from '../../observability/metrics';
import type { UpstreamName } from './names';

// A module can be evaluated twice in one process (test runners, mixed src/dist imports);
// prom-client refuses a second registration of the same name, so reuse what is there.
function once<T extends Metric>(name: string, make: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? make();
}

export const upstreamRequests = once(
  'thuegate_upstream_requests_total',
  () =>
    new Counter({
      name: 'thuegate_upstream_requests_total',
      help: 'Logical upstream requests (after retries) by outcome: ok or the UPSTREAM_* error code',
      labelNames: ['upstream', 'outcome'] as const,
      registers: [metricsRegistry],
    }),
);

export const upstreamDuration = once(
  'thuegate_upstream_request_duration_seconds',
  () =>
    new Histogram({
      name: 'thuegate_upstream_request_duration_seconds',
      help: 'Latency of logical upstream requests including retries and queueing',
      labelNames: ['upstream', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [metricsRegistry],
    }),
);

export const upstreamRetries = once(
  'thuegate_upstream_retries_total',
  () =>
    new Counter({
      name: 'thuegate_upstream_retries_total',
      help: 'Retries of idempotent upstream requests by reason (status code or network error)',
      labelNames: ['upstream', 'reason'] as const,
      registers: [metricsRegistry],
    }),
);

/** 0 = closed, 1 = half-open, 2 = open. */
export const upstreamBreakerState = once(
  'thuegate_upstream_circuit_state',
  () =>
    new Gauge({
      name: 'thuegate_upstream_circuit_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'] as const,
      registers: [metricsRegistry],
    }),
);

export const upstreamInFlight = once(
  'thuegate_upstream_in_flight',
  () =>
    new Gauge({
      name: 'thuegate_upstream_in_flight',
      help: 'Upstream requests currently executing (inside the bulkhead)',
      labelNames: ['upstream'] as const,
      registers: [metricsRegistry],
    }),
);

export type BreakerStateName = 'closed' | 'half-open' | 'open';
const BREAKER_VALUE: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

export function recordOutcome(upstream: UpstreamName, outcome: string, seconds: number): void {
  upstreamRequests.inc({ upstream, outcome });
  upstreamDuration.observe({ upstream, outcome }, seconds);
}

export function recordRetry(upstream: UpstreamName, reason: string): void {
  upstreamRetries.inc({ upstream, reason });
}

export function recordBreakerState(upstream: UpstreamName, state: BreakerStateName): void {
  upstreamBreakerState.set({ upstream }, BREAKER_VALUE[state]);
}

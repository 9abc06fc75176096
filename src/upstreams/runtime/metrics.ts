import { Counter, Gauge, Histogram } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../../observability/metrics';
import type { UpstreamName } from './names';


export const upstreamRequests = registeredMetric(
  'thuegate_upstream_requests_total',
  () =>
    new Counter({
      name: 'thuegate_upstream_requests_total',
      help: 'Logical upstream requests (after retries) by outcome: ok or the UPSTREAM_* error code',
      labelNames: ['upstream', 'outcome'] as const,
      registers: [metricsRegistry],
    }),
);

export const upstreamDuration = registeredMetric(
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

export const upstreamRetries = registeredMetric(
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
export const upstreamBreakerState = registeredMetric(
  'thuegate_upstream_circuit_state',
  () =>
    new Gauge({
      name: 'thuegate_upstream_circuit_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'] as const,
      registers: [metricsRegistry],
    }),
);

export const upstreamInFlight = registeredMetric(
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

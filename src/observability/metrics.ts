import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/**
 * One registry per process. Modules register their own metrics on it at import time;
 * `/metrics` renders it. Tests that need isolation read values by metric name + labels.
 */
export const metricsRegistry = new Registry();
metricsRegistry.setDefaultLabels({ service: 'thuegate' });
collectDefaultMetrics({ register: metricsRegistry, prefix: 'thuegate_' });

/**
 * A module can be evaluated twice in one process (test runners, mixed src/dist imports), and prom-client
 * refuses a second registration of the same name: reuse the metric that is already there.
 */
export function registeredMetric<T extends Metric>(name: string, make: () => T): T {
  return (metricsRegistry.getSingleMetric(name) as T | undefined) ?? make();
}

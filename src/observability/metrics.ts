import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per process. Modules register their own metrics on it at import time;
 * `/metrics` renders it. Tests that need isolation read values by metric name + labels.
 */
export const metricsRegistry = new Registry();
metricsRegistry.setDefaultLabels({ service: 'thuegate' });
collectDefaultMetrics({ register: metricsRegistry, prefix: 'thuegate_' });

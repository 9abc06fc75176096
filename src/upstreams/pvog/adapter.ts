import type { UpstreamAdapter } from '../runtime/adapter';
import { HOUR, MIN } from '../runtime/source';
import { PVOG_PAGE_SIZE, PVOG_PATHS, PvogClient } from './client';
import { pvogConfig, type PvogConfig } from './config';
import { createPvogLoaders, type PvogLoaders } from './loaders';
import { pvogSandboxRoutes } from './sandbox';

/** PVOG Suchdienst (REST/JSON; XZuFi 2.2 in the Bereitstelldienst feed). See README.md beside this file. */
export const pvogAdapter = {
  name: 'pvog',
  config: pvogConfig,
  // PVOG re-publishes about daily.
  cache: { ttlMs: 15 * MIN, staleWhileRevalidateMs: HOUR, staleIfErrorMs: 24 * HOUR },
  http: (config, mode) => ({
    // PVOG publishes no rate limit; clients that stayed below ~5 req/s were never throttled. The local
    // sandbox needs no such courtesy, and throttling it would only slow tests and demos down.
    maxRequestsPerSecond: mode === 'sandbox' ? undefined : config.maxRps,
    headers: config.clientId ? { 'pvog-sud-api-client-id': config.clientId } : ({} as Record<string, string>),
  }),
  client: ({ config, source }) => new PvogClient(source, PVOG_PATHS, PVOG_PAGE_SIZE, config.bulk),
  loaders: createPvogLoaders,
  sandbox: pvogSandboxRoutes,
} satisfies UpstreamAdapter<'pvog', PvogConfig, PvogClient, PvogLoaders>;

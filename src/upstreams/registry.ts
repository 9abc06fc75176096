import type { DataCache } from '../cache';
import type { Config } from '../config/config';
import type { Logger } from '../observability/log';
import { createDvdvUpstreamClient } from './dvdv/client';
import { createUpstreamClient, type UpstreamClientConfig } from './runtime/http';
import { UPSTREAMS, type UpstreamName } from './runtime/names';
import { UpstreamSource, type SourceDefaults } from './runtime/source';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Freshness per upstream. PVOG and ThAVEL re-publish about daily, geo metadata changes rarely;
 * DVDV endpoints/certificates are security-relevant, and the cache caps them at 4 h whatever is set here.
 */
export const SOURCE_DEFAULTS: Record<UpstreamName, SourceDefaults> = {
  pvog: { ttlMs: 15 * MIN, staleWhileRevalidateMs: HOUR, staleIfErrorMs: 24 * HOUR },
  thavel: { ttlMs: 15 * MIN, staleWhileRevalidateMs: HOUR, staleIfErrorMs: 24 * HOUR },
  geomis: { ttlMs: HOUR, staleWhileRevalidateMs: 6 * HOUR, staleIfErrorMs: 48 * HOUR },
  geoproxy: { ttlMs: HOUR, staleWhileRevalidateMs: 6 * HOUR, staleIfErrorMs: 48 * HOUR },
  dvdv: { ttlMs: 30 * MIN, staleWhileRevalidateMs: 30 * MIN, staleIfErrorMs: 3 * HOUR },
};

/** Upstream-specific client settings (headers, throttles) on top of the shared runtime defaults. */
function clientSettings(name: UpstreamName, config: Config): Partial<UpstreamClientConfig> {
  switch (name) {
    case 'pvog':
      // PVOG publishes no rate limit; clients that stayed below ~5 req/s were never throttled. The local
      // sandbox needs no such courtesy, and throttling it would only slow tests and demos down.
      return {
        maxRequestsPerSecond: config.upstreams.pvog.kind === 'sandbox' ? undefined : config.pvogMaxRps,
        headers: config.pvogClientId ? { 'pvog-sud-api-client-id': config.pvogClientId } : {},
      };
    default:
      return {};
  }
}

export function createUpstreamSources(
  config: Config,
  baseUrls: Record<UpstreamName, string[]>,
  cache: DataCache,
  logger: Logger,
): Record<UpstreamName, UpstreamSource> {
  const out = {} as Record<UpstreamName, UpstreamSource>;
  for (const name of UPSTREAMS) {
    const settings = {
      name,
      production: config.production,
      timeouts: { defaultDeadlineMs: config.requestTimeoutMs },
      logger,
      ...clientSettings(name, config),
    };
    // DVDV operators run several directory instances; the others have one base URL each.
    const client = name === 'dvdv' ? createDvdvUpstreamClient(baseUrls.dvdv, settings) : createUpstreamClient({ ...settings, baseUrl: baseUrls[name][0] });
    out[name] = new UpstreamSource(name, client, cache, SOURCE_DEFAULTS[name]);
  }
  return out;
}

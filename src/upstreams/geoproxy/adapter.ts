import type { UpstreamAdapter } from '../runtime/adapter';
import { HOUR } from '../runtime/source';
import { GeoproxyClient } from './client';
import { geoproxyConfig, type GeoproxyConfig } from './config';
import { createGeoproxyLoaders, type GeoproxyLoaders } from './loaders';
import { geoproxySandboxRoutes } from './sandbox';

/** Geoproxy Thüringen (OGC WMS 1.1.1/1.3.0, WFS 1.1.0/2.0.0 capabilities). See README.md beside this file. */
export const geoproxyAdapter = {
  name: 'geoproxy',
  config: geoproxyConfig,
  cache: { ttlMs: HOUR, staleWhileRevalidateMs: 6 * HOUR, staleIfErrorMs: 48 * HOUR },
  client: ({ source, config }) => new GeoproxyClient(source, config.services),
  loaders: createGeoproxyLoaders,
  sandbox: geoproxySandboxRoutes,
} satisfies UpstreamAdapter<'geoproxy', GeoproxyConfig, GeoproxyClient, GeoproxyLoaders>;

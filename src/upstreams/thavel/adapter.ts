import type { UpstreamAdapter } from '../runtime/adapter';
import { HOUR, MIN } from '../runtime/source';
import { ThavelClient } from './client';
import { thavelConfig, type ThavelConfig } from './config';
import { createThavelLoaders, type ThavelLoaders } from './loaders';
import { thavelSandboxRoutes } from './sandbox';

/** ThAVEL online-service catalogue (Bereitstelldienst envelope with XZuFi 2.2 objects). See README.md beside this file. */
export const thavelAdapter = {
  name: 'thavel',
  config: thavelConfig,
  cache: { ttlMs: 15 * MIN, staleWhileRevalidateMs: HOUR, staleIfErrorMs: 24 * HOUR },
  client: ({ source }) => new ThavelClient(source),
  loaders: createThavelLoaders,
  sandbox: thavelSandboxRoutes,
} satisfies UpstreamAdapter<'thavel', ThavelConfig, ThavelClient, ThavelLoaders>;

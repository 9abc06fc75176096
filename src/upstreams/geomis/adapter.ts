import type { UpstreamAdapter } from '../runtime/adapter';
import { HOUR } from '../runtime/source';
import { GeomisClient } from './client';
import { geomisConfig, type GeomisConfig } from './config';
import { createGeomisLoaders, type GeomisLoaders } from './loaders';
import { geomisSandboxRoutes } from './sandbox';

/** GeoMIS.Th catalogue (OGC CSW 2.0.2, ISO 19139 records). See README.md beside this file. */
export const geomisAdapter = {
  name: 'geomis',
  config: geomisConfig,
  // Geo metadata changes rarely.
  cache: { ttlMs: HOUR, staleWhileRevalidateMs: 6 * HOUR, staleIfErrorMs: 48 * HOUR },
  client: ({ source }) => new GeomisClient(source),
  loaders: createGeomisLoaders,
  sandbox: geomisSandboxRoutes,
} satisfies UpstreamAdapter<'geomis', GeomisConfig, GeomisClient, GeomisLoaders>;

import { dvdvDirectoryFor } from '../services/dvdv';
import { createDvdvLoaders, type DvdvLoaders } from '../upstreams/dvdv/loaders';
import { createGeomisLoaders, type GeomisLoaders } from '../upstreams/geomis/loaders';
import { createGeoproxyLoaders, type GeoproxyLoaders } from '../upstreams/geoproxy/loaders';
import { createPvogLoaders, type PvogLoaders } from '../upstreams/pvog/loaders';
import { createThavelLoaders, type ThavelLoaders } from '../upstreams/thavel/loaders';
import type { CallContext } from '../upstreams/runtime/source';
import type { Services } from './context';

/**
 * Per-request DataLoaders (DESIGN §4, L0): one set per GraphQL request, so batching and dedupe never
 * mix requests of different callers. Each adapter adds its loaders here.
 */
export interface RequestLoaders {
  pvog: PvogLoaders;
  thavel: ThavelLoaders;
  geomis: GeomisLoaders;
  geoproxy: GeoproxyLoaders;
  dvdv: DvdvLoaders;
}

export function createRequestLoaders(services: Services, call: CallContext): RequestLoaders {
  return {
    pvog: createPvogLoaders(services.upstreams.pvog, call),
    thavel: createThavelLoaders(services.upstreams.thavel, call),
    geomis: createGeomisLoaders(services.upstreams.geomis, call),
    geoproxy: createGeoproxyLoaders(services.upstreams.geoproxy, call, services.geoproxyServices),
    dvdv: createDvdvLoaders(() => dvdvDirectoryFor(services), call),
  };
}

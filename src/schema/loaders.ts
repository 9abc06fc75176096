import { createPvogLoaders, type PvogLoaders } from '../upstreams/pvog/loaders';
import type { CallContext } from '../upstreams/runtime/source';
import type { Services } from './context';

/**
 * Per-request DataLoaders (DESIGN §4, L0): one set per GraphQL request, so batching and dedupe never
 * mix requests of different callers. Each adapter adds its loaders here.
 */
export interface RequestLoaders {
  pvog: PvogLoaders;
}

export function createRequestLoaders(services: Services, call: CallContext): RequestLoaders {
  return {
    pvog: createPvogLoaders(services.upstreams.pvog, call),
  };
}

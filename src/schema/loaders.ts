import type { CallContext } from '../upstreams/runtime/source';
import type { Services } from './context';

/**
 * Per-request DataLoaders (DESIGN §4, L0): one set per GraphQL request, so batching and dedupe never
 * mix requests of different callers. Each adapter adds its loaders here.
 */
export interface RequestLoaders {}

export function createRequestLoaders(_services: Services, _call: CallContext): RequestLoaders {
  return {};
}

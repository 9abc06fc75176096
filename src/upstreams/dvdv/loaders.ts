import DataLoader from 'dataloader';
import type { CallContext, Provenanced } from '../runtime/source';
import type { AuthorityLookup, DvdvDirectory, ServiceLookup, ServiceResult } from './client';
import type { OrganizationDto } from './mapper/directory';

/**
 * Per-request DataLoaders for DVDV (DESIGN §4, L0). Lookups collected in one tick go out as one batch
 * POST (≤ 200 per chunk); a single lookup uses the GET form, which also carries the 204 warning header.
 */
export interface DvdvLoaders {
  authority: DataLoader<AuthorityLookup, Provenanced<OrganizationDto | null>, string>;
  service: DataLoader<ServiceLookup, Provenanced<ServiceResult>, string>;
}

const authorityKey = (q: AuthorityLookup) => `${q.category}\u0000${q.organizationKey}`;
const serviceKey = (q: ServiceLookup) => `${q.organizationKey}\u0000${q.serviceUri}`;

function spread<T>(chunks: Provenanced<(T | null)[]>[]): Provenanced<T | null>[] {
  return chunks.flatMap((c) => c.value.map((value) => ({ value, provenance: c.provenance })));
}

export function createDvdvLoaders(directory: DvdvDirectory, call: CallContext): DvdvLoaders {
  return {
    authority: new DataLoader(
      async (qs) => {
        if (qs.length === 1) return [await directory.findAuthority(qs[0], call)];
        return spread(await directory.findAuthoritiesBatch([...qs], call));
      },
      { cacheKeyFn: authorityKey, maxBatchSize: 1000 },
    ),
    service: new DataLoader(
      async (qs) => {
        if (qs.length === 1) return [await directory.findService(qs[0], call)];
        // The batch form answers null for "none valid" without the warning header: a caller that needs
        // the warning asks for that one service alone (directoryService), which takes the GET path.
        return spread(await directory.findServicesBatch([...qs], call)).map((r) => ({ value: { service: r.value, warning: null }, provenance: r.provenance }));
      },
      { cacheKeyFn: serviceKey, maxBatchSize: 1000 },
    ),
  };
}

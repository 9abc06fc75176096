import type { CallContext, Provenanced } from '../runtime/source';
import type { ThavelClient } from './client';
import type { Catalogue } from './mapper';

/**
 * Per-request access to the ThAVEL catalogue: read at most once per GraphQL request, however many
 * municipalities, services or units ask (pages themselves are shared across requests by the data cache).
 */
export interface ThavelLoaders {
  client: ThavelClient;
  catalogue(): Promise<Provenanced<Catalogue>>;
}

export function createThavelLoaders(client: ThavelClient, call: CallContext): ThavelLoaders {
  let pending: Promise<Provenanced<Catalogue>> | undefined;
  return {
    client,
    catalogue: () => (pending ??= client.list(call)),
  };
}

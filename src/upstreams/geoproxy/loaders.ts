import DataLoader from 'dataloader';
import { settlePerKey } from '../runtime/batch';
import type { CallContext, Provenanced } from '../runtime/source';
import type { OgcCapabilities } from './capabilities';
import type { GeoproxyClient } from './client';

export interface GeoproxyLoaders {
  client: GeoproxyClient;
  /** Capabilities per configured service name; each service is fetched at most once per request. */
  capabilities: DataLoader<string, Provenanced<OgcCapabilities>, string>;
}

export function createGeoproxyLoaders(client: GeoproxyClient, call: CallContext): GeoproxyLoaders {
  return {
    client,
    capabilities: new DataLoader((names) => settlePerKey(names, (n) => client.capabilities(n, call))),
  };
}

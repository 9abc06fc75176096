import DataLoader from 'dataloader';
import { settlePerKey } from '../runtime/batch';
import type { CallContext, Provenanced, UpstreamSource } from '../runtime/source';
import type { OgcCapabilities } from './capabilities';
import { GeoproxyClient, type GeoproxyServiceConfig } from './client';

export interface GeoproxyLoaders {
  client: GeoproxyClient;
  /** Capabilities per configured service name; each service is fetched at most once per request. */
  capabilities: DataLoader<string, Provenanced<OgcCapabilities>, string>;
}

export function createGeoproxyLoaders(source: UpstreamSource, call: CallContext, services: readonly GeoproxyServiceConfig[]): GeoproxyLoaders {
  const client = new GeoproxyClient(source, services);
  return {
    client,
    capabilities: new DataLoader((names) => settlePerKey(names, (n) => client.capabilities(n, call))),
  };
}

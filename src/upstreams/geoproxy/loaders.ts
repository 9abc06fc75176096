import DataLoader from 'dataloader';
import { settlePerKey } from '../runtime/batch';
import { orSnapshot, shape } from '../runtime/fallback';
import type { CallContext, Provenanced } from '../runtime/source';
import type { OgcCapabilities } from './capabilities';
import type { GeoproxyClient } from './client';

export interface GeoproxyLoaders {
  client: GeoproxyClient;
  /** Capabilities per configured service name; each service is fetched at most once per request. */
  capabilities: DataLoader<string, Provenanced<OgcCapabilities>, string>;
}

/** Item key of a service's capabilities in a harvest snapshot (src/harvest/items.ts). */
const snapshotKey = (name: string) => `capabilities:${name}`;

/** The stored capabilities of the service, in the shape the parser gives; anything else is not served. */
function capabilities(name: string, p: unknown): OgcCapabilities | undefined {
  if (!shape.obj(p) || !shape.obj(p.service) || p.service.name !== name || !shape.obj(p.capabilities)) return undefined;
  const c = p.capabilities;
  const ok =
    shape.str(c.kind) && shape.str(c.version) && shape.strOrNull(c.title) && shape.strings(c.keywords) && shape.arr(c.operations) && shape.strings(c.outputFormats) &&
    shape.arr(c.layers) && c.layers.every((l) => shape.obj(l) && shape.arr(l.metadataUrls));
  return ok ? (c as unknown as OgcCapabilities) : undefined;
}

export function createGeoproxyLoaders(client: GeoproxyClient, call: CallContext): GeoproxyLoaders {
  return {
    client,
    capabilities: new DataLoader((names) =>
      settlePerKey(names, (n) =>
        orSnapshot(call, 'geoproxy', () => client.capabilities(n, call), [snapshotKey(n)], ([s]) => {
          const item = s.items.find((i) => i.key === snapshotKey(n));
          return item && capabilities(n, item.payload);
        }),
      ),
    ),
  };
}

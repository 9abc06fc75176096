import type { Config } from '../config/config';
import type { Logger } from '../observability/log';
import type { Database } from '../persistence/orm';
import { municipalityDirectory } from '../reference/municipalities';
import type { SandboxWorld } from '../sandbox';
import type { AdapterClients } from '../upstreams/registry';
import type { UpstreamName } from '../upstreams/runtime/names';
import type { UpstreamSource } from '../upstreams/runtime/source';
import { collectFromUpstreams } from './collect';
import { collectFromSnapshot } from './from-snapshot';
import type { ConformanceInput } from './input';
import { Prober } from './probes';
import { sandboxUrlAliases } from './sandbox-aliases';
import { ConformanceService } from './service';

export interface ConformanceWiring {
  config: Pick<Config, 'upstreams' | 'conformanceProbeHosts'>;
  db: Database;
  upstreams: { clients: AdapterClients; sources: Record<UpstreamName, UpstreamSource> };
  sandboxes?: SandboxWorld;
  logger?: Logger;
}

/**
 * The live prober of a run: configured upstream origins plus CONFORMANCE_PROBE_HOSTS, nothing else. The gateway's own
 * loopback sandboxes (embedded mode) are not spaced per host: they stand for many web hosts at once (P-3b links).
 */
export function proberFor(input: ConformanceInput, allowHosts: readonly string[], sources: Record<UpstreamName, UpstreamSource>, sandboxOrigins: readonly string[] = []): Prober {
  return new Prober({
    upstreamOrigins: Object.values(sources).map((s) => new URL(s.client.baseUrl).origin),
    allowHosts,
    aliases: input.urlAliases,
    unthrottledOrigins: sandboxOrigins,
  });
}

/**
 * Built once in the composition root (src/server/gateway.ts): runs read the latest harvest snapshot, and what it lacks
 * (or everything, before the first harvest) from the configured upstreams through the gateway's clients.
 */
export function createConformanceService(w: ConformanceWiring): ConformanceService {
  const sandboxUrls = Object.fromEntries(
    (Object.keys(w.config.upstreams) as UpstreamName[]).filter((n) => w.config.upstreams[n].kind === 'sandbox' && w.sandboxes?.urls[n]).map((n) => [n, w.sandboxes!.urls[n]]),
  ) as Partial<Record<UpstreamName, string>>;
  // Against the sandbox DVDV, certificate ages are measured at the world's reference date (its data is relative to it).
  const asOf = sandboxUrls.dvdv && w.sandboxes ? new Date(`${w.sandboxes.world.asOf}T00:00:00Z`) : undefined;
  return new ConformanceService({
    db: w.db,
    logger: w.logger,
    // Over the latest harvest snapshot (issue 12); live collection only before the first harvest.
    input: async ({ signal }) => {
      const opts = {
        clients: w.upstreams.clients,
        sources: w.upstreams.sources,
        municipalities: municipalityDirectory().all,
        asOf,
        urlAliases: sandboxUrlAliases(sandboxUrls),
        signal,
      };
      return (await collectFromSnapshot({ ...opts, db: w.db })) ?? collectFromUpstreams(opts);
    },
    prober: (input) => proberFor(input, w.config.conformanceProbeHosts, w.upstreams.sources, Object.values(sandboxUrls).filter((u): u is string => !!u)),
  });
}

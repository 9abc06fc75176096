import { createCache } from '../../src/cache';
import { collectFromUpstreams } from '../../src/conformance/collect';
import { sandboxUrlAliases } from '../../src/conformance/sandbox-aliases';
import type { ConformanceInput } from '../../src/conformance/input';
import { createLogger } from '../../src/observability/log';
import { municipalityDirectory } from '../../src/reference/municipalities';
import { startSandboxes, type SandboxWorld } from '../../src/sandbox';
import { loadConfig } from '../../src/server/config';
import { buildUpstreams } from '../../src/server/gateway';
import { UPSTREAMS, type UpstreamName } from '../../src/upstreams/runtime/names';

/** The sandbox world's upstreams over real sockets, read by the live producer exactly as `thuegate check` does. */
export async function collectSandbox(): Promise<{ sandboxes: SandboxWorld; input: ConformanceInput; close(): Promise<void> }> {
  const sandboxes = await startSandboxes();
  const config = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const cache = createCache({ maxBytes: 64 << 20 });
  const urls = Object.fromEntries(UPSTREAMS.map((n) => [n, [sandboxes.urls[n]]])) as Record<UpstreamName, string[]>;
  const upstreams = buildUpstreams(config, urls, cache, createLogger('silent'));
  const input = await collectFromUpstreams({
    clients: upstreams.clients,
    sources: upstreams.sources,
    municipalities: municipalityDirectory().all,
    asOf: new Date(`${sandboxes.world.asOf}T00:00:00Z`),
    concurrency: 16,
    urlAliases: sandboxUrlAliases(sandboxes.urls),
  });
  return {
    sandboxes,
    input,
    close: async () => {
      await Promise.all(Object.values(upstreams.sources).map((s) => s.client.close()));
      await cache.close();
      await sandboxes.close();
    },
  };
}

import { graphql, type ExecutionResult } from 'graphql';
import { createCache } from '../../../src/cache';
import { createLogger } from '../../../src/observability/log';
import type { SandboxWorld } from '../../../src/sandbox';
import { gatewaySchema } from '../../../src/schema/build';
import type { GatewayContext } from '../../../src/schema/context';
import { createRequestContext } from '../../../src/schema/context-factory';
import { loadConfig } from '../../../src/server/config';
import { buildServices, buildUpstreams } from '../../../src/server/gateway';
import { PVOG_PAGE_SIZE, PVOG_PATHS, PvogClient } from '../../../src/upstreams/pvog/client';
import { UPSTREAMS, type UpstreamName } from '../../../src/upstreams/runtime/names';

export interface PvogGraph {
  /** `operation|key` of every call the PVOG client made into the data cache: what the cache cannot hide. */
  calls: string[];
  exec(query: string): Promise<{ result: ExecutionResult; ctx: GatewayContext }>;
  close(): Promise<void>;
}

/**
 * The gateway schema over the PVOG sandbox on a loopback socket, with a fresh data cache (nothing an earlier test
 * fetched is served) and a recorder of the client's calls into the cache layer.
 */
export function pvogGraph(sb: SandboxWorld, pageSize = PVOG_PAGE_SIZE): PvogGraph {
  const config = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const urls = Object.fromEntries(UPSTREAMS.map((n) => [n, [sb.urls[n] ?? 'http://127.0.0.1:9']])) as Record<UpstreamName, string[]>;
  const cache = createCache({ maxBytes: 16 << 20 });
  const upstreams = buildUpstreams(config, urls, cache, createLogger('silent'));
  const source = upstreams.sources.pvog;
  const calls: string[] = [];
  const fetch = source.fetch.bind(source);
  source.fetch = (call, ctx) => (calls.push(`${call.operation}|${call.key}`), fetch(call, ctx));
  upstreams.clients.pvog = new PvogClient(source, PVOG_PATHS, pageSize);
  const services = buildServices(config, upstreams, cache, () => 0);
  let n = 0;
  return {
    calls,
    async exec(query) {
      const ctx = createRequestContext(services, { requestId: `p${++n}`, role: 'public', signal: new AbortController().signal, deadline: Date.now() + 30_000 });
      const result = (await graphql({ schema: gatewaySchema(), source: query, contextValue: ctx })) as ExecutionResult;
      return { result, ctx };
    },
    close: async () => {
      await Promise.all(Object.values(upstreams.sources).map((u) => u.client.close()));
      await cache.close();
    },
  };
}

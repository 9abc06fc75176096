import { graphql, type ExecutionResult } from 'graphql';
import { createCache } from '../../../src/cache';
import { createLogger } from '../../../src/observability/log';
import { startSandboxes, type SandboxWorld } from '../../../src/sandbox';
import { gatewaySchema } from '../../../src/schema/build';
import type { GatewayContext, Role, Services } from '../../../src/schema/context';
import { buildServices, buildUpstreams } from '../../../src/server/gateway';
import { createRequestContext } from '../../../src/schema/context-factory';
import { UPSTREAMS, type UpstreamName } from '../../../src/upstreams/runtime/names';
import { loadConfig } from '../../../src/server/config';

export const XMELD = 'http://www.osci.de/xmeld2605/xmeld2605Personensuche.wsdl';
export const XHD15 = 'http://www.bsi.de/trxhd/1.5/wsdl/xhd15Dh2BehServiceOsci.wsdl';

export interface DvdvHarness {
  sandboxes: SandboxWorld;
  services: Services;
  /** Executes against the gateway schema with a context of the given role (the path the HTTP server takes after authentication). */
  exec(query: string, role: Role, variables?: Record<string, unknown>): Promise<ExecutionResult>;
  close(): Promise<void>;
}

/**
 * The gateway schema and services over real loopback sandboxes, without the HTTP server: role-dependent
 * behaviour of the schema itself, independent of how a role is authenticated.
 */
export async function startDvdvHarness(opts: { withPvog?: boolean } = {}): Promise<DvdvHarness> {
  const sandboxes = await startSandboxes({ only: opts.withPvog ? ['dvdv', 'pvog'] : ['dvdv'] });
  const config = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const urls = Object.fromEntries(UPSTREAMS.map((n) => [n, [sandboxes.urls[n] ?? 'http://127.0.0.1:9']])) as Record<UpstreamName, string[]>;
  const cache = createCache({ maxBytes: 32 << 20 });
  const upstreams = buildUpstreams(config, urls, cache, createLogger('silent'));
  // The default configuration: every upstream in sandbox mode, no admin token, not production.
  const services = buildServices(config, upstreams, cache, () => 0);
  let n = 0;
  return {
    sandboxes,
    services,
    exec: (query, role, variables) => {
      const call = { signal: new AbortController().signal, deadline: Date.now() + 10_000 };
      const contextValue: GatewayContext = createRequestContext(services, { requestId: `t${++n}`, role, ...call });
      return graphql({ schema: gatewaySchema(), source: query, contextValue, variableValues: variables }) as Promise<ExecutionResult>;
    },
    close: async () => {
      await Promise.all(Object.values(upstreams.sources).map((u) => u.client.close()));
      await cache.close();
      await sandboxes.close();
    },
  };
}

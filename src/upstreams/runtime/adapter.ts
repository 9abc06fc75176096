import type { DataCache } from '../../cache';
import type { AdapterConfigBase, ConfigSection } from '../../config/config';
import type { Logger } from '../../observability/log';
import type { SandboxRoute } from '../../sandbox/http';
import type { World } from '../../sandbox/world/types';
import { createUpstreamClient, type UpstreamClient, type UpstreamClientConfig } from './http';
import type { FreeTextGuard } from './free-text';
import type { UpstreamName } from './names';
import { UpstreamSource, type CallContext, type SourceDefaults } from './source';

/** Whether an upstream is the in-process sandbox or a configured real endpoint. */
export type UpstreamMode = 'sandbox' | 'configured';

/** Runtime settings the composition root gives every upstream's HTTP client. */
export type HttpSettings = Omit<UpstreamClientConfig, 'baseUrl'>;

/** What an adapter's client is built from, once per process, in the composition root (src/server/gateway.ts). */
export interface AdapterSetup<Cfg> {
  /** The adapter's own validated configuration section. */
  config: Cfg;
  /** Its HTTP client behind the shared data cache: every upstream call goes through here. */
  source: UpstreamSource;
  mode: UpstreamMode;
}

/**
 * The contract every upstream adapter (src/upstreams/<name>/adapter.ts) implements, so the composition root,
 * the per-request context, the sandbox and the harvester treat the five upstreams alike:
 *
 * - `config`: the variables it reads and their parser (the core config never imports an adapter);
 * - `cache`: default freshness of its answers in the shared data cache;
 * - `http`/`transport`: adapter-specific HTTP settings (headers, throttles) and, if needed, its own transport
 *   over several base URLs — always built from the shared runtime, so errors are wrapped only there;
 * - `client`: built once per process; mappers sit beside it and validate every upstream value;
 * - `loaders`: the per-request DataLoaders, built lazily the first time a request touches this upstream;
 * - `sandbox`: the routes of its protocol-faithful local server over the sandbox world.
 */
export interface UpstreamAdapter<N extends UpstreamName = UpstreamName, Cfg extends AdapterConfigBase = AdapterConfigBase, Client = unknown, Loaders = unknown> {
  readonly name: N;
  readonly config: ConfigSection<Cfg>;
  readonly cache: SourceDefaults;
  http?(config: Cfg, mode: UpstreamMode): Partial<UpstreamClientConfig>;
  transport?(baseUrls: readonly string[], settings: HttpSettings): UpstreamClient;
  client(setup: AdapterSetup<Cfg>): Client;
  loaders(client: Client, call: CallContext): Loaders;
  sandbox(world: World): SandboxRoute[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = UpstreamAdapter<UpstreamName, any, any, any>;
export type ClientOf<A extends AnyAdapter> = ReturnType<A['client']>;
export type LoadersOf<A extends AnyAdapter> = ReturnType<A['loaders']>;

export interface SourceDeps {
  baseUrls: readonly string[];
  mode: UpstreamMode;
  cache: DataCache;
  logger: Logger;
  production: boolean;
  requestTimeoutMs: number;
  /** Short lifetime and per-client bound for answers to free-text searches (shared by all upstreams). */
  freeText?: FreeTextGuard;
}

/** The adapter's HTTP client (shared runtime: pool, timeouts, retries, breaker, typed errors) behind the data cache. */
export function createSource<Cfg extends AdapterConfigBase>(adapter: UpstreamAdapter<UpstreamName, Cfg, unknown, unknown>, config: Cfg, deps: SourceDeps): UpstreamSource {
  const settings: HttpSettings = {
    name: adapter.name,
    production: deps.production,
    timeouts: { defaultDeadlineMs: deps.requestTimeoutMs },
    logger: deps.logger,
    ...adapter.http?.(config, deps.mode),
  };
  const client = adapter.transport ? adapter.transport(deps.baseUrls, settings) : createUpstreamClient({ ...settings, baseUrl: deps.baseUrls[0] });
  return new UpstreamSource(adapter.name, client, deps.cache, adapter.cache, deps.freeText);
}

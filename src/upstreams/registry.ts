import type { AnyAdapter, ClientOf, LoadersOf } from './runtime/adapter';
import type { UpstreamName } from './runtime/names';
import type { SourceDefaults } from './runtime/source';
import { dvdvAdapter } from './dvdv/adapter';
import { geomisAdapter } from './geomis/adapter';
import { geoproxyAdapter } from './geoproxy/adapter';
import { pvogAdapter } from './pvog/adapter';
import { thavelAdapter } from './thavel/adapter';

/**
 * The one place an upstream is registered: its adapter (src/upstreams/<name>/adapter.ts) in this table. The
 * composition root builds each client from here, the context factory its loaders, the configuration reads
 * its section, and the sandbox starts its server. (A new name also goes into runtime/names.ts, which the
 * type of this table demands.)
 */
export const ADAPTERS = {
  pvog: pvogAdapter,
  thavel: thavelAdapter,
  geomis: geomisAdapter,
  geoproxy: geoproxyAdapter,
  dvdv: dvdvAdapter,
} as const satisfies { [N in UpstreamName]: AnyAdapter & { name: N } };

export type Adapters = typeof ADAPTERS;
/** The clients, built once per process in the composition root. */
export type AdapterClients = { [N in UpstreamName]: ClientOf<Adapters[N]> };
/** The per-request DataLoaders of every upstream (each built on first use in a request). */
export type RequestLoaders = { [N in UpstreamName]: LoadersOf<Adapters[N]> };

/** Freshness per upstream, from each adapter (the cache hints of the schema derive from these). */
export const SOURCE_DEFAULTS = Object.fromEntries(Object.values(ADAPTERS).map((a) => [a.name, a.cache])) as Record<UpstreamName, SourceDefaults>;

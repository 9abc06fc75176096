import { DvdvService } from '../services/dvdv';
import { GeoService } from '../services/geo';
import { OnlineServicesService } from '../services/online-services';
import { PortalService } from '../services/portal';
import { ADAPTERS, type RequestLoaders } from '../upstreams/registry';
import type { AnyAdapter } from '../upstreams/runtime/adapter';
import { UPSTREAMS } from '../upstreams/runtime/names';
import type { CallContext, FallbackNotice } from '../upstreams/runtime/source';
import type { GatewayContext, RequestInit, Services } from './context';

/** Defines `key` on `target` as built by `make` on first read, then kept (a plain property from then on). */
function lazy<T extends object, K extends keyof T>(target: T, key: K, make: () => T[K]): void {
  Object.defineProperty(target, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(target, key, { value, enumerable: true, writable: false, configurable: false });
      return value;
    },
  });
}

/** Each upstream's DataLoaders, built from its adapter the first time the request reads them. */
export function createRequestLoaders(services: Pick<Services, 'clients'>, call: CallContext): RequestLoaders {
  const loaders = {} as RequestLoaders;
  for (const name of UPSTREAMS) {
    const adapter: AnyAdapter = ADAPTERS[name];
    lazy(loaders, name, () => adapter.loaders(services.clients[name], call));
  }
  return loaders;
}

/**
 * The per-request context: everything a request needs beyond the long-lived services, built here and only
 * here (no WeakMaps keyed on the context, no state on the response). Nothing is built before it is used.
 * The lazy members are getters on the prototype over one shared `built` record: Apollo Server shallow-clones
 * the context per operation (`Object.assign(Object.create(proto), ctx)`), which copies `built` by reference
 * and must not run the getters.
 */
class RequestContext implements GatewayContext {
  readonly requestId: string;
  readonly role: GatewayContext['role'];
  readonly client?: string;
  readonly signal: AbortSignal;
  readonly deadline: number;
  readonly onStale: () => void;
  /** Marked when an upstream call of this request served stale data: the response cache then does not store the answer. */
  readonly response: { servedStale: boolean; fallbacks?: FallbackNotice[] } = { servedStale: false };
  readonly loaders: RequestLoaders;
  private readonly built: Partial<Pick<GatewayContext, 'portal' | 'onlineServices' | 'geo' | 'directory' | 'em'>> = {};

  constructor(
    readonly services: Services,
    init: RequestInit,
  ) {
    this.requestId = init.requestId;
    this.role = init.role;
    this.client = init.client;
    this.signal = init.signal;
    this.deadline = init.deadline;
    const outer = init.onStale;
    this.onStale = () => {
      this.response.servedStale = true;
      outer?.();
    };
    this.loaders = createRequestLoaders(services, this.call);
  }

  /** Answers taken from the harvest snapshot because an upstream was down: listed in the response (server/plugins/fallback-warnings.ts). */
  private readonly onFallback = (notice: FallbackNotice): void => {
    (this.response.fallbacks ??= []).push(notice);
  };

  /** What every upstream call of this request inherits. */
  get call(): CallContext {
    return { signal: this.signal, deadline: this.deadline, onStale: this.onStale, client: this.client, snapshot: this.services.snapshot, onFallback: this.onFallback };
  }

  get portal(): PortalService {
    return (this.built.portal ??= new PortalService(this.services.municipalities, this.loaders.pvog));
  }

  get onlineServices(): OnlineServicesService {
    return (this.built.onlineServices ??= new OnlineServicesService(this.portal, this.loaders.pvog, this.loaders.thavel));
  }

  get geo(): GeoService {
    return (this.built.geo ??= new GeoService(this.loaders.geomis, this.loaders.geoproxy, this.call));
  }

  get directory(): DvdvService {
    return (this.built.directory ??= new DvdvService(this.services.clients.dvdv, this.loaders.dvdv, this.call));
  }

  get em(): GatewayContext['em'] {
    if (!this.services.db) throw new Error('no database in this context');
    return (this.built.em ??= this.services.db.orm.em.fork());
  }
}

export function createRequestContext(services: Services, init: RequestInit): GatewayContext {
  return new RequestContext(services, init);
}

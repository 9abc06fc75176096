import type { RequestTrace } from '../observability/tracing';
import { DvdvService } from '../services/dvdv';
import { GeoService } from '../services/geo';
import { OnlineServicesService } from '../services/online-services';
import { PortalService } from '../services/portal';
import { ADAPTERS, type RequestLoaders } from '../upstreams/registry';
import type { AnyAdapter } from '../upstreams/runtime/adapter';
import { UPSTREAMS } from '../upstreams/runtime/names';
import type { CallContext, FallbackNotice } from '../upstreams/runtime/source';
import type { GatewayContext, RequestInit, Services } from './context';

/**
 * Each upstream's DataLoaders, built from its adapter the first time the request reads them. The getters live on
 * the prototype (defined once), not on each request's object: defining properties per request cost a warm
 * request more than building the loaders it reads (issue 15).
 */
class LazyLoaders {
  readonly built: Partial<Record<keyof RequestLoaders, unknown>> = {};
  constructor(
    readonly services: Pick<Services, 'clients'>,
    readonly call: CallContext,
  ) {}
}
for (const name of UPSTREAMS) {
  const adapter: AnyAdapter = ADAPTERS[name];
  Object.defineProperty(LazyLoaders.prototype, name, {
    get(this: LazyLoaders) {
      return (this.built[name] ??= adapter.loaders(this.services.clients[name], this.call));
    },
  });
}

export function createRequestLoaders(services: Pick<Services, 'clients'>, call: CallContext): RequestLoaders {
  return new LazyLoaders(services, call) as unknown as RequestLoaders;
}

/** The upstreams whose loaders a request has built so far (nothing is built before it is read). */
export function builtLoaders(loaders: RequestLoaders): (keyof RequestLoaders)[] {
  return UPSTREAMS.filter((name) => (loaders as unknown as LazyLoaders).built[name] !== undefined);
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
  readonly deadline: number;
  readonly trace?: RequestTrace;
  /** What every upstream call of this request inherits. */
  readonly call: CallContext;
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
    this.deadline = init.deadline;
    this.trace = init.trace;
    this.init = init;
    const outer = init.onStale;
    this.onStale = () => {
      this.response.servedStale = true;
      outer?.();
    };
    // `signal` stays a getter: the HTTP layer makes the signal on first read (server/context.ts).
    this.call = {
      get signal() {
        return init.signal;
      },
      aborted: () => (init.aborted ? init.aborted() : init.signal.aborted),
      deadline: this.deadline,
      onStale: this.onStale,
      client: this.client,
      snapshot: services.snapshot,
      onFallback: this.onFallback,
      trace: this.trace,
    };
    this.loaders = createRequestLoaders(services, this.call);
  }

  private readonly init: RequestInit;

  get signal(): AbortSignal {
    return this.init.signal;
  }

  aborted(): boolean {
    return this.call.aborted!();
  }

  /** Answers taken from the harvest snapshot because an upstream was down: listed in the response (server/plugins/fallback-warnings.ts). */
  private readonly onFallback = (notice: FallbackNotice): void => {
    (this.response.fallbacks ??= []).push(notice);
  };

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

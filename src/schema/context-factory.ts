import { DvdvService } from '../services/dvdv';
import { GeoService } from '../services/geo';
import { OnlineServicesService } from '../services/online-services';
import { PortalService } from '../services/portal';
import { ADAPTERS, type RequestLoaders } from '../upstreams/registry';
import type { AnyAdapter } from '../upstreams/runtime/adapter';
import { UPSTREAMS } from '../upstreams/runtime/names';
import type { CallContext } from '../upstreams/runtime/source';
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
 */
export function createRequestContext(services: Services, init: RequestInit): GatewayContext {
  const call: CallContext = { signal: init.signal, deadline: init.deadline, onStale: init.onStale };
  const ctx = { ...init, services, loaders: createRequestLoaders(services, call) } as GatewayContext;
  lazy(ctx, 'portal', () => new PortalService(services.municipalities, ctx.loaders.pvog));
  lazy(ctx, 'onlineServices', () => new OnlineServicesService(ctx.portal, ctx.loaders.pvog, ctx.loaders.thavel));
  lazy(ctx, 'geo', () => new GeoService(ctx.loaders.geomis, ctx.loaders.geoproxy, call));
  lazy(ctx, 'directory', () => new DvdvService(services.clients.dvdv, ctx.loaders.dvdv, call));
  lazy(ctx, 'em', () => {
    if (!services.db) throw new Error('no database in this context');
    return services.db.orm.em.fork();
  });
  return ctx;
}

import type { GatewayContext } from './context';

/**
 * A service built once per GraphQL request over that request's loaders, so every resolver of the request
 * shares its batching; keyed weakly on the context so it goes when the request does.
 */
export function perRequest<T>(make: (ctx: GatewayContext) => T): (ctx: GatewayContext) => T {
  const built = new WeakMap<GatewayContext, T>();
  return (ctx) => {
    let v = built.get(ctx);
    if (v === undefined) built.set(ctx, (v = make(ctx)));
    return v;
  };
}

import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';

/** The request hooks our own plugins use; anything else is refused at the first request rather than dropped. */
const HOOKS = ['didResolveOperation', 'didEncounterErrors', 'executionDidStart', 'willSendResponse'] as const;
type Hook = (typeof HOOKS)[number];
const SUPPORTED = new Set<string>(HOOKS);

/**
 * Several request-scoped plugins installed as one (issue 15). Apollo calls every listener at every stage of every
 * request (six stages, one `responseForOperation` await per listener), whether it defines the hook or not; the
 * combined listener defines only the hooks some plugin has and calls exactly those, in the plugins' order and
 * concurrently as Apollo does (`Promise.all`: all start, the first rejection wins). Listed where the plugins stood,
 * so their order relative to the other plugins is unchanged.
 */
export function combinePlugins<TContext extends BaseContext>(plugins: readonly ApolloServerPlugin<TContext>[]): ApolloServerPlugin<TContext> {
  for (const p of plugins) {
    const other = Object.keys(p).filter((k) => k !== 'requestDidStart');
    if (other.length) throw new Error(`combinePlugins: only requestDidStart is supported, not ${other.join(', ')}`);
  }
  return {
    async requestDidStart(requestContext) {
      const listeners = (await Promise.all(plugins.map((p) => p.requestDidStart?.(requestContext)))).filter((l): l is GraphQLRequestListener<TContext> => !!l);
      const combined: GraphQLRequestListener<TContext> = {};
      for (const l of listeners) {
        for (const k of Object.keys(l)) if (!SUPPORTED.has(k)) throw new Error(`combinePlugins: request hook ${k} is not supported`);
      }
      for (const hook of HOOKS) {
        const having = listeners.filter((l) => l[hook]);
        if (having.length) Object.assign(combined, { [hook]: hook === 'executionDidStart' ? executionDidStart(having) : allOf(having, hook) });
      }
      return combined;
    },
  };
}

function allOf<TContext extends BaseContext>(listeners: GraphQLRequestListener<TContext>[], hook: Exclude<Hook, 'executionDidStart'>) {
  return async (ctx: unknown): Promise<void> => {
    await Promise.all(listeners.map((l) => (l[hook] as (c: unknown) => Promise<void>).call(l, ctx)));
  };
}

/** Execution listeners (per-field hooks) are not merged: at most one of the combined plugins may return one. */
function executionDidStart<TContext extends BaseContext>(listeners: GraphQLRequestListener<TContext>[]) {
  return async (ctx: unknown) => {
    const started = (await Promise.all(listeners.map((l) => (l.executionDidStart as (c: unknown) => Promise<unknown>).call(l, ctx)))).filter((x) => x);
    if (started.length > 1) throw new Error('combinePlugins: more than one execution listener');
    return started[0] as Awaited<ReturnType<NonNullable<GraphQLRequestListener<TContext>['executionDidStart']>>>;
  };
}

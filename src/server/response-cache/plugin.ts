import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { ResponseKeys } from './keys';
import { counted, hitHeaders, ifNoneMatch, type StoredResponse, type StoreRefusal } from './store';

/** What the plugin uses of the response cache (index.ts's ResponseCache): declared here so the two do not import each other. */
export interface PluginResponseCache {
  readonly keys: ResponseKeys;
  readonly epoch: number;
  now(): number;
  lookup(key: string): StoredResponse | undefined | Promise<StoredResponse | undefined>;
  save(key: string, body: Buffer, maxAgeSeconds: number, epoch: number, refusal?: StoreRefusal): StoredResponse | undefined;
}

/** What the plugin needs from the per-request context: the caller's role (resolved once) and whether stale data was used. */
export interface ResponseCacheContext {
  role: string;
  /** Set by the upstream calls of this request when they served stale data (stale-while-revalidate, stale-if-error). */
  response?: { servedStale: boolean };
}

/**
 * The response cache inside Apollo, for every request the hot path did not answer (GET, first request of an API
 * key, misses). Apollo has already applied its CSRF prevention and body handling when this runs. Hits are
 * answered in `responseForOperation`, so nothing is executed; what gets stored is decided after
 * execution from Apollo's cache-control policy (ApolloServerPluginCacheControl, which must run in the
 * same server): only queries, HTTP 200, no `errors`, PUBLIC scope, max-age > 0, no stale upstream data.
 */
export function responseCachePlugin(cache: PluginResponseCache): ApolloServerPlugin<ResponseCacheContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const key = cache.keys.keyFor(request, contextValue.role);
      if (!key) {
        counted.bypass.inc();
        return {};
      }
      const epoch = cache.epoch;
      const hit = await cache.lookup(key);
      return {
        async responseForOperation() {
          if (!hit) return null;
          const headers = new HeaderMap(hitHeaders(hit, cache.now()));
          const notModified = request.http?.method === 'GET' && ifNoneMatch(request.http.headers.get('if-none-match'), hit.etag);
          return {
            http: { status: notModified ? 304 : 200, headers },
            body: { kind: 'single', singleResult: JSON.parse(hit.body.toString('utf8')) as FormattedExecutionResult },
          };
        },
        async willSendResponse(ctx) {
          if (hit) return;
          ctx.response.http.headers.set('x-cache', 'MISS');
          const result = ctx.response.body.kind === 'single' ? ctx.response.body.singleResult : undefined;
          const policy = ctx.overallCachePolicy.policyIfCacheable();
          const refused = refusal(ctx, result);
          // Apollo's own serialisation (runHttpQuery: ordered fields, JSON + newline), so a hit sends the bytes a miss sent.
          // Only for an answer that will be stored: a refused one (e.g. every executed request with an unhinted
          // field) is not serialised a second time (issue 15).
          const bytes = result && !refused ? Buffer.from(`${JSON.stringify({ data: result.data, extensions: result.extensions })}\n`, 'utf8') : EMPTY;
          const stored = cache.save(key, bytes, policy?.maxAge ?? 0, epoch, refused);
          if (stored) ctx.response.http.headers.set('etag', stored.etag);
        },
      };
    },
  };
}

const EMPTY = Buffer.alloc(0);

function refusal(ctx: GraphQLRequestContextWillSendResponse<ResponseCacheContext>, result: FormattedExecutionResult | undefined): StoreRefusal | undefined {
  return storeRefusal({
    status: ctx.response.http.status ?? 200,
    servedStale: ctx.contextValue.response?.servedStale ?? false,
    operation: ctx.operation?.operation,
    hasErrors: !result || !!result.errors?.length,
    policy: ctx.overallCachePolicy.policyIfCacheable(),
  });
}

/** Why an executed answer is not stored (undefined: it is), in the order the reasons are counted. Also the compiled path's. */
export function storeRefusal(a: { status: number; servedStale: boolean; operation: string | undefined; hasErrors: boolean; policy: { maxAge: number; scope: string } | null }): StoreRefusal | undefined {
  if (a.status !== 200) return 'status';
  if (a.servedStale) return 'stale';
  if (a.operation !== 'query') return 'not_query';
  if (a.hasErrors) return 'errors';
  if (!a.policy) return 'max_age_0';
  if (a.policy.scope !== 'PUBLIC') return 'private';
  if (!(a.policy.maxAge > 0)) return 'max_age_0';
  return undefined;
}

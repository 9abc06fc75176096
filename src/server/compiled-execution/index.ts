import type { IncomingMessage, ServerResponse } from 'node:http';
import etag from 'etag';
import { Counter } from 'prom-client';
import { getVariableValues, type GraphQLError, type GraphQLSchema } from 'graphql';
import { metricsRegistry } from '../../observability/metrics';
import { newRequestTrace, newTraceId, type RequestTrace } from '../../observability/tracing';
import type { GatewayContext, Role } from '../../schema/context';
import { cachedOperationCost, type CostLimits } from '../plugins/cost';
import { fallbackWarnings } from '../plugins/fallback-warnings';
import { requestMetrics } from '../plugins/metrics';
import { RequestErrorLog } from '../plugins/request-log';
import type { SampledLog } from '../log-sampler';
import type { RateLimiter, RateLimitClient } from '../protection';
import type { Decision } from '../protection/counters';
import { storeRefusal } from '../response-cache/plugin';
import type { StoreRefusal } from '../response-cache/store';
import { formatErrors, type FormatError } from './errors';
import type { CompiledDocument, CompiledDocuments } from './documents';

export { CompiledDocuments } from './documents';

type HeaderList = readonly (readonly [string, string])[];

export interface CompiledExecutionOptions {
  schema: GraphQLSchema;
  documents: CompiledDocuments;
  /** Maximum operation cost per role (MAX_QUERY_COST): a costlier operation goes to Apollo, which refuses it. */
  costLimits: CostLimits;
  /** The request's GraphQL context, built as for Apollo (server/context.ts), with the given trace (its id is the request id). */
  context(req: IncomingMessage, res: ServerResponse, role: Role, client: string | undefined, trace: RequestTrace): GatewayContext;
  /**
   * Runs `run` in the client's execution share; a refusal is answered as on the regular path, after
   * `beforeRefusal` has set the headers the regular path sets before it gets there (request id, RateLimit).
   */
  admit(req: IncomingMessage, res: ServerResponse, run: () => void, beforeRefusal: () => void): void;
  /** Whether this request must be traced (spans exported, or any `traceparent` to continue): then Apollo's path serves it. */
  traced(req: IncomingMessage): boolean;
  formatError: FormatError;
  includeStacktrace: boolean;
  securityHeaders: HeaderList;
  corsHeaders(origin: string | string[] | undefined): HeaderList;
  rateLimiter?: RateLimiter;
  /** The response cache's refusal counter (the response-cache plugin counts every executed answer it does not store). */
  refused?(refusal: StoreRefusal): void;
  log: SampledLog;
}

/** What the hot path already knows about the request when the response cache had no answer. */
export interface PreparedRequest {
  /** The request body (JSON, trusted documents applied); read only. */
  body: Record<string, unknown>;
  role: Role;
  client?: RateLimitClient;
  decision?: Decision;
  /** The negotiated media type of the answer (content-type). */
  mediaType: string;
  /** The response-cache key, when the request has one (a query): the answer says `x-cache: MISS`. */
  cacheKey?: string;
}

/**
 * Executes uncacheable queries without Express and Apollo (issue 15, P1b): each document is compiled once
 * (documents.ts, graphql-jit) and every later request with it runs the compiled function over the same context,
 * loaders and resolvers Apollo would use. What the request pipeline does for such a request is done here, once,
 * from the same code: cost limit (plugins/cost.ts), execution share and refusals, request metrics, the error log
 * line, error formatting as Apollo does it (errors.ts + the server's formatError), fallback warnings, the response
 * cache's refusal count, and the headers (security, CORS, RateLimit, cache-control, x-cache, ETag as Express sets
 * it). Returns false — and has done nothing — for every request it does not take; the regular path then serves it:
 * other documents (see documents.ts), variables that do not coerce, costs over the limit, traced requests,
 * persisted-query extensions.
 */
export function createCompiledExecution(o: CompiledExecutionOptions): (req: IncomingMessage, res: ServerResponse, r: PreparedRequest) => boolean {
  const execute = async (req: IncomingMessage, res: ServerResponse, r: PreparedRequest, doc: CompiledDocument, variables: Record<string, unknown>, trace: RequestTrace) => {
    const end = requestMetrics.start();
    try {
      const context = o.context(req, res, r.role, r.client?.key, trace);
      requestMetrics.executed('query');
      const result = await doc.query.query(undefined, context, variables);
      const errorLog = new RequestErrorLog(o.log);
      const errors = result.errors?.length ? (result.errors as readonly GraphQLError[]) : undefined;
      if (errors) errorLog.add(errors);
      const formatted = errors && formatErrors(errors, o.formatError, o.includeStacktrace);
      const fallbacks = context.response?.fallbacks;
      // Apollo's field order (runHttpQuery: errors, data, extensions) and serialisation (JSON + newline).
      const answer = { errors: formatted?.errors, data: result.data, extensions: fallbacks?.length ? { warnings: fallbackWarnings(fallbacks) } : undefined };
      const text = `${JSON.stringify(answer)}\n`;
      const status = formatted?.status ?? 200;
      // Uncacheable before execution (documents.ts): no policy, so never stored; counted by why, as the plugin does.
      const refusal = storeRefusal({ status, servedStale: context.response?.servedStale ?? false, operation: 'query', hasErrors: !!formatted, policy: null });
      if (r.cacheKey && refusal) o.refused?.(refusal);
      const h: string[] = [];
      for (const [k, v] of o.securityHeaders) h.push(k, v);
      h.push('X-Request-Id', context.requestId);
      if (r.client && r.decision) for (const [k, v] of o.rateLimiter!.fields(r.client.policy, r.decision)) h.push(k, v);
      for (const [k, v] of o.corsHeaders(req.headers.origin)) h.push(k, v);
      let cacheControl = 'no-store';
      for (const [k, v] of formatted?.headers ?? []) {
        // Apollo's cache-control plugin keeps a header it cannot parse and otherwise answers no-store here.
        if (k.toLowerCase() === 'cache-control') cacheControl = /^(?:max-age=\d+, (?:public|private)|no-store)$/.test(v) ? cacheControl : v;
        else h.push(k, v);
      }
      h.push('cache-control', cacheControl);
      if (r.cacheKey) h.push('x-cache', 'MISS');
      const bytes = Buffer.from(text, 'utf8');
      h.push('Content-Type', r.mediaType, 'Content-Length', String(bytes.length), 'ETag', etag(bytes, { weak: true }));
      if (!res.destroyed) {
        res.writeHead(status, h);
        res.end(bytes);
      }
      end('query', answer);
      errorLog.write(answer, context.requestId, doc.operationName, status, context.trace);
    } catch (e) {
      // A fault of this path itself (never an execution error: those are in the result): answered as Express's
      // error handler answers one, and logged.
      o.log('error', 'unhandled HTTP error', { error: (e as Error).message });
      end('query', { errors: [e] });
      if (!res.headersSent && !res.destroyed) {
        const text = JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        res.writeHead(500, [...o.securityHeaders.flat(), 'content-type', r.mediaType, 'content-length', String(Buffer.byteLength(text))]);
        res.end(text);
      } else if (!res.writableEnded) res.destroy();
    }
  };

  return (req, res, r) => {
    const path = route(req, r);
    if (typeof path === 'string') {
      paths.inc({ path });
      return false;
    }
    paths.inc({ path: 'compiled' });
    o.admit(
      req,
      res,
      // A trace id as request id, as every request of the regular path has (it always has a span), carried to its log
      // lines and upstream requests: a request that brings a traceparent is traced and goes there (see `traced`).
      () => void execute(req, res, r, path.doc, path.variables, newRequestTrace()),
      () => {
        res.setHeader('X-Request-Id', newTraceId());
        if (r.client && r.decision) for (const [k, v] of o.rateLimiter!.fields(r.client.policy, r.decision)) res.setHeader(k, v);
      },
    );
    return true;
  };

  /** The compiled document and variables this request runs with, or why Apollo serves it. */
  function route(req: IncomingMessage, r: PreparedRequest): { doc: CompiledDocument; variables: Record<string, unknown> } | string {
    const { query, operationName, variables } = r.body;
    if (typeof query !== 'string') return 'body';
    // Persisted queries and other extensions are Apollo's to interpret.
    if (r.body.extensions !== undefined) return 'extensions';
    if (operationName != null && typeof operationName !== 'string') return 'body';
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return 'body';
    if (o.traced(req)) return 'traced';
    const doc = o.documents.verdict(query, operationName ?? undefined);
    if (doc.kind === 'first_sight') return 'first_sight';
    if (doc.kind !== 'compiled') return doc.why;
    const vars = (variables ?? {}) as Record<string, unknown>;
    // Apollo answers variables that do not coerce with 400 before execution; graphql-jit would answer 200.
    if (doc.hasVariables && getVariableValues(o.schema, doc.operation.variableDefinitions!, vars).errors) return 'variables';
    const cost = cachedOperationCost(o.schema, doc.document, operationName as string | undefined, vars);
    if (cost === undefined || cost > o.costLimits[r.role]) return 'cost';
    return { doc, variables: vars };
  }
}

/** Requests that missed the response cache on the hot path, by where they went: `compiled`, or why Apollo served them. */
const paths = new Counter({
  name: 'thuegate_graphql_compiled_path_total',
  help: 'Response-cache misses the compiled path ran (path="compiled") or left to Apollo (path = the reason: first_sight, cacheable, invalid, cost, variables, traced, …)',
  labelNames: ['path'] as const,
  registers: [metricsRegistry],
});

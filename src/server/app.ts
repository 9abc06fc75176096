import { createConformanceReportRouter } from '../conformance/report-page';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Config } from '../config/config';
import { metricsRegistry } from '../observability/metrics';
import type { Logger } from '../observability/log';
import type { GatewayContext, Role, Services } from '../schema/context';
import { gatewaySchema } from '../schema/build';
import { corsHeaderCache, corsMiddleware, originMatcher } from './cors';
import { createHotPath } from './hot-path';
import { createReportsRouter } from '../reports/router';
import { mountGraphiql } from './graphiql';
import { withArgumentSite } from './plugins/argument-errors';
import { cacheControlPlugin } from './plugins/cache-control';
import { combinePlugins } from './plugins/combine';
import { costLimitPlugin } from './plugins/cost';
import { DEFAULT_LIMITS, limitError, limitRules } from './plugins/limits';
import { introspectionPolicyRule } from './plugins/introspection-policy';
import { requestLogPlugin } from './plugins/request-log';
import { legacyJsonStatusPlugin } from './plugins/status-codes';
import { fallbackWarningsPlugin } from './plugins/fallback-warnings';
import { sampledLogger } from './log-sampler';
import { securityHeaderList, securityHeaders } from './security-headers';
import { metricsPlugin } from './plugins/metrics';
import { errorMediaType, mediaTypeStatusPlugin } from './media-types';
import { continueTrace, spansRecorded, traceGraphqlRequest, tracingPlugin } from '../observability/tracing';
import { CompiledDocuments, createCompiledExecution } from './compiled-execution';
import { type Authenticator } from './auth';
import { httpContextFactory } from './context';
import type { ResponseCache } from './response-cache';
import type { RateLimiter } from './protection';
import { ExecutionShare } from './protection/execution-share';
import { RefusalPacer } from './protection/refusal-pacing';
import { ApqStore, type TrustedDocuments } from './trusted-documents';
import { trustedDocumentsMiddleware } from './trusted-documents/http';

/** Unhinted root fields and object fields get max-age 0: new data is uncacheable until hinted (schema/cache-hints.ts). */
const DEFAULT_MAX_AGE = 0;

export interface ReadinessCheck {
  name: string;
  /** Resolves with a short status object; rejects when the dependency is not usable. */
  check(): Promise<Record<string, unknown>>;
  /** Whether a failure makes the whole gateway unready (database) or only degraded (an upstream). */
  critical: boolean;
}

export interface HttpGatewayOptions {
  config: Config;
  services: Services;
  /** API-key lookup (DESIGN §6); without it every caller is public unless it presents ADMIN_TOKEN. */
  authenticator?: Authenticator;
  readiness: ReadinessCheck[];
  logger: Logger;
  /** Cached response bytes served in front of Apollo; without it every request executes. */
  responseCache?: ResponseCache;
  /** Per-client rate limits on /graphql (src/server/protection/); also names the client for fair upstream shares. */
  rateLimiter?: RateLimiter;
  /** TRUSTED_DOCUMENTS and `documentId` resolution (src/server/trusted-documents/); without it every document runs. */
  trustedDocuments?: TrustedDocuments;
}

export interface HttpGateway {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

/** Builds and starts the HTTP side: GraphQL, explorer, health, readiness and metrics. */
export async function startHttpGateway(opts: HttpGatewayOptions): Promise<HttpGateway> {
  const { config, services, readiness, logger, responseCache, authenticator, rateLimiter, trustedDocuments } = opts;
  const apq = new ApqStore();
  // The caller is resolved once per request, in the context factory below; the response cache reads the role from there.
  const callerRole = async (req: express.Request): Promise<Role> => {
    if (resolveRole(req.headers.authorization, config.adminToken) === 'admin') return 'admin';
    return authenticator ? (await authenticator.roleFor(req.headers)).role : 'public';
  };
  const cors = corsMiddleware(config.cors);
  const contextFor = httpContextFactory(config, services);
  const app = express();
  app.disable('x-powered-by');
  app.use(cors);
  const BODY_LIMIT = 256 * 1024;
  const security = securityHeaderList();
  const secure = securityHeaders();
  const log = sampledLogger(logger);
  const { perClient, queuePerClient } = config.protection.executionShare;
  const executionShare = rateLimiter && perClient > 0 ? new ExecutionShare({ perClient, queuePerClient }) : undefined;
  const pacer = new RefusalPacer({ delayMs: config.protection.refusalDelayMs, heldPerClient: 256, heldTotal: 4096 });
  // A refusal (rate limit, execution share) of a request the limiter has identified: paced, with the CORS headers.
  const refuseFor = (req: IncomingMessage, res: ServerResponse) => (send: () => void) => cors(req, res, () => pacer.send(res, rateLimiter?.clientOf(req)?.key, send));
  // Every request that is not a response-cache hit: security headers, then for GraphQL a span, the rate limit,
  // the client's execution share (429s carry the same CORS headers) and Express.
  const regular = (req: IncomingMessage, res: ServerResponse) =>
    secure(req, res, () => {
      if (!/^\/graphql(?:[/?]|$)/.test(req.url ?? '')) return void app(req, res);
      if (!rateLimiter || req.method === 'OPTIONS') return traceGraphqlRequest(req, res, () => void app(req, res));
      const refuse = refuseFor(req, res);
      const execute = () => (executionShare ? executionShare.admit(res, rateLimiter.clientOf(req), () => void app(req, res), refuse) : void app(req, res));
      traceGraphqlRequest(req, res, () => rateLimiter.check(req, res, execute, refuse));
    });
  const schema = gatewaySchema();
  const validationRules = [...limitRules(DEFAULT_LIMITS), ...(config.introspection ? [] : [introspectionPolicyRule])];
  const apolloFormatError = (formatted: GraphQLFormattedError, error: unknown) => formatError(withArgumentSite(formatted, error, schema), error, config.production);
  const corsHeaders = corsHeaderCache(cors, originMatcher(config.cors.origins));
  const compiled =
    config.compiledExecution && responseCache
      ? createCompiledExecution({
          schema,
          documents: new CompiledDocuments({ schema, validationRules, maxTokens: DEFAULT_LIMITS.maxTokens, defaultMaxAge: DEFAULT_MAX_AGE }),
          costLimits: config.maxQueryCost,
          context: (req, res, role, client, trace) => contextFor({ req: req as express.Request, res: res as express.Response, role, client, trace }),
          // A refused request gets the security headers the regular path would have set before refusing it.
          admit: (req, res, run, beforeRefusal) =>
            executionShare
              ? executionShare.admit(res, rateLimiter?.clientOf(req), run, (send) => {
                  beforeRefusal();
                  secure(req, res, () => refuseFor(req, res)(send));
                })
              : run(),
          traced: (req) => spansRecorded() || req.headers.traceparent !== undefined,
          formatError: apolloFormatError,
          includeStacktrace: !config.production,
          securityHeaders: security,
          corsHeaders,
          rateLimiter,
          refused: (refusal) => responseCache.refuse(refusal),
          log,
        })
      : undefined;
  const hotPath =
    responseCache &&
    createHotPath({
      cache: responseCache,
      limitBytes: BODY_LIMIT,
      roleNow: (req) => {
        if (resolveRole(req.headers.authorization, config.adminToken) === 'admin') return 'admin';
        return authenticator ? authenticator.peek(req.headers)?.role : 'public';
      },
      rateLimiter,
      securityHeaders: security,
      corsHeaders,
      prepare: trustedDocuments && ((body) => {
        const v = trustedDocuments.gate(body);
        return v.kind === 'pass' ? v.params : undefined;
      }),
      hit: (body) => apq.registerFrom(body),
      execute: compiled,
      regular,
      bodyError: (req, res, err) => {
        bodyErrors.set(req, err);
        regular(req, res);
      },
    });
  const bodyErrors = new WeakMap<IncomingMessage, Error>();
  const server = createServer(hotPath ?? regular);
  // Slow-loris protection: a request must arrive in full within this time.
  server.requestTimeout = Math.max(30_000, config.requestTimeoutMs * 2);
  server.headersTimeout = 20_000;

  const apollo = new ApolloServer<GatewayContext>({
    schema,
    // Introspection is always "on" for Apollo; with INTROSPECTION=false our own rule refuses it (all but name-only __type).
    introspection: true,
    csrfPrevention: true,
    // The CLI owns signal handling: it drains HTTP, then closes pools and sandboxes in order.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !config.production,
    // "Did you mean …?" suggestions reveal the schema as introspection does: both follow INTROSPECTION.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    validationRules,
    persistedQueries: { cache: apq },
    parseOptions: { maxTokens: DEFAULT_LIMITS.maxTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      // Our request plugins as one listener: Apollo calls each listener at every stage of every request (issue 15).
      combinePlugins<GatewayContext>([
        metricsPlugin,
        costLimitPlugin(config.maxQueryCost),
        legacyJsonStatusPlugin,
        fallbackWarningsPlugin,
        requestLogPlugin(log),
        mediaTypeStatusPlugin,
        tracingPlugin,
      ]),
      // Apollo's plugin, without per-field work for answers a root field already makes uncacheable.
      cacheControlPlugin({ defaultMaxAge: DEFAULT_MAX_AGE }),
      ...(responseCache ? [responseCache.plugin()] : []),
    ],
    formatError: apolloFormatError,
  });
  await apollo.start();

  // First after CORS: every GraphQL request would otherwise be matched against the explorer, report and health routes
  // before reaching its own (their paths do not overlap).
  app.use(
    '/graphql',
    // A body the hot path read and found not to be JSON: answered as the JSON parser's refusals are.
    (req: express.Request, _res: express.Response, next: express.NextFunction) => next(bodyErrors.get(req)),
    express.json({ limit: BODY_LIMIT }),
    continueTrace,
    ...(trustedDocuments ? [trustedDocumentsMiddleware(trustedDocuments)] : []),
    expressMiddleware(apollo, {
      // Unknown or revoked keys throw UNAUTHENTICATED (401) in callerRole rather than falling back to public.
      context: async ({ req, res }): Promise<GatewayContext> => contextFor({ req, res, role: await callerRole(req), client: rateLimiter?.clientOf(req)?.key }),
    }),
  );

  mountGraphiql(app, { production: !config.introspection });

  const availability = services.availability;
  if (availability) app.use(createReportsRouter({ availability: (k, scope) => availability.availability(k, scope), matrix: (keys, scope) => availability.matrix(keys, scope) }));

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));

  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      readiness.map(async (r) => {
        try {
          return { name: r.name, critical: r.critical, ok: true, ...(await r.check()) };
        } catch (e) {
          return { name: r.name, critical: r.critical, ok: false, error: (e as Error).message };
        }
      }),
    );
    const ready = results.every((r) => r.ok || !r.critical);
    const degraded = results.some((r) => !r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? (degraded ? 'degraded' : 'ready') : 'unready', checks: results });
  });

  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metricsRegistry.contentType);
    res.send(await metricsRegistry.metrics());
  });

  if (services.conformance) app.use(createConformanceReportRouter(services.conformance, callerRole));

  // Malformed JSON bodies and unknown routes get a JSON answer, never an HTML stack trace.
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  app.use((err: Error & { status?: number; type?: string }, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log('error', 'unhandled HTTP error', { error: err.message });
    // Same media type a GraphQL answer to this request would have (application/graphql-response+json when asked for).
    res.status(status).type(errorMediaType(req.headers)).json({ errors: [{ message: status === 500 ? 'Internal server error' : err.message, extensions: { code: err.type ?? 'BAD_REQUEST' } }] });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    server,
    url: `http://${host}:${addr.port}`,
    // Apollo's drain plugin stops accepting, waits for in-flight requests, then closes idle sockets.
    stop: () => apollo.stop(),
  };
}

/**
 * Who asks. Until API keys exist (DESIGN §6) the only elevated role is admin, by
 * `Authorization: Bearer <ADMIN_TOKEN>`; anything else (no header, a wrong token, no token configured) is public.
 */
export function resolveRole(authorization: string | undefined, adminToken: string | undefined): Role {
  if (!adminToken || !authorization) return 'public';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return 'public';
  // Digests have equal length, so the comparison time does not depend on where the tokens differ.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]), digest(adminToken)) ? 'admin' : 'public';
}

/** Request-level logging is requestLogPlugin's (one line per request); here only the client's view is shaped. */
function formatError(formatted: GraphQLFormattedError, error: unknown, production: boolean): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR' && !(original instanceof GraphQLError)) {
    if (production) return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code } };
  }
  // Apollo labels every validation error GRAPHQL_VALIDATION_FAILED; a query limit keeps its own code.
  if (formatted.extensions?.limit) return { ...formatted, extensions: { ...formatted.extensions, code: 'QUERY_TOO_COMPLEX' } };
  // graphql-js's parser enforces the token limit; give its refusal the same shape as the other limits
  // (graphql-js 16 words it "more that 5000 tokens").
  const tokens = code === 'GRAPHQL_PARSE_FAILED' && /Document contains more th\w+ (\d+) tokens/.exec(formatted.message);
  if (tokens) {
    const limit = limitError('tokens', formatted.message, Number(tokens[1]));
    return { ...formatted, extensions: { ...formatted.extensions, ...limit.extensions, code: 'QUERY_TOO_COMPLEX' } };
  }
  return formatted;
}

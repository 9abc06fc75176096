import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type express from 'express';
import type { Config } from '../config/config';
import { activeTraceIds } from '../observability/tracing';
import type { GatewayContext, Role, Services } from '../schema/context';
import { createRequestContext } from '../schema/context-factory';

/** How long after the request deadline the request's abort signal fires (see below). */
const DEADLINE_BACKSTOP_MS = 250;

export interface HttpContextInput {
  req: express.Request;
  res: express.Response;
  /** The caller's role, resolved once by the HTTP layer. */
  role: Role;
  /** Who asks, pseudonymously (rate-limit client key): the unit of fair shares of upstream concurrency. */
  client?: string;
  /** The request id when the caller has one already (the compiled path, which makes no span); see below otherwise. */
  requestId?: string;
}

/**
 * The GraphQL context of one HTTP request: request id, deadline and abort signal tied to the connection, and
 * the per-request context (loaders, services) from the schema's context factory.
 */
export function httpContextFactory(config: Pick<Config, 'requestTimeoutMs'>, services: Services): (input: HttpContextInput) => GatewayContext {
  return ({ req, res, role, client, requestId: given }) => {
    const controller = new AbortController();
    // One GraphQL request legitimately fans out into many concurrent upstream calls, each listening on
    // this signal until it settles; Node's default warning threshold (10) would cry wolf.
    setMaxListeners(1_000, controller.signal);
    const deadline = Date.now() + config.requestTimeoutMs;
    // Backstop only: upstream calls carry `deadline` and fail on it themselves with UPSTREAM_TIMEOUT naming
    // the upstream. Aborting at the same instant would race them and turn that into an anonymous error.
    const timer = setTimeout(() => controller.abort(new Error('request deadline exceeded')), config.requestTimeoutMs + DEADLINE_BACKSTOP_MS);
    timer.unref();
    // A client that hangs up should not keep upstream calls running on its behalf.
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) controller.abort(new Error('client closed the connection'));
    });
    // The trace id (tracing.ts; continued from an incoming traceparent) where the request is traced, so logs, traces and
    // the client's X-Request-Id name the same request; otherwise a safe incoming X-Request-Id or a new one.
    const incoming = req.headers['x-request-id'];
    const requestId = given ?? activeTraceIds()?.traceId ?? (typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID());
    res.setHeader('X-Request-Id', requestId);
    return createRequestContext(services, { requestId, role, client, signal: controller.signal, deadline });
  };
}

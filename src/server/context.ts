import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type express from 'express';
import type { Config } from '../config/config';
import { activeTraceIds, requestTrace, type RequestTrace } from '../observability/tracing';
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
  /** The request's trace when the caller has one already (the compiled path, which makes no span); see below otherwise. */
  trace?: RequestTrace;
}

/**
 * The GraphQL context of one HTTP request: request id, deadline and abort signal tied to the connection, and
 * the per-request context (loaders, services) from the schema's context factory.
 */
export function httpContextFactory(config: Pick<Config, 'requestTimeoutMs'>, services: Services): (input: HttpContextInput) => GatewayContext {
  return ({ req, res, role, client, trace: given }) => {
    const abort = new RequestAbort();
    const deadline = Date.now() + config.requestTimeoutMs;
    // Backstop only: upstream calls carry `deadline` and fail on it themselves with UPSTREAM_TIMEOUT naming
    // the upstream. Aborting at the same instant would race them and turn that into an anonymous error.
    const timer = setTimeout(() => abort.abort(new Error('request deadline exceeded')), config.requestTimeoutMs + DEADLINE_BACKSTOP_MS);
    timer.unref();
    // A client that hangs up should not keep upstream calls running on its behalf.
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) abort.abort(new Error('client closed the connection'));
    });
    // The trace id (tracing.ts; continued from an incoming traceparent) where the request is traced, so logs, traces and
    // the client's X-Request-Id name the same request; otherwise a safe incoming X-Request-Id or a new one.
    const incoming = req.headers['x-request-id'];
    const trace = given ?? requestTrace(req) ?? activeTraceIds();
    const requestId = trace?.traceId ?? (typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID());
    res.setHeader('X-Request-Id', requestId);
    return createRequestContext(services, {
      requestId,
      role,
      client,
      get signal() {
        return abort.signal;
      },
      aborted: () => abort.aborted,
      deadline,
      trace,
    });
  };
}

/**
 * The request's abort signal, made when something first reads it (issue 15): an AbortController costs a warm
 * request, answered from fresh cache entries, more than the rest of its context, and such a request never reads it.
 * A reason that came before the signal is made is given to it at once.
 */
class RequestAbort {
  private controller?: AbortController;
  private reason?: Error;

  get aborted(): boolean {
    return this.reason !== undefined;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      // One GraphQL request legitimately fans out into many concurrent upstream calls, each listening on
      // this signal until it settles; Node's default warning threshold (10) would cry wolf.
      setMaxListeners(1_000, this.controller.signal);
      if (this.reason) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

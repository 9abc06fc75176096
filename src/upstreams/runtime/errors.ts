import { GraphQLError } from 'graphql';
import type { UpstreamName } from './names';

/**
 * Stable codes a client can branch on. The runtime produces the first block itself; adapters
 * add the protocol-specific ones (OGC exception documents, WAS-protected services).
 */
export const UPSTREAM_ERROR_CODES = [
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
  'UPSTREAM_CIRCUIT_OPEN',
  'UPSTREAM_OVERLOADED',
  'UPSTREAM_FORBIDDEN',
  'UPSTREAM_NOT_FOUND',
  /** The endpoint itself is not there (404 without the protocol's "no such entry" answer): wrong base URL or path. */
  'UPSTREAM_ENDPOINT_NOT_FOUND',
  'UPSTREAM_REJECTED',
  'UPSTREAM_TOO_LARGE',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_ABORTED',
  'UPSTREAM_REQUEST_REFUSED',
  // adapter-level classifications
  'UPSTREAM_PROTECTED',
  'UPSTREAM_OGC_EXCEPTION',
] as const;
export type UpstreamErrorCode = (typeof UPSTREAM_ERROR_CODES)[number];

/** What only operators may see: goes to logs, never into a GraphQL response in production. */
export interface UpstreamErrorInternal {
  method?: string;
  url?: string;
  /** Short technical reason, e.g. `ECONNRESET`, `headers timeout`, `DOCTYPE present`. */
  reason?: string;
  /** First bytes of the upstream body, for diagnosing bad responses. */
  bodySnippet?: string;
  attempts?: number;
}

export interface UpstreamErrorInit {
  code: UpstreamErrorCode;
  upstream: UpstreamName;
  status?: number;
  retryAfterMs?: number;
  /** Response-size limit that was hit (UPSTREAM_TOO_LARGE). */
  limitBytes?: number;
  /** Client-safe message; defaults to a fixed text per code that names the upstream. */
  message?: string;
  /** Client-safe extra extensions (e.g. an OGC exception code). Values must not carry upstream text. */
  extensions?: Record<string, string | number | boolean>;
  internal?: UpstreamErrorInternal;
  cause?: unknown;
  /** Whether a retry of an idempotent request may help (connection error, 429, 5xx). */
  transient?: boolean;
  /** Whether this outcome says something about the upstream's health (feeds the circuit breaker). */
  healthFailure?: boolean;
  /** Production mode hides `internal` from extensions. Unset = hidden: only the validated config (NODE_ENV) reaching the client turns details on. */
  production?: boolean;
}

function defaultMessage(i: UpstreamErrorInit): string {
  const u = `Upstream '${i.upstream}'`;
  const http = i.status !== undefined ? ` (HTTP ${i.status})` : '';
  switch (i.code) {
    case 'UPSTREAM_TIMEOUT':
      return `${u} did not answer in time.`;
    case 'UPSTREAM_UNAVAILABLE':
      return `${u} is unavailable${http}.`;
    case 'UPSTREAM_BAD_RESPONSE':
      return `${u} sent a response that could not be read${http}.`;
    case 'UPSTREAM_CIRCUIT_OPEN':
      return `${u} is temporarily switched off after repeated failures (circuit open); try again later.`;
    case 'UPSTREAM_OVERLOADED':
      return `Too many concurrent requests to upstream '${i.upstream}'; try again shortly.`;
    case 'UPSTREAM_FORBIDDEN':
      return `${u} refused access${http}.`;
    case 'UPSTREAM_NOT_FOUND':
      return `${u} has no such resource${http}.`;
    case 'UPSTREAM_ENDPOINT_NOT_FOUND':
      return `${u} has no such endpoint${http}: the configured base URL or path is wrong, or the service moved.`;
    case 'UPSTREAM_REJECTED':
      return `${u} rejected the request${http}.`;
    case 'UPSTREAM_TOO_LARGE':
      return `${u} sent a response larger than ${i.limitBytes ?? 'the allowed number of'} bytes; it was discarded.`;
    case 'UPSTREAM_RATE_LIMITED':
      return `${u} is rate-limiting the gateway${http}${
        i.retryAfterMs !== undefined ? `; retry after ${Math.ceil(i.retryAfterMs / 1000)} s` : ''
      }.`;
    case 'UPSTREAM_ABORTED':
      return `Request to upstream '${i.upstream}' was cancelled.`;
    case 'UPSTREAM_REQUEST_REFUSED':
      return `Request to upstream '${i.upstream}' refused: the target lies outside the configured base URL.`;
    case 'UPSTREAM_PROTECTED':
      return `${u}: the service is access-protected${http}.`;
    case 'UPSTREAM_OGC_EXCEPTION':
      return `${u} answered with an OGC exception report.`;
  }
}

/**
 * The one error type every upstream failure becomes. It is a GraphQLError, so a resolver can throw
 * it as is: `extensions` carry `code`, `upstream` and (when there was one) `status`. Raw bodies,
 * URLs and causes live on non-enumerable fields for logs only; in development they are also
 * copied to `extensions.detail` to ease debugging.
 */
export class UpstreamError extends GraphQLError {
  declare readonly code: UpstreamErrorCode;
  declare readonly upstream: UpstreamName;
  declare readonly status: number | undefined;
  declare readonly retryAfterMs: number | undefined;
  declare readonly internal: UpstreamErrorInternal;
  declare readonly cause: unknown;
  declare readonly transient: boolean;
  declare readonly healthFailure: boolean;
  declare readonly production: boolean;

  constructor(init: UpstreamErrorInit) {
    const production = init.production ?? true;
    const internal = { ...init.internal };
    const extensions: Record<string, unknown> = {
      ...init.extensions,
      code: init.code,
      upstream: init.upstream,
    };
    if (init.status !== undefined) extensions.status = init.status;
    if (init.retryAfterMs !== undefined) extensions.retryAfterSeconds = Math.ceil(init.retryAfterMs / 1000);
    if (!production && Object.keys(internal).length > 0) extensions.detail = { ...internal };
    super(init.message ?? defaultMessage(init), { extensions });
    this.name = 'UpstreamError';
    const hidden = (value: unknown): PropertyDescriptor => ({ value, enumerable: false, writable: false, configurable: true });
    Object.defineProperties(this, {
      code: hidden(init.code),
      upstream: hidden(init.upstream),
      status: hidden(init.status),
      retryAfterMs: hidden(init.retryAfterMs),
      internal: hidden(internal),
      cause: hidden(init.cause),
      transient: hidden(init.transient ?? false),
      healthFailure: hidden(init.healthFailure ?? false),
      production: hidden(production),
    });
  }

  /** A copy with another code/message, keeping upstream, status and internals (adapters re-classify). */
  reclassify(code: UpstreamErrorCode, extra: Partial<UpstreamErrorInit> = {}): UpstreamError {
    return new UpstreamError({
      code,
      upstream: this.upstream,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      internal: this.internal,
      cause: this.cause ?? this,
      production: this.production,
      ...extra,
    });
  }

  /** Everything an operator needs, as one flat object for the JSON logger. */
  toLog(): Record<string, unknown> {
    const cause = this.cause;
    return {
      code: this.code,
      upstream: this.upstream,
      status: this.status,
      message: this.message,
      ...this.internal,
      cause: cause instanceof Error ? `${cause.name}: ${cause.message}` : cause === undefined ? undefined : String(cause),
    };
  }
}

export function isUpstreamError(e: unknown): e is UpstreamError {
  return e instanceof UpstreamError;
}

import { Pool } from 'undici';
import type { Logger } from '../../observability/log';
import { SpanKind, inSpan, traceFields, traceHeaders, type RequestTrace } from '../../observability/tracing';
import { ACCEPT_ENCODING, BodyDecodeError, BodyTooLargeError, readLimitedBody } from './body';
import { UpstreamError, type UpstreamErrorCode, type UpstreamErrorInit } from './errors';
import { recordOutcome, type BreakerStateName } from './metrics';
import type { UpstreamName } from './names';
import {
  DEFAULT_BREAKER,
  DEFAULT_BULKHEAD,
  DEFAULT_RETRY,
  UpstreamPolicy,
  retryAfterMs,
  type BreakerOptions,
  type BulkheadOptions,
  type RetryOptions,
} from './policy';
import { UrlEscapeError, buildUpstreamUrl, parseBaseUrl, pathUnderBase, type QueryInit } from './url';

export type HeaderSource = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

/**
 * undici runs its connect/headers/body timers on a coarse clock (about 0.5–1 s steps), so values
 * below a second act like ~1 s. The per-request deadline uses a precise timer of its own.
 */
export interface UpstreamTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From sending the request to the complete response head. */
  headersMs: number;
  /** Longest silence between two body chunks (a slow drip is cut off here). */
  bodyMs: number;
  /** Deadline for a request that brings none of its own (bulkhead wait + attempts + backoff). */
  defaultDeadlineMs: number;
}

export interface UpstreamClientConfig {
  name: UpstreamName;
  baseUrl: string;
  /** Sent with every request, e.g. `pvog-sud-api-client-id`; a function is called per attempt (DVDV tokens renew). */
  headers?: HeaderSource;
  timeouts?: Partial<UpstreamTimeouts>;
  /** Decoded body bytes above which the response is aborted with UPSTREAM_TOO_LARGE. */
  maxResponseBytes?: number;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
  bulkhead?: Partial<BulkheadOptions>;
  /** Client-side throttle across all requests of this client. */
  maxRequestsPerSecond?: number;
  /** Keep-alive pool size; defaults to the bulkhead limit. */
  connections?: number;
  keepAliveMs?: number;
  userAgent?: string;
  /** Hides internal details from error extensions; the composition root passes `config.production`. Unset = hidden. */
  production?: boolean;
  /** Failed logical requests are logged at `warn` with their internal detail. */
  logger?: Logger;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface UpstreamRequest {
  method?: HttpMethod;
  /** Relative to the base URL's path; must start with `/` or `?`. Absolute URLs are refused. */
  path: string;
  query?: QueryInit;
  headers?: Record<string, string>;
  body?: string | Buffer | Uint8Array;
  /** Serialised as the body with `content-type: application/json`. */
  json?: unknown;
  /**
   * May the request be repeated? GET/HEAD/OPTIONS default to yes; mark read-only POSTs
   * (CSW GetRecords, DVDV batch find*) `true`. `false` disables retries even for GET.
   */
  idempotent?: boolean;
  /** Cancels the request (client went away, GraphQL deadline). */
  signal?: AbortSignal;
  /** Absolute deadline in epoch ms covering queueing, all attempts and backoff. */
  deadline?: number;
  /** Who the request is made for; each client gets a fair share of the upstream's concurrency. */
  client?: string;
  /** The GraphQL request it is made for (sent as `traceparent` when no span is active; named in log lines). */
  trace?: RequestTrace;
  /** Statuses returned as a response instead of thrown (e.g. 404 when the adapter reads a Problem body). 2xx always are. */
  acceptStatus?: readonly number[];
  maxResponseBytes?: number;
}

export interface UpstreamResponse {
  upstream: UpstreamName;
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  url: string;
  attempts: number;
  text(): string;
  /** Parses the body; a syntax error becomes UPSTREAM_BAD_RESPONSE naming the upstream. */
  json<T = unknown>(): T;
  /** An UpstreamError for this upstream and response (status, URL filled in), for adapter-level checks. */
  error(code: UpstreamErrorCode, init?: UpstreamErrorExtra): UpstreamError;
}

export type UpstreamErrorExtra = Omit<UpstreamErrorInit, 'code' | 'upstream' | 'production'>;

export interface UpstreamClient {
  readonly name: UpstreamName;
  readonly baseUrl: string;
  /** Whether errors hide their internals (from the validated configuration). */
  readonly production: boolean;
  request(req: UpstreamRequest): Promise<UpstreamResponse>;
  breakerState(): BreakerStateName;
  /** The `path` to request for an absolute URL under the base URL, or undefined if it lies elsewhere. */
  pathFor(absoluteUrl: string): string | undefined;
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUTS: UpstreamTimeouts = { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000, defaultDeadlineMs: 10_000 };
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CONNECTION_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
// Headers a caller must not set: the runtime owns framing and the target host.
const RESERVED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade']);

class DeadlineExceeded extends Error {
  constructor() {
    super('upstream request deadline exceeded');
    this.name = 'DeadlineExceeded';
  }
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function decodeText(body: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    try {
      return new TextDecoder(charset).decode(body);
    } catch {
      // unknown label: fall back to UTF-8, the default of every protocol we speak
    }
  }
  return new TextDecoder('utf-8').decode(body);
}

const snippet = (body: Buffer | string): string => (typeof body === 'string' ? body : body.toString('utf8', 0, 512)).slice(0, 512);

export function createUpstreamClient(cfg: UpstreamClientConfig): UpstreamClient {
  const name = cfg.name;
  const base = parseBaseUrl(cfg.baseUrl, `${name} base URL`);
  const production = cfg.production ?? true;
  const timeouts: UpstreamTimeouts = { ...DEFAULT_TIMEOUTS, ...cfg.timeouts };
  const maxBytesDefault = cfg.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...cfg.retry };
  const bulkheadOpts: BulkheadOptions = { ...DEFAULT_BULKHEAD, ...cfg.bulkhead };
  const policy = new UpstreamPolicy(name, {
    retry,
    breaker: { ...DEFAULT_BREAKER, ...cfg.breaker },
    bulkhead: bulkheadOpts,
    maxRequestsPerSecond: cfg.maxRequestsPerSecond,
    production,
  });
  const pool = new Pool(base.origin, {
    // as many sockets as the bulkhead lets requests through, so undici never queues behind it
    connections: cfg.connections ?? bulkheadOpts.limit,
    pipelining: 1,
    keepAliveTimeout: cfg.keepAliveMs ?? 4_000,
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  });

  const fail = (code: UpstreamErrorCode, rest: UpstreamErrorExtra) => new UpstreamError({ code, upstream: name, production, ...rest });

  /** One CLIENT span per upstream request (observability/tracing.ts), retries included; its traceparent goes along. */
  function request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const method = (req.method ?? 'GET').toUpperCase();
    return inSpan(`${method} ${name}`, SpanKind.CLIENT, { 'thuegate.upstream': name, 'http.request.method': method, 'url.path': req.path }, async (span) => {
      const res = await send({ ...req, headers: { ...traceHeaders(req.trace), ...req.headers } });
      span.setAttributes({ 'http.response.status_code': res.status, 'url.full': res.url, 'http.request.resend_count': res.attempts - 1 });
      return res;
    });
  }

  async function send(req: UpstreamRequest): Promise<UpstreamResponse> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
    const deadline = req.deadline ?? started + timeouts.defaultDeadlineMs;

    let url: URL;
    try {
      url = buildUpstreamUrl(base, req.path, req.query);
    } catch (e) {
      const err = fail('UPSTREAM_REQUEST_REFUSED', {
        cause: e,
        internal: { method, reason: e instanceof UrlEscapeError ? e.message : String(e) },
      });
      recordOutcome(name, err.code, 0);
      cfg.logger?.warn('upstream request refused', { ...traceFields(req.trace), ...err.toLog() });
      throw err;
    }

    const ctl = new AbortController();
    const onCallerAbort = () => ctl.abort(req.signal!.reason);
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (req.signal?.aborted) ctl.abort(req.signal.reason);
    const timer = setTimeout(() => ctl.abort(new DeadlineExceeded()), Math.max(0, deadline - started));

    const internalBase = { method, url: url.href };
    /** `inFlight`: the abort hit a running attempt, so a deadline overrun is the upstream's slowness (breaker). */
    const abortToError = (reason: unknown, inFlight = false): UpstreamError => {
      const timedOut =
        reason instanceof DeadlineExceeded ||
        (reason as { name?: string } | undefined)?.name === 'TimeoutError' ||
        Date.now() >= deadline - 5;
      return fail(timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_ABORTED', {
        cause: reason,
        healthFailure: timedOut && inFlight,
        internal: { ...internalBase, reason: timedOut ? `deadline of ${deadline - started} ms exceeded` : 'cancelled by caller' },
      });
    };

    const idempotent = req.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const maxBytes = req.maxResponseBytes ?? maxBytesDefault;
    let bodyBytes: string | Buffer | Uint8Array | undefined = req.body;
    const extraHeaders: Record<string, string> = {};
    if (req.json !== undefined) {
      bodyBytes = JSON.stringify(req.json);
      extraHeaders['content-type'] = 'application/json';
    }
    const conditional = Object.keys(req.headers ?? {}).some((h) => /^if-(none-match|modified-since)$/i.test(h));
    const accepted = (status: number) =>
      (status >= 200 && status < 300) || (conditional && status === 304) || (req.acceptStatus?.includes(status) ?? false);

    const attempt = async (): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> => {
      const remaining = deadline - Date.now();
      if (ctl.signal.aborted || remaining <= 0) throw abortToError(ctl.signal.reason ?? new DeadlineExceeded());
      const configured = typeof cfg.headers === 'function' ? await cfg.headers() : (cfg.headers ?? {});
      const headers: Record<string, string> = { 'user-agent': cfg.userAgent ?? 'thuegate', accept: '*/*' };
      for (const src of [configured, extraHeaders, req.headers ?? {}]) {
        for (const [k, v] of Object.entries(src)) if (!RESERVED_HEADERS.has(k.toLowerCase())) headers[k.toLowerCase()] = v;
      }
      headers['accept-encoding'] = ACCEPT_ENCODING;

      let phase: 'headers' | 'body' = 'headers';
      try {
        const res = await pool.request({
          path: url.pathname + url.search,
          method,
          headers,
          body: bodyBytes,
          signal: ctl.signal,
          headersTimeout: Math.min(timeouts.headersMs, remaining),
          bodyTimeout: timeouts.bodyMs,
        });
        phase = 'body';
        const resHeaders = flattenHeaders(res.headers);
        if (!accepted(res.statusCode)) {
          const text = await readLimitedBody(res.body, res.headers, 64 * 1024).then(
            (b) => decodeText(b, resHeaders['content-type']),
            () => '',
          );
          throw statusError(res.statusCode, resHeaders, text);
        }
        const body = method === 'HEAD' ? (await res.body.dump(), Buffer.alloc(0)) : await readLimitedBody(res.body, res.headers, maxBytes);
        return { status: res.statusCode, headers: resHeaders, body };
      } catch (e) {
        throw classify(e, phase);
      }
    };

    const statusError = (status: number, headers: Record<string, string>, text: string): UpstreamError => {
      const internal = { ...internalBase, reason: `HTTP ${status}`, bodySnippet: snippet(text) };
      const wait = retryAfterMs(headers);
      if (status === 401 || status === 403) return fail('UPSTREAM_FORBIDDEN', { status, internal });
      if (status === 404 || status === 410) return fail('UPSTREAM_NOT_FOUND', { status, internal });
      if (status === 429) return fail('UPSTREAM_RATE_LIMITED', { status, internal, retryAfterMs: wait, transient: true });
      if (status === 408) return fail('UPSTREAM_TIMEOUT', { status, internal, transient: true, healthFailure: true });
      if (status >= 500) {
        const transient = [500, 502, 503, 504].includes(status);
        return fail('UPSTREAM_UNAVAILABLE', { status, internal, retryAfterMs: wait, transient, healthFailure: true });
      }
      if (status >= 300 && status < 400) {
        // Redirects are never followed: they could point anywhere.
        return fail('UPSTREAM_BAD_RESPONSE', { status, internal: { ...internal, reason: `unexpected redirect to ${headers.location ?? '?'}` } });
      }
      return fail('UPSTREAM_REJECTED', { status, internal });
    };

    const classify = (e: unknown, phase: 'headers' | 'body'): UpstreamError => {
      if (e instanceof UpstreamError) return e;
      if (ctl.signal.aborted) return abortToError(ctl.signal.reason, true);
      const code = (e as NodeJS.ErrnoException)?.code ?? '';
      const reason = `${code ? code + ': ' : ''}${e instanceof Error ? e.message : String(e)}`;
      const internal = { ...internalBase, reason };
      if (e instanceof BodyTooLargeError) return fail('UPSTREAM_TOO_LARGE', { limitBytes: e.limitBytes, cause: e, internal });
      if (e instanceof BodyDecodeError) return fail('UPSTREAM_BAD_RESPONSE', { cause: e, internal });
      if (code === 'UND_ERR_CONNECT_TIMEOUT') return fail('UPSTREAM_TIMEOUT', { cause: e, internal, transient: true, healthFailure: true });
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        return fail('UPSTREAM_TIMEOUT', { cause: e, internal, healthFailure: true });
      }
      if (CONNECTION_ERRORS.has(code)) {
        // Cut off after the head arrived: the connection broke, the body we have is incomplete.
        return phase === 'body'
          ? fail('UPSTREAM_BAD_RESPONSE', { cause: e, internal: { ...internal, reason: `body cut off (${reason})` }, transient: true, healthFailure: true })
          : fail('UPSTREAM_UNAVAILABLE', { cause: e, internal, transient: true, healthFailure: true });
      }
      if (code.startsWith('HPE_')) return fail('UPSTREAM_BAD_RESPONSE', { cause: e, internal, healthFailure: true });
      return fail('UPSTREAM_BAD_RESPONSE', { cause: e, internal });
    };

    try {
      let attempts = 0;
      const raw = await policy.execute(
        () => {
          attempts++;
          return attempt();
        },
        { idempotent, signal: ctl.signal, deadline, abortToError, client: req.client },
      );
      recordOutcome(name, 'ok', (Date.now() - started) / 1000);
      return makeResponse(raw, url.href, attempts);
    } catch (e) {
      const err = e instanceof UpstreamError ? e : fail('UPSTREAM_BAD_RESPONSE', { cause: e, internal: { ...internalBase, reason: String(e) } });
      recordOutcome(name, err.code, (Date.now() - started) / 1000);
      cfg.logger?.warn('upstream request failed', { ...traceFields(req.trace), ...err.toLog() });
      throw err;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  function makeResponse(raw: { status: number; headers: Record<string, string>; body: Buffer }, href: string, attempts: number): UpstreamResponse {
    let text: string | undefined;
    const res: UpstreamResponse = {
      upstream: name,
      status: raw.status,
      headers: raw.headers,
      body: raw.body,
      url: href,
      attempts,
      text: () => (text ??= decodeText(raw.body, raw.headers['content-type'])),
      json: <T>() => {
        try {
          return JSON.parse(res.text()) as T;
        } catch (e) {
          throw res.error('UPSTREAM_BAD_RESPONSE', {
            cause: e,
            internal: { reason: `invalid JSON: ${(e as Error).message}`, bodySnippet: snippet(res.text()) },
          });
        }
      },
      error: (code, init = {}) =>
        fail(code, { status: raw.status, ...init, internal: { url: href, ...init.internal } }),
    };
    return res;
  }

  return {
    name,
    baseUrl: base.href,
    production,
    request,
    breakerState: () => policy.breakerState(),
    pathFor: (absolute) => pathUnderBase(base, absolute),
    close: () => pool.close(),
  };
}

import cors from 'cors';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORS_ENTRY as ENTRY } from '../config/cors';

/**
 * CORS for browser frontends on other origins (municipal portals). Only allow-listed origins get
 * `Access-Control-Allow-Origin`; for every other origin the browser keeps the answer from the page, and
 * Apollo's CSRF prevention still refuses simple (non-preflighted) requests. Credentials (cookies, HTTP
 * auth) stay off unless configured: API keys travel in a header, which needs no credentials mode.
 */

/** Loopback origins on any port: the development default, so a local frontend dev server just works. */
const LOOPBACK = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

export const CORS_ALLOWED_HEADERS = ['content-type', 'accept', 'x-api-key', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id', 'traceparent', 'tracestate'];
export const CORS_EXPOSED_HEADERS = ['x-request-id', 'x-cache', 'etag', 'age', 'retry-after', 'ratelimit', 'ratelimit-policy'];

/**
 * The allow-list as patterns the `cors` package matches itself (case-insensitive; a wildcard never matches the
 * bare domain): no code of ours runs per request.
 */
export function originPatterns(entries: readonly string[] | 'loopback'): RegExp[] {
  if (entries === 'loopback') return [LOOPBACK];
  const patterns: RegExp[] = [];
  for (const e of entries) {
    const m = ENTRY.exec(e);
    if (!m) continue;
    const [, scheme, wildcard, host, port] = m;
    const base = escape(`${scheme.toLowerCase()}://`);
    const suffix = escape(`${host.toLowerCase()}${port !== undefined ? `:${port}` : ''}`);
    patterns.push(new RegExp(wildcard ? `^${base}(?:[a-z0-9-]+\\.)+${suffix}$` : `^${base}${suffix}$`, 'i'));
  }
  return patterns;
}

/** `origin → allowed?` over the same patterns. */
export function originMatcher(entries: readonly string[] | 'loopback'): (origin: string) => boolean {
  const patterns = originPatterns(entries);
  return (origin) => patterns.some((p) => p.test(origin));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface CorsOptions {
  /** Allow-list entries, or `loopback` for the development default. */
  origins: readonly string[] | 'loopback';
  credentials: boolean;
}

export type RawMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The `cors` middleware for Express and for the raw-HTTP response-cache fast path alike (it only uses
 * node:http's request and response), so a hit carries the same CORS headers as a miss.
 */
export function corsMiddleware(opts: CorsOptions): RawMiddleware {
  return cors({
    origin: originPatterns(opts.origins),
    credentials: opts.credentials,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
    optionsSuccessStatus: 204,
  }) as unknown as RawMiddleware;
}

/**
 * The headers `middleware` sets on an actual (non-preflight) request from `origin`, recorded once per distinct
 * answer: for every origin that is not allowed the headers are the same, allowed origins get one entry each
 * (bounded). The response-cache hot path sends them without running the middleware per request; the `cors`
 * package stays the only place that decides them.
 */
export function corsHeaderCache(middleware: RawMiddleware, isAllowed: (origin: string) => boolean, maxOrigins = 1_000) {
  const byOrigin = new Map<string, readonly (readonly [string, string])[]>();
  const record = (origin: string | undefined) => {
    const headers = new Map<string, string>();
    const recorder = {
      statusCode: 200,
      setHeader: (name: string, value: string | number | readonly string[]) => void headers.set(name.toLowerCase(), String(value)),
      getHeader: (name: string) => headers.get(name.toLowerCase()),
      removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
      end: () => undefined,
    };
    let done = false;
    middleware({ method: 'POST', headers: origin === undefined ? {} : { origin } } as IncomingMessage, recorder as unknown as ServerResponse, () => (done = true));
    if (!done) throw new Error('cors middleware did not pass an actual request on synchronously');
    return Object.freeze([...headers].map(([k, v]) => Object.freeze([k, v] as const)));
  };
  const others = record(undefined);
  return (origin: string | string[] | undefined): readonly (readonly [string, string])[] => {
    if (typeof origin !== 'string' || !isAllowed(origin)) return others;
    let headers = byOrigin.get(origin);
    if (!headers) {
      if (byOrigin.size >= maxOrigins) byOrigin.clear();
      byOrigin.set(origin, (headers = record(origin)));
    }
    return headers;
  };
}

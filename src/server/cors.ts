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

/** `origin → allowed?` for exact origins and leading-wildcard patterns (a wildcard never matches the bare domain). */
export function originMatcher(entries: readonly string[] | 'loopback'): (origin: string) => boolean {
  if (entries === 'loopback') return (origin) => LOOPBACK.test(origin);
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const e of entries) {
    const m = ENTRY.exec(e);
    if (!m) continue;
    const [, scheme, wildcard, host, port] = m;
    const base = `${scheme.toLowerCase()}://`;
    const suffix = `${host.toLowerCase()}${port !== undefined ? `:${port}` : ''}`;
    if (!wildcard) exact.add(base + suffix);
    else patterns.push(new RegExp(`^${escape(base)}(?:[a-z0-9-]+\\.)+${escape(suffix)}$`));
  }
  return (origin) => {
    const o = origin.toLowerCase();
    return exact.has(o) || patterns.some((p) => p.test(o));
  };
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
  const allowed = originMatcher(opts.origins);
  return cors({
    origin: (origin, done) => done(null, origin !== undefined && allowed(origin)),
    credentials: opts.credentials,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
    optionsSuccessStatus: 204,
  }) as unknown as RawMiddleware;
}

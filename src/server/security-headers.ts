import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Security headers on every answer (DESIGN §6), set before routing so the response-cache hot path, GraphQL, the
 * health endpoints and 404s all carry them: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and a
 * CSP that lets a JSON answer load nothing and be framed nowhere. The explorer page (graphiql.ts) replaces the CSP
 * with the one its own scripts need.
 */
function helmetMiddleware() {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
    // Portals on other origins read answers through CORS; CORP only governs no-cors loads, which they never make.
    crossOriginResourcePolicy: { policy: 'same-site' },
    // Behind TLS termination the proxy decides HSTS for its own host names.
    strictTransportSecurity: false,
  });
}

/**
 * helmet's headers as a fixed list: with this configuration they do not depend on the request (no nonces), so helmet
 * runs once at start-up against a recording response instead of twelve middleware calls per request (issue 15 P1:
 * they were a measurable share of a response-cache hit).
 */
export function securityHeaderList(): readonly (readonly [string, string])[] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void headers.set(name, String(value)),
    removeHeader: (name: string) => void headers.delete(name),
    getHeader: (name: string) => headers.get(name),
  };
  let done = false;
  helmetMiddleware()({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, () => (done = true));
  if (!done) throw new Error('helmet did not finish synchronously; the security header list cannot be precomputed');
  return Object.freeze([...headers].map(([k, v]) => Object.freeze([k, v] as const)));
}

export function securityHeaders(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const list = securityHeaderList();
  return (_req, res, next) => {
    for (const [name, value] of list) res.setHeader(name, value);
    next();
  };
}

import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Security headers on every answer (DESIGN §6), set before routing so the response-cache fast path, GraphQL, the
 * health endpoints and 404s all carry them: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and a
 * CSP that lets a JSON answer load nothing and be framed nowhere. The explorer page (graphiql.ts) replaces the CSP
 * with the one its own scripts need.
 */
export function securityHeaders(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const mw = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
    // Portals on other origins read answers through CORS; CORP only governs no-cors loads, which they never make.
    crossOriginResourcePolicy: { policy: 'same-site' },
    // Behind TLS termination the proxy decides HSTS for its own host names.
    strictTransportSecurity: false,
  });
  return (req, res, next) => mw(req, res, () => next());
}

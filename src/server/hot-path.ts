import type { IncomingMessage, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import { endHitTrace, traceHit } from '../observability/tracing';
import type { Role } from '../schema/context';
import { negotiateGraphqlMediaType } from './media-types';
import type { RateLimiter, RateLimitClient } from './protection';
import type { Decision } from './protection/counters';
import type { PreparedRequest } from './compiled-execution';
import type { ResponseCache, StoredResponse } from './response-cache';
import { hitHeaders } from './response-cache/store';

type HeaderList = readonly (readonly [string, string])[];

export interface HotPathOptions {
  cache: ResponseCache;
  /** Largest body read here (the regular path's JSON limit). */
  limitBytes: number;
  /** The caller's role when it is known without waiting (no key, admin token, a cached API key); undefined = ask the regular path. */
  roleNow(req: IncomingMessage): Role | undefined;
  rateLimiter?: RateLimiter;
  securityHeaders: HeaderList;
  corsHeaders(origin: string | string[] | undefined): HeaderList;
  /** Rewrites the parsed body before the lookup (trusted documents: id → text); undefined = leave it to the regular path. */
  prepare?(body: Record<string, unknown>): Record<string, unknown> | undefined;
  /** Told about every answered hit that carries a persisted-query hash (automatic persisted queries register it). */
  hit?(body: Record<string, unknown>): void;
  /**
   * A miss this side may still answer: the compiled path (compiled-execution/) executes what it can and returns
   * true; false leaves the request untouched for the regular path.
   */
  execute?(req: IncomingMessage, res: ServerResponse, r: PreparedRequest): boolean;
  /**
   * Everything not answered here: Express, Apollo, the 429 answer. The request may have been counted (the rate
   * limiter then applies the same decision) and its body read (`req.body` is set, the JSON parser skips it).
   */
  regular(req: IncomingMessage, res: ServerResponse): void;
  /** A body that is not JSON: passed to the Express error handler, which answers it as the JSON parser's errors are. */
  bodyError(req: IncomingMessage, res: ServerResponse, err: Error & { status: number; type: string }): void;
}

/** What a raw body decided, remembered per role and body text so a repeated request is neither parsed nor hashed again. */
interface Prepared {
  key: string | undefined;
  /** The parsed body, for the persisted-query hook; only kept when it carries a hash. */
  apq?: Record<string, unknown>;
  /** The request body as the regular path would run it (trusted documents applied), for the compiled path; read only. */
  body?: Record<string, unknown>;
}

const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * The response-cache hit path (DESIGN §4, issue 15 P1): a GraphQL POST answered from stored bytes on the raw
 * node:http objects, before Express, Apollo or a span exist — with everything a hit owes the client and the
 * operator: the caller's role (API keys from the authenticator's cache, so a revocation notice takes effect here
 * too), the request counted for its rate limit (synchronously while the client is far from its limit), the
 * RateLimit, security, CORS and cache headers, and one trace in HIT_TRACE_EVERY (or when the caller's traceparent
 * asks). Every header list that does not depend on the request is computed once. Anything unusual — another
 * method or media type, a compressed or chunked body, a key not yet looked up, a refusal, a miss — goes to the
 * regular path unchanged, which makes the same decisions the slow way.
 */
export function createHotPath(o: HotPathOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const prepared = new LRUCache<string, Prepared>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (_v, k) => 4 * k.length + 256 }); // key text + the parsed body
  const mediaTypes = new Map<string, string | undefined>();
  const mediaTypeOf = (req: IncomingMessage): string | undefined => {
    const accept = req.headers.accept;
    if (accept === undefined) return negotiateGraphqlMediaType(req.headers);
    if (mediaTypes.has(accept)) return mediaTypes.get(accept);
    if (mediaTypes.size >= 256) mediaTypes.clear();
    const type = negotiateGraphqlMediaType(req.headers);
    mediaTypes.set(accept, type);
    return type;
  };

  const prepare = (role: Role, text: string): Prepared | Error | undefined => {
    const memoKey = `${role}\n${text}`;
    const known = prepared.get(memoKey);
    if (known) return known;
    let parsed: unknown;
    try {
      parsed = text.length === 0 ? {} : JSON.parse(text);
    } catch (e) {
      return e as Error;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { key: undefined };
    const plain = parsed as Record<string, unknown>;
    const body = o.prepare ? o.prepare(plain) : plain;
    // Not decided from the in-memory list (trusted documents): not remembered, the regular path decides.
    if (!body) return undefined;
    const hasHash = typeof (plain.extensions as { persistedQuery?: unknown } | undefined)?.persistedQuery === 'object';
    const result: Prepared = { key: o.cache.keys.keyFor(body, role), apq: hasHash ? plain : undefined, body: hasHash ? undefined : body };
    prepared.set(memoKey, result);
    return result;
  };

  const answer = (req: IncomingMessage, res: ServerResponse, hit: StoredResponse, type: string, client: RateLimitClient | undefined, d: Decision | undefined) => {
    const trace = traceHit(req);
    const h: string[] = [];
    for (const [k, v] of o.securityHeaders) h.push(k, v);
    for (const [k, v] of o.corsHeaders(req.headers.origin)) h.push(k, v);
    h.push('X-Request-Id', trace.requestId);
    if (client && d) for (const [k, v] of o.rateLimiter!.fields(client.policy, d)) h.push(k, v);
    for (const [k, v] of hitHeaders(hit, o.cache.now())) h.push(k, v);
    h.push('content-type', type, 'content-length', String(hit.body.length));
    res.writeHead(200, h);
    res.end(hit.body);
    endHitTrace(trace, 200, 'HIT');
  };

  const afterCount = (req: IncomingMessage, res: ServerResponse, role: Role, client: RateLimitClient | undefined, d: Decision | undefined) => {
    if (d && !d.allowed) return o.regular(req, res);
    readBody(req, o.limitBytes, (text) => {
      if (text === undefined) return o.regular(req, res);
      const p = prepare(role, text);
      if (p instanceof Error) return o.bodyError(req, res, Object.assign(p, { status: 400, type: 'entity.parse.failed' }));
      if (!p) {
        (req as { body?: unknown }).body = JSON.parse(text);
        return o.regular(req, res);
      }
      // The regular path sees the body as Express's JSON parser would have left it.
      const withBody = () => ((req as { body?: unknown }).body = p.apq ?? (text.length === 0 ? {} : JSON.parse(text)));
      const type = p.key ? mediaTypeOf(req) : undefined;
      if (!p.key || !type) return withBody(), o.regular(req, res);
      const miss = () => {
        if (p.body && o.execute?.(req, res, { body: p.body, role, client, decision: d, mediaType: type, cacheKey: p.key })) return;
        withBody();
        o.regular(req, res);
      };
      const found = o.cache.lookup(p.key);
      const go = (hit: StoredResponse | undefined) => {
        if (!hit) return miss();
        answer(req, res, hit, type, client, d);
        if (p.apq) o.hit?.(p.apq);
      };
      if (found instanceof Promise) found.then(go, () => go(undefined));
      else go(found);
    });
  };

  return (req, res) => {
    const length = Number(req.headers['content-length']);
    const url = req.url;
    const eligible =
      req.method === 'POST' &&
      (url === '/graphql' || url === '/graphql/') &&
      length <= o.limitBytes &&
      JSON_TYPE.test(req.headers['content-type'] ?? '') &&
      (req.headers['content-encoding'] === undefined || req.headers['content-encoding'] === 'identity');
    if (!eligible) return o.regular(req, res);
    const role = o.roleNow(req);
    if (role === undefined) return o.regular(req, res);
    let client: RateLimitClient | undefined;
    let decided: Decision | Promise<Decision> | undefined;
    if (o.rateLimiter) {
      client = o.rateLimiter.identifyNow(req);
      if (!client) return o.regular(req, res);
      decided = o.rateLimiter.count(req, client);
    }
    if (decided instanceof Promise) decided.then((d) => afterCount(req, res, role, client, d), () => o.regular(req, res));
    else afterCount(req, res, role, client, decided);
  };
}

/** The whole body as text (UTF-8, BOM dropped as the JSON parser does), or undefined when the stream failed. */
function readBody(req: IncomingMessage, limit: number, done: (text: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) failed = true;
    else chunks.push(chunk);
  });
  req.once('error', () => (failed = true));
  req.once('end', () => {
    if (failed) return done(undefined);
    const text = (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
    done(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  });
}

import type { ApolloServerPlugin } from '@apollo/server';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { Kind, parse, print, type OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../observability/metrics';

/**
 * HTTP-level response cache (DESIGN §4, response level): the finished bytes of cacheable query
 * answers, keyed by normalised document + operation name + canonical variables + role, served in
 * front of Apollo. A hit never parses, validates or executes anything. What gets stored is decided
 * after execution by `responseCachePlugin` from Apollo's cache-control policy (shortest max-age of
 * the resolved fields): only queries, HTTP 200, no `errors`, PUBLIC scope, max-age > 0.
 */

export interface StoredResponse {
  body: Buffer;
  contentType: string;
  etag: string;
  storedAt: number;
  expiresAt: number;
}

/** Per miss: what the middleware knows before Apollo, and what the plugin learns during it. */
interface Ticket {
  key: string;
  epoch: number;
  operation?: OperationTypeNode | 'invalid';
  errors?: boolean;
  policy?: { maxAge: number; scope: 'PUBLIC' | 'PRIVATE' };
  /** Set while resolving: the answer used stale upstream data and must be served, not stored. */
  stale?: boolean;
}

const TICKET = Symbol('responseCacheTicket');
type WithTicket = { [TICKET]?: Ticket };


const lookups = registeredMetric(
  'thuegate_response_cache_requests_total',
  () =>
    new Counter({
      name: 'thuegate_response_cache_requests_total',
      help: 'GraphQL HTTP requests seen by the response cache: hit, miss, or bypass (mutation, unparsable, batched, not cacheable by form)',
      labelNames: ['result'] as const,
      registers: [metricsRegistry],
    }),
);
const stores = registeredMetric(
  'thuegate_response_cache_stores_total',
  () =>
    new Counter({
      name: 'thuegate_response_cache_stores_total',
      help: 'Responses stored (result=stored) or refused, by reason (errors, private, max_age_0, not_query, status, oversize, purged)',
      labelNames: ['result'] as const,
      registers: [metricsRegistry],
    }),
);
const instances = new Set<ResponseCache>();
registeredMetric(
  'thuegate_response_cache_bytes',
  () =>
    new Gauge({
      name: 'thuegate_response_cache_bytes',
      help: 'Bytes held by the response cache (bodies plus per-entry overhead)',
      registers: [metricsRegistry],
      collect() {
        let n = 0;
        for (const c of instances) n += c.bytes;
        this.set(n);
      },
    }),
);
registeredMetric(
  'thuegate_response_cache_entries',
  () =>
    new Gauge({
      name: 'thuegate_response_cache_entries',
      help: 'Responses held by the response cache',
      registers: [metricsRegistry],
      collect() {
        let n = 0;
        for (const c of instances) n += c.entries;
        this.set(n);
      },
    }),
);

const ENTRY_OVERHEAD = 256;

export interface ResponseCacheOptions {
  maxBytes: number;
  /** Largest single response kept; default maxBytes / 8. */
  maxEntryBytes?: number;
  /** Same limit Apollo parses with, so the cache is no cheaper way to make the server parse huge documents. */
  maxTokens?: number;
  now?: () => number;
}

export class ResponseCache {
  private readonly lru: LRUCache<string, StoredResponse>;
  /** Raw query text → normalised-document hash and its operations, so hot requests are not re-parsed. */
  private readonly documents = new LRUCache<string, NormalisedDocument>({ maxSize: 4 * 1024 * 1024, sizeCalculation: (_v, k) => k.length + 128 });
  private readonly now: () => number;
  private readonly maxTokens: number;
  /** Bumped by `clear`: a response computed before a purge is not stored after it. */
  private epoch = 0;

  constructor(opts: ResponseCacheOptions) {
    this.now = opts.now ?? Date.now;
    this.maxTokens = opts.maxTokens ?? 5000;
    this.lru = new LRUCache({
      maxSize: opts.maxBytes,
      maxEntrySize: opts.maxEntryBytes ?? Math.floor(opts.maxBytes / 8),
      sizeCalculation: (v, k) => v.body.length + k.length + ENTRY_OVERHEAD,
    });
    instances.add(this);
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get entries(): number {
    return this.lru.size;
  }

  /** Drops every stored response (admin purge); returns how many were held. */
  clear(): number {
    const n = this.lru.size;
    this.lru.clear();
    this.epoch++;
    return n;
  }

  close(): void {
    this.lru.clear();
    instances.delete(this);
  }

  /**
   * Express middleware; mount on /graphql after the JSON body parser and before Apollo. `roleOf` may be
   * async (API-key lookup); when it throws (bad credentials) the request bypasses the cache and
   * Apollo's context factory reports the error.
   */
  middleware(roleOf: (req: Request) => string | Promise<string>) {
    return (req: Request, res: Response, next: NextFunction): void => {
      let role: string | Promise<string>;
      try {
        role = roleOf(req);
      } catch {
        lookups.inc({ result: 'bypass' });
        return next();
      }
      if (typeof role === 'string') return this.handle(req, res, next, role);
      role.then(
        (r) => this.handle(req, res, next, r),
        () => {
          lookups.inc({ result: 'bypass' });
          next();
        },
      );
    };
  }

  private handle(req: Request, res: Response, next: NextFunction, role: string): void {
    const key = this.keyFor(req, role);
    if (!key) {
      lookups.inc({ result: 'bypass' });
      return next();
    }
    const hit = this.lru.get(key);
    const now = this.now();
    if (hit && hit.expiresAt > now) {
      lookups.inc({ result: 'hit' });
      return this.serve(req, res, hit, now);
    }
    if (hit) this.lru.delete(key);
    lookups.inc({ result: 'miss' });
    const ticket: Ticket = { key, epoch: this.epoch };
    (res as WithTicket)[TICKET] = ticket;
    res.setHeader('X-Cache', 'MISS');
    // Apollo's Express integration sends complete bodies with res.send; incremental delivery uses write and is never stored.
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      res.send = send;
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.isBuffer(body) ? body : undefined;
      if (bytes) this.maybeStore(ticket, res, bytes);
      return send(bytes ?? body);
    };
    next();
  }

  /**
   * The hot path (DESIGN §4): an anonymous JSON POST to /graphql answered from stored bytes on the raw
   * node:http objects, before Express routing and body parsing. Everything else — and every miss — goes
   * on to Express with the body already parsed, so Apollo and the middleware above see the same request.
   */
  fastPath(req: IncomingMessage, res: ServerResponse, limitBytes: number, fallback: (body: unknown) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limitBytes) tooLarge = true;
      else chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const reject = (status: number, message: string, code: string) => {
        res.statusCode = status;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
      };
      if (tooLarge) return reject(413, 'request entity too large', 'entity.too.large');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        return reject(400, (e as Error).message, 'entity.parse.failed');
      }
      const key = body && typeof body === 'object' && !Array.isArray(body) ? this.keyForParams(body as Record<string, unknown>, 'public') : undefined;
      const hit = key ? this.lru.get(key) : undefined;
      const now = this.now();
      if (hit && hit.expiresAt > now) {
        lookups.inc({ result: 'hit' });
        return this.serve(req, res, hit, now);
      }
      fallback(body);
    });
  }

  private serve(req: IncomingMessage, res: ServerResponse, hit: StoredResponse, now: number): void {
    const remaining = Math.max(0, Math.ceil((hit.expiresAt - now) / 1000));
    res.setHeader('X-Cache', 'HIT');
    res.setHeader('Cache-Control', `max-age=${remaining}, public`);
    res.setHeader('ETag', hit.etag);
    res.setHeader('Age', String(Math.max(0, Math.floor((now - hit.storedAt) / 1000))));
    if (req.method === 'GET' && ifNoneMatch(req.headers['if-none-match'], hit.etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', hit.contentType);
    res.setHeader('Content-Length', String(hit.body.length));
    res.end(hit.body);
  }

  private maybeStore(ticket: Ticket, res: Response, body: Buffer): void {
    const reason = refusal(ticket, res.statusCode);
    if (reason) {
      stores.inc({ result: reason });
      return;
    }
    if (ticket.epoch !== this.epoch) {
      stores.inc({ result: 'purged' });
      return;
    }
    const now = this.now();
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    const entry: StoredResponse = {
      body,
      contentType: String(res.getHeader('content-type') ?? 'application/json; charset=utf-8'),
      etag,
      storedAt: now,
      expiresAt: now + ticket.policy!.maxAge * 1000,
    };
    if (!this.lru.set(ticket.key, entry).has(ticket.key)) {
      stores.inc({ result: 'oversize' });
      return;
    }
    stores.inc({ result: 'stored' });
    // Express turns a matching If-None-Match into 304 for GET when an ETag is set.
    if (!res.headersSent) res.setHeader('ETag', etag);
  }

  /** The cache key, or undefined when this request is not answered from (or stored in) the cache. */
  private keyFor(req: Request, role: string): string | undefined {
    let params: { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown };
    if (req.method === 'GET') {
      if (!passesCsrfCheck(req)) return undefined; // let Apollo answer with its CSRF error
      const q = req.query as Record<string, unknown>;
      try {
        params = {
          query: q.query,
          operationName: q.operationName,
          variables: typeof q.variables === 'string' ? JSON.parse(q.variables) : q.variables,
          extensions: typeof q.extensions === 'string' ? JSON.parse(q.extensions) : q.extensions,
        };
      } catch {
        return undefined;
      }
    } else if (req.method === 'POST') {
      // Not a JSON object (batch array, wrong content type): Apollo decides what happens.
      if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) return undefined;
      params = req.body as typeof params;
    } else return undefined;
    return this.keyForParams(params, role);
  }

  private keyForParams(
    params: { query?: unknown; operationName?: unknown; variables?: unknown; extensions?: unknown },
    role: string,
  ): string | undefined {

    const opName = params.operationName ?? undefined;
    if (opName !== undefined && typeof opName !== 'string') return undefined;
    const variables = params.variables ?? {};
    if (typeof variables !== 'object' || Array.isArray(variables)) return undefined;

    let docId: string;
    if (typeof params.query === 'string') {
      const doc = this.normalise(params.query);
      if (!doc) return undefined;
      const op = opName ? doc.operations.get(opName) : doc.operations.size === 1 ? [...doc.operations.values()][0] : undefined;
      if (op !== 'query') return undefined;
      docId = `d:${doc.hash}`;
    } else {
      // Persisted document by hash: only ever stored after Apollo ran it as a query.
      const hash = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
      if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/i.test(hash)) return undefined;
      docId = `p:${hash.toLowerCase()}`;
    }
    return createHash('sha256')
      .update(`${docId}\n${opName ?? ''}\n${canonicalJson(variables)}\n${role}`)
      .digest('base64url');
  }

  private normalise(query: string): NormalisedDocument | undefined {
    const known = this.documents.get(query);
    if (known) return known;
    let doc;
    try {
      doc = parse(query, { maxTokens: this.maxTokens, noLocation: true });
    } catch {
      return undefined;
    }
    const operations = new Map<string, OperationTypeNode>();
    for (const def of doc.definitions) {
      if (def.kind === Kind.OPERATION_DEFINITION) operations.set(def.name?.value ?? '', def.operation);
    }
    const normalised: NormalisedDocument = { hash: createHash('sha256').update(print(doc)).digest('base64url'), operations };
    this.documents.set(query, normalised);
    return normalised;
  }
}

interface NormalisedDocument {
  hash: string;
  /** Operation name ('' for anonymous) → query | mutation | subscription. */
  operations: Map<string, OperationTypeNode>;
}

function refusal(t: Ticket, status: number): string | undefined {
  if (status !== 200) return 'status';
  if (t.stale) return 'stale';
  if (t.operation !== 'query') return 'not_query';
  if (t.errors !== false) return 'errors';
  if (!t.policy) return 'max_age_0';
  if (t.policy.scope !== 'PUBLIC') return 'private';
  if (!(t.policy.maxAge > 0)) return 'max_age_0';
  return undefined;
}

/**
 * Tells the middleware what Apollo found out: operation type, errors, and the overall cache policy
 * (computed by ApolloServerPluginCacheControl, which must run in the same server).
 */
export function responseCachePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(ctx) {
          const ticket = ticketOf(ctx.contextValue);
          if (!ticket) return;
          ticket.operation = ctx.operation?.operation ?? 'invalid';
          const body = ctx.response.body;
          ticket.errors = body.kind !== 'single' || !!body.singleResult.errors?.length;
          const policy = ctx.overallCachePolicy.policyIfCacheable();
          ticket.policy = policy ? { maxAge: policy.maxAge, scope: policy.scope } : undefined;
        },
      };
    },
  };
}

/**
 * Called from the GraphQL context factory: links this request's context to its ticket. An enumerable
 * symbol property, not a WeakMap: Apollo clones the context per operation with Object.assign.
 */
/**
 * A response built from stale upstream data (stale-while-revalidate, stale-if-error) is served but not
 * stored: otherwise the response cache would keep serving it for the type's full max-age after the
 * upstream has recovered.
 */
export function markResponseStale(res: Response): void {
  const t = (res as WithTicket)[TICKET];
  if (t) t.stale = true;
}

export function linkResponseCache(context: object, res: Response): void {
  const t = (res as WithTicket)[TICKET];
  if (t) (context as WithTicket)[TICKET] = t;
}

function ticketOf(context: object): Ticket | undefined {
  return (context as WithTicket)[TICKET];
}

/** Object keys sorted at every level, so `{a,b}` and `{b,a}` share a cache entry. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Apollo's CSRF rule for GET (a preflight-forcing header or a non-simple content type): a cache hit
 * must not be a way around it.
 */
function passesCsrfCheck(req: Request): boolean {
  const ct = req.headers['content-type'];
  if (ct) {
    const mime = ct.split(';')[0].trim().toLowerCase();
    if (!['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'].includes(mime)) return true;
  }
  return req.headers['x-apollo-operation-name'] !== undefined || req.headers['apollo-require-preflight'] !== undefined;
}

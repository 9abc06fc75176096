import express from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMediaType, negotiateGraphqlMediaType } from '../media-types';
import type { ResponseKeys } from './keys';
import { hitHeaders, type ResponseStore } from './store';

/**
 * The hot path (DESIGN §4): an anonymous JSON POST to /graphql answered from stored bytes on the raw
 * node:http objects, before Express routing. The body is read by Express's own JSON parser, so a miss
 * goes on to Express with `req.body` already set (body-parser then skips the request) and Apollo sees
 * the same request. Only anonymous requests come here: their role is `public` without any lookup, so
 * the caller is still resolved once per request (in the context factory) on every other path.
 */
export interface FastPathHooks {
  /** Rewrites the parsed body before the lookup (trusted documents: id → text); undefined = leave it to Express. */
  prepare?(body: Record<string, unknown>): Record<string, unknown> | undefined;
  /** Told about every answered hit (automatic persisted queries register the hash here). */
  hit?(body: Record<string, unknown>): void;
}

export function createFastPath(store: ResponseStore, keys: ResponseKeys, limitBytes: number, hooks: FastPathHooks = {}) {
  const parseJson = express.json({ limit: limitBytes });
  return function fastPath(req: IncomingMessage, res: ServerResponse, fallback: () => void): void {
    parseJson(req as express.Request, res as express.Response, (err?: unknown) => {
      if (err) return reject(req, res, err as { status?: number; type?: string; message?: string });
      const parsed = (req as { body?: unknown }).body;
      // The type a miss would get from Apollo; an Accept allowing neither goes to Apollo for its 406.
      const contentType = negotiateGraphqlMediaType(req.headers);
      const plain = contentType && parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
      const body = plain && hooks.prepare ? hooks.prepare(plain) : plain;
      const key = body ? keys.keyFor(body, 'public') : undefined;
      const hit = key ? store.lookup(key) : undefined;
      if (!hit) return fallback();
      hooks.hit?.(plain!);
      for (const [name, value] of hitHeaders(hit, store.now())) res.setHeader(name, value);
      res.statusCode = 200;
      res.setHeader('content-type', contentType!);
      res.setHeader('content-length', String(hit.body.length));
      res.end(hit.body);
    });
  };
}

/** Same answer the Express error handler in app.ts gives for a body the parser refused (too large, not JSON). */
function reject(req: IncomingMessage, res: ServerResponse, err: { status?: number; type?: string; message?: string }): void {
  res.statusCode = err.status && err.status >= 400 && err.status < 500 ? err.status : 400;
  res.setHeader('content-type', errorMediaType(req.headers));
  res.end(JSON.stringify({ errors: [{ message: err.message ?? 'bad request', extensions: { code: err.type ?? 'BAD_REQUEST' } }] }));
}

import type express from 'express';
import type { DocumentParams, TrustedDocuments, Verdict } from './index';

/**
 * Express middleware in front of Apollo on /graphql: resolves `documentId=sha256:<hex>` (JSON body or GET query)
 * to the registered text and enforces TRUSTED_DOCUMENTS. A GET by document id is an ordinary GraphQL GET to
 * Apollo afterwards, so it gets the same `Cache-Control`/ETag headers as any cacheable query and HTTP caches
 * can keep it (the URL names the document, the variables and nothing else).
 */
export function trustedDocumentsMiddleware(td: TrustedDocuments): express.RequestHandler {
  return (req, res, next) => {
    const get = req.method === 'GET' || req.method === 'HEAD';
    const search = get ? new URLSearchParams(req.url.split('?')[1] ?? '') : undefined;
    const params = search ? getParams(search) : (req.body as DocumentParams | undefined);
    // Batches, empty and malformed bodies: Apollo gives its own answer (none of them runs a document).
    if (!params || typeof params !== 'object' || Array.isArray(params)) return next();
    if (td.mode === 'off' && params.documentId === undefined) return next();
    td.check(params).then((v) => {
      if (v.kind === 'reject') return void answer(res, v);
      if (search) {
        search.delete('documentId');
        if (typeof v.params.query === 'string') search.set('query', v.params.query);
        req.url = `${req.url.split('?')[0]}?${search.toString()}`;
      } else {
        req.body = v.params;
      }
      next();
    }, next);
  };
}

function getParams(search: URLSearchParams): DocumentParams {
  const out: DocumentParams = {};
  for (const name of ['query', 'documentId'] as const) {
    const v = search.get(name);
    if (v !== null) out[name] = v;
  }
  const ext = search.get('extensions');
  if (ext !== null) {
    try {
      out.extensions = JSON.parse(ext);
    } catch {
      // Apollo reports the malformed parameter.
    }
  }
  return out;
}

function answer(res: express.Response, v: Extract<Verdict, { kind: 'reject' }>): void {
  res.status(v.status).json({ errors: [{ message: v.message, extensions: { code: v.code } }] });
}

import { createHash } from 'node:crypto';
import { Kind, parse, print, type OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** The parts of a GraphQL-over-HTTP request that decide its answer. */
export interface RequestParams {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

interface NormalisedDocument {
  hash: string;
  /** Operation name ('' for anonymous) → query | mutation | subscription. */
  operations: Map<string, OperationTypeNode>;
}

/**
 * Response-cache keys: normalised document (printed AST, so whitespace and comments do not split
 * entries) + operation name + canonical variables + role. Raw query text → normalised form is
 * memoised, so hot requests are not re-parsed.
 */
export class ResponseKeys {
  private readonly documents = new LRUCache<string, NormalisedDocument>({ maxSize: 4 * 1024 * 1024, sizeCalculation: (_v, k) => k.length + 128 });

  /** @param maxTokens the limit Apollo parses with, so the cache is no cheaper way to make the server parse huge documents. */
  constructor(private readonly maxTokens = 5000) {}

  /** The cache key, or undefined when this request is not answered from (or stored in) the cache: not a query, unparsable, odd shapes. */
  keyFor(params: RequestParams, role: string): string | undefined {
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
    return createHash('sha256').update(`${docId}\n${opName ?? ''}\n${canonicalJson(variables)}\n${role}`).digest('base64url');
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

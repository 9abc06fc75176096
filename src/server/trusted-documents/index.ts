import { createHash } from 'node:crypto';
import { Kind, print, type DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import * as clientOperations from '../../../client/generated/graphql';
import type { TrustedDocumentsMode } from '../../config/protection';
import type { Database } from '../../persistence/orm';
import { allDocuments, documentHash, registerDocument } from '../../services/persisted-documents';

/** The GraphQL-over-HTTP request parameters this gate reads and may rewrite. */
export interface DocumentParams {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
  [k: string]: unknown;
}

export type Verdict =
  | { kind: 'pass'; params: DocumentParams }
  | { kind: 'reject'; status: number; code: 'PERSISTED_QUERY_NOT_IN_LIST' | 'PERSISTED_QUERY_ID_REQUIRED' | 'PERSISTED_QUERY_NOT_FOUND' | 'BAD_REQUEST'; message: string }
  /** Not in this replica's copy of the list: reload from the database, then decide again. */
  | { kind: 'unknown' };

const DOCUMENT_ID = /^sha256:([0-9a-f]{64})$/;
const RELOAD_AT_MOST_EVERY_MS = 1_000;

/** The documents of the client SDK (client/operations → client/generated), printed as the SDK sends them. */
export function clientDocuments(): string[] {
  return Object.values(clientOperations as Record<string, unknown>)
    .filter((d): d is DocumentNode => typeof d === 'object' && d !== null && (d as DocumentNode).kind === Kind.DOCUMENT)
    .filter((d) => d.definitions.some((def) => def.kind === Kind.OPERATION_DEFINITION))
    .map((d) => print(d));
}

/**
 * Trusted documents (issue 13 item 4, DESIGN §6): `TRUSTED_DOCUMENTS=off|allow-listed|required` over the
 * `persisted_document` table. Each replica keeps the whole list in memory (it is small), so the decision is
 * synchronous on the hot path; an id or hash it does not know makes it reload (at most once a second), which
 * picks up documents registered on other replicas.
 */
export class TrustedDocuments {
  private docs = new Map<string, string>();
  private loadedAt = 0;
  private loading?: Promise<void>;

  constructor(
    readonly mode: TrustedDocumentsMode,
    private readonly db: Database,
  ) {}

  /** Registers the client SDK's documents (shipped with the build) and loads the list. */
  async init(): Promise<void> {
    // The list first: from the second start on it holds every SDK document, and a start makes this one query instead
    // of a round trip per document (issue 15 P7).
    await this.reload(true);
    for (const body of clientDocuments()) if (!this.docs.has(documentHash(body))) await this.register(body);
  }

  async register(body: string): Promise<{ hash: string; created: boolean }> {
    const r = await registerDocument(this.db, body);
    this.docs.set(r.hash, body);
    return r;
  }

  get size(): number {
    return this.docs.size;
  }

  /** Decides from the in-memory list alone. */
  gate(params: DocumentParams): Verdict {
    const { documentId, query } = params;
    const apqHash = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (documentId !== undefined) {
      const m = typeof documentId === 'string' ? DOCUMENT_ID.exec(documentId) : null;
      if (!m) return reject(400, 'BAD_REQUEST', `documentId: expected "sha256:" followed by 64 lower-case hex digits, got ${JSON.stringify(documentId)}`);
      if (query !== undefined) return reject(400, 'BAD_REQUEST', 'send either documentId or query, not both');
      const body = this.docs.get(m[1]);
      if (body === undefined) return { kind: 'unknown' };
      const { documentId: _id, ...rest } = params;
      return { kind: 'pass', params: { ...rest, query: body } };
    }
    if (this.mode === 'off') return { kind: 'pass', params };
    if (query === undefined && typeof apqHash === 'string') {
      // A persisted-query hash is a document id too: resolved from the trusted list, never from clients' registrations.
      const body = this.docs.get(apqHash.toLowerCase());
      if (body === undefined) return { kind: 'unknown' };
      return { kind: 'pass', params: { ...params, query: body } };
    }
    if (this.mode === 'required') {
      return reject(400, 'PERSISTED_QUERY_ID_REQUIRED', 'This gateway runs registered documents only: send documentId=sha256:<hex> of a registered document instead of the query text');
    }
    if (typeof query !== 'string') return { kind: 'pass', params };
    return this.docs.has(documentHash(query)) ? { kind: 'pass', params } : { kind: 'unknown' };
  }

  /** `gate`, reloading the list once when it does not know the document. */
  async check(params: DocumentParams): Promise<Exclude<Verdict, { kind: 'unknown' }>> {
    const first = this.gate(params);
    if (first.kind !== 'unknown') return first;
    await this.reload(false);
    const second = this.gate(params);
    if (second.kind !== 'unknown') return second;
    if (params.documentId !== undefined || params.query === undefined) {
      return reject(404, 'PERSISTED_QUERY_NOT_FOUND', 'No registered document has this id; register it first (admin mutation registerPersistedDocument)');
    }
    return reject(400, 'PERSISTED_QUERY_NOT_IN_LIST', 'This document is not on the gateway’s list of trusted documents; send a registered document or ask the operator to register it');
  }

  private reload(force: boolean): Promise<void> {
    if (!force && Date.now() - this.loadedAt < RELOAD_AT_MOST_EVERY_MS) return this.loading ?? Promise.resolve();
    return (this.loading ??= allDocuments(this.db)
      .then((docs) => {
        this.docs = docs;
        this.loadedAt = Date.now();
      })
      .finally(() => (this.loading = undefined)));
  }
}

function reject(status: number, code: Extract<Verdict, { kind: 'reject' }>['code'], message: string): Extract<Verdict, { kind: 'reject' }> {
  return { kind: 'reject', status, code, message };
}

/**
 * The store of automatic persisted queries (Apollo's `persistedQueries.cache`), so the raw-HTTP fast path can
 * register a hash when it answers the registering request from the response cache (before, such hashes stayed
 * PERSISTED_QUERY_NOT_FOUND). Bounded; keys arrive prefixed `apq:` from Apollo.
 */
export class ApqStore {
  private readonly lru = new LRUCache<string, string>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (v, k) => v.length + k.length + 64 });

  async get(key: string): Promise<string | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.lru.set(key, value);
  }

  async delete(key: string): Promise<boolean> {
    return this.lru.delete(key);
  }

  /** Registers `query` under its hash when the request carries a matching persisted-query extension. */
  registerFrom(params: DocumentParams): void {
    const hash = (params.extensions as { persistedQuery?: { sha256Hash?: unknown; version?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (typeof hash !== 'string' || typeof params.query !== 'string') return;
    if (createHash('sha256').update(params.query).digest('hex') !== hash) return;
    this.lru.set(`apq:${hash}`, params.query);
  }
}

import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { PersistedDocument } from '../persistence/entities';
import type { Database } from '../persistence/orm';

/** Lower-case hex SHA-256 of the document text exactly as clients send it (Apollo persisted-query style). */
export const documentHash = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');

export class DocumentInputError extends Error {
  constructor(readonly field: string, expected: string) {
    super(`${field}: expected ${expected}`);
    this.name = 'DocumentInputError';
  }
}

const MAX_BODY = 64 * 1024;

/**
 * Registers a trusted document (DESIGN §6, persisted-documents mode). Content-addressed and idempotent:
 * registering the same body twice keeps the first row. The body must parse as GraphQL.
 */
export async function registerDocument(db: Database, body: string): Promise<{ hash: string; created: boolean }> {
  if (typeof body !== 'string' || !body.trim() || body.length > MAX_BODY) throw new DocumentInputError('body', `a GraphQL document of 1 to ${MAX_BODY} characters`);
  try {
    parse(body, { noLocation: true });
  } catch (e) {
    throw new DocumentInputError('body', `a GraphQL document that parses (${(e as Error).message})`);
  }
  const hash = documentHash(body);
  const em = db.orm.em.fork();
  const inserted = await em.getConnection().execute<{ hash: string }[]>(
    'insert into persisted_document (hash, body) values (?, ?) on conflict (hash) do nothing returning hash',
    [hash, body],
  );
  return { hash, created: inserted.length > 0 };
}

/** Every registered document, hash → body. */
export async function allDocuments(db: Database): Promise<Map<string, string>> {
  const rows = await db.orm.em.fork().find(PersistedDocument, {}, { fields: ['hash', 'body'] });
  return new Map(rows.map((r) => [r.hash, r.body]));
}

import { createHash, randomBytes } from 'node:crypto';
import { API_CLIENT_ROLES, ApiClient, type ApiClientRole } from '../persistence/entities';
import type { Database } from '../persistence/orm';

/** Every key starts with this, so leaked keys are recognisable to secret scanners and operators. */
export const API_KEY_PREFIX = 'tg_';
/** How many characters of the key are stored in clear to tell keys apart (`tg_` + 8). */
const SHOWN_PREFIX_LENGTH = 11;

export class ClientInputError extends Error {
  constructor(readonly field: string, expected: string, got?: unknown) {
    super(`${field}: expected ${expected}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`);
    this.name = 'ClientInputError';
  }
}

export interface ClientSummary {
  id: string;
  name: string;
  keyPrefix: string;
  role: ApiClientRole;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface NewClient {
  id: string;
  /** The full key: shown exactly once, only its hash is stored. */
  key: string;
  keyPrefix: string;
  role: ApiClientRole;
}

/** Lower-case hex SHA-256, the form stored in `api_client.key_hash`. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function isApiClientRole(role: unknown): role is ApiClientRole {
  return typeof role === 'string' && (API_CLIENT_ROLES as readonly string[]).includes(role);
}

export async function addClient(db: Database, input: { name: string; role: string }): Promise<NewClient> {
  const name = input.name?.trim();
  if (!name || name.length > 200) throw new ClientInputError('name', 'a non-empty name of at most 200 characters', input.name);
  if (!isApiClientRole(input.role)) throw new ClientInputError('role', `one of ${API_CLIENT_ROLES.join(', ')}`, input.role);
  const key = generateApiKey();
  const em = db.orm.em.fork();
  const client = em.create(ApiClient, { name, role: input.role, keyHash: hashApiKey(key), keyPrefix: key.slice(0, SHOWN_PREFIX_LENGTH) });
  await em.persistAndFlush(client);
  return { id: client.id, key, keyPrefix: client.keyPrefix, role: client.role };
}

export async function listClients(db: Database): Promise<ClientSummary[]> {
  const rows = await db.orm.em.fork().find(ApiClient, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return rows.map(({ id, name, keyPrefix, role, createdAt, revokedAt, lastUsedAt }) => ({ id, name, keyPrefix, role, createdAt, revokedAt, lastUsedAt }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revokes by id or by the key prefix `list` shows. A prefix matching several clients is refused
 * rather than revoking more than the operator meant. Revoking twice keeps the first revocation time.
 */
export async function revokeClient(db: Database, idOrPrefix: string): Promise<ClientSummary> {
  const ref = idOrPrefix?.trim() ?? '';
  if (!ref) throw new ClientInputError('id', 'a client id (uuid) or key prefix (tg_…)', idOrPrefix);
  const em = db.orm.em.fork();
  const matches = UUID.test(ref)
    ? await em.find(ApiClient, { id: ref.toLowerCase() })
    : ref.startsWith(API_KEY_PREFIX) && ref.length >= 6
      ? await em.find(ApiClient, { keyPrefix: { $like: `${ref.slice(0, SHOWN_PREFIX_LENGTH).replace(/[%_\\]/g, '\\$&')}%` } })
      : null;
  if (matches === null) throw new ClientInputError('id', 'a client id (uuid) or key prefix (tg_ and at least 3 more characters)', ref);
  if (matches.length === 0) throw new ClientInputError('id', 'an existing client id or key prefix', ref);
  if (matches.length > 1) throw new ClientInputError('id', `a prefix matching one client (this one matches ${matches.length}; use the id)`, ref);
  const client = matches[0];
  client.revokedAt ??= new Date();
  await em.flush();
  const { id, name, keyPrefix, role, createdAt, revokedAt, lastUsedAt } = client;
  return { id, name, keyPrefix, role, createdAt, revokedAt, lastUsedAt };
}

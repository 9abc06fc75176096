import { timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import { ApiClient } from '../persistence/entities';
import type { Database } from '../persistence/orm';
import type { Role } from '../schema/context';
import { API_KEY_PREFIX, hashApiKey } from '../services/clients';

export interface Caller {
  role: Role;
  clientId?: string;
}

export interface AuthenticatorOptions {
  /** How long a lookup result (found, unknown, revoked) is reused; also the longest a revocation takes to bite. */
  cacheTtlMs?: number;
  /** `lastUsedAt` is written at most this often per client. */
  touchIntervalMs?: number;
  now?: () => number;
}

export interface Authenticator {
  /** The caller's role from `x-api-key` or `Authorization: ApiKey <key>`; no key → public. Throws UNAUTHENTICATED for unknown or revoked keys. */
  roleFor(headers: Record<string, string | string[] | undefined>): Promise<Caller>;
  /**
   * The caller from cached lookups alone, synchronously (the response-cache hot path): undefined when the answer
   * needs the database or is a refusal (the regular path then resolves the caller and answers 401). Cached lookups
   * are dropped by `clear`, which revocation notices call on every replica (protection/revocation.ts).
   */
  peek(headers: Record<string, string | string[] | undefined>): Caller | undefined;
  /** Forget cached lookups (after `clients revoke` in the same process, in tests). */
  clear(): void;
}

/** 401 with a stable code; never says whether a key exists beyond "revoked", which the holder already knows. */
export class AuthenticationError extends GraphQLError {
  constructor(message: string, reason: 'unknown-key' | 'revoked-key' | 'malformed-header') {
    super(message, { extensions: { code: 'UNAUTHENTICATED', reason, http: { status: 401 } } });
  }
}

type Lookup = { kind: 'client'; id: string; role: Role; keyHash: string } | { kind: 'revoked' } | { kind: 'unknown' };

const MAX_KEY_LENGTH = 200;

/** Reads the API key from the request headers; undefined when none is sent. */
export function apiKeyFrom(headers: Record<string, string | string[] | undefined>): string | undefined {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const direct = first(headers['x-api-key'])?.trim();
  if (direct) return direct;
  const authorization = first(headers.authorization);
  const m = authorization ? /^ApiKey\s+(\S+)\s*$/i.exec(authorization) : null;
  return m?.[1];
}

export function createAuthenticator(db: Database, opts: AuthenticatorOptions = {}): Authenticator {
  const ttl = opts.cacheTtlMs ?? 30_000;
  const touchInterval = opts.touchIntervalMs ?? 60_000;
  const now = opts.now ?? Date.now;
  // Bounded, so a flood of random keys cannot grow memory; unknown keys are cached too (negative cache).
  // Expiry is kept in the entry (not lru-cache's TTL) so it follows the injectable clock.
  const cache = new LRUCache<string, { result: Lookup; expiresAt: number }>({ max: 10_000 });
  const lastTouch = new Map<string, number>();

  const lookup = async (keyHash: string): Promise<Lookup> => {
    const cached = cache.get(keyHash);
    if (cached && cached.expiresAt > now()) return cached.result;
    const row = await db.orm.em.fork().findOne(ApiClient, { keyHash });
    const result: Lookup = !row
      ? { kind: 'unknown' }
      : row.revokedAt
        ? { kind: 'revoked' }
        : { kind: 'client', id: row.id, role: row.role, keyHash: row.keyHash };
    cache.set(keyHash, { result, expiresAt: now() + ttl });
    return result;
  };

  const touch = (id: string) => {
    const t = now();
    if ((lastTouch.get(id) ?? -Infinity) > t - touchInterval) return;
    lastTouch.set(id, t);
    if (lastTouch.size > 10_000) lastTouch.clear();
    // Bookkeeping only: a failed write must not fail the request.
    void db.orm.em
      .fork()
      .nativeUpdate(ApiClient, { id }, { lastUsedAt: new Date(t) })
      .catch(() => undefined);
  };

  return {
    async roleFor(headers) {
      const key = apiKeyFrom(headers);
      if (key === undefined) {
        const auth = headers.authorization;
        if (typeof auth === 'string' && /^ApiKey\b/i.test(auth)) throw new AuthenticationError('Authorization: expected "ApiKey <key>"', 'malformed-header');
        return { role: 'public' };
      }
      if (key.length > MAX_KEY_LENGTH || !key.startsWith(API_KEY_PREFIX)) {
        throw new AuthenticationError(`API key: expected a key of the form ${API_KEY_PREFIX}… issued by "thuegate clients add"`, 'unknown-key');
      }
      const keyHash = hashApiKey(key);
      const found = await lookup(keyHash);
      if (found.kind === 'revoked') throw new AuthenticationError('API key has been revoked', 'revoked-key');
      // The index lookup already matched; the constant-time check keeps the final decision independent of timing.
      if (found.kind === 'unknown' || !timingSafeEqual(Buffer.from(found.keyHash, 'hex'), Buffer.from(keyHash, 'hex'))) {
        throw new AuthenticationError('API key is not known', 'unknown-key');
      }
      touch(found.id);
      return { role: found.role, clientId: found.id };
    },
    peek(headers) {
      const key = apiKeyFrom(headers);
      if (key === undefined) {
        const auth = headers.authorization;
        return typeof auth === 'string' && /^ApiKey\b/i.test(auth) ? undefined : { role: 'public' };
      }
      if (key.length > MAX_KEY_LENGTH || !key.startsWith(API_KEY_PREFIX)) return undefined;
      const keyHash = hashApiKey(key);
      const cached = cache.get(keyHash);
      if (!cached || cached.expiresAt <= now() || cached.result.kind !== 'client') return undefined;
      if (!timingSafeEqual(Buffer.from(cached.result.keyHash, 'hex'), Buffer.from(keyHash, 'hex'))) return undefined;
      touch(cached.result.id);
      return { role: cached.result.role, clientId: cached.result.id };
    },
    clear: () => cache.clear(),
  };
}

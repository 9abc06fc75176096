import type { Redis } from 'ioredis';
import { redisClass } from '../../util/redis';

/** The Redis channel revocation notices travel on (one per deployment, by REDIS_KEY_PREFIX). */
export const revocationChannel = (prefix: string) => `${prefix}:auth:revoked`;

/**
 * Tells every replica that an API client was revoked (issue 13 item 7): each replica's authenticator drops its
 * cached lookups, so the key stops working everywhere within the pub/sub delivery time instead of the cache TTL.
 * Used by `thuegate clients revoke` and anything else that revokes.
 */
export async function publishRevocation(redisUrl: string, prefix: string, clientId: string): Promise<number> {
  const redis = new (redisClass())(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.publish(revocationChannel(prefix), clientId);
  } finally {
    redis.disconnect();
  }
}

/**
 * Listens for revocation notices on its own connection (a subscribed connection can do nothing else) and calls
 * `onRevoked` for each; reconnects by itself. Returns a function that stops listening.
 */
export function subscribeRevocations(redis: Redis, prefix: string, onRevoked: (clientId: string) => void): () => void {
  const sub = redis.duplicate({ enableOfflineQueue: true, commandTimeout: undefined, lazyConnect: false });
  const channel = revocationChannel(prefix);
  sub.on('error', () => undefined);
  // Notices sent while we were disconnected are lost: after a reconnect everything cached may be outdated.
  let connectedBefore = false;
  sub.on('ready', () => {
    if (connectedBefore) onRevoked('*');
    connectedBefore = true;
    void sub.subscribe(channel).catch(() => undefined);
  });
  sub.on('message', (ch: string, message: string) => {
    if (ch === channel) onRevoked(message);
  });
  return () => sub.disconnect();
}

import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import { redisClass } from '../../util/redis';
import type { Config } from '../../config/config';
import type { Authenticator } from '../auth';
import { RateLimiter } from './rate-limit';
import { subscribeRevocations } from './revocation';

export { RateLimiter } from './rate-limit';
export type { RateLimitClient } from './rate-limit';

export interface Protection {
  rateLimiter: RateLimiter;
  /** The shared Redis connection for counters (absent without REDIS_URL). */
  redis?: Redis;
  close(): Promise<void>;
}

export interface ProtectionOptions {
  config: Config;
  authenticator?: Authenticator;
  isAdminToken(req: IncomingMessage): boolean;
}

/**
 * The live-path protection that needs process-wide state (issue 13): rate-limit counters shared through Redis
 * and the revocation notices that clear every replica's API-key cache.
 */
export async function startProtection(o: ProtectionOptions): Promise<Protection> {
  const { config } = o;
  const prefix = config.protection.redisKeyPrefix;
  const redis = config.redisUrl
    ? new (redisClass())(config.redisUrl, {
        // A dead Redis must not add latency: commands fail at once and the in-process fallback answers.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 500,
        connectTimeout: 2_000,
        retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
      })
    : undefined;
  redis?.on('error', () => undefined);
  if (redis) await readyWithin(redis, 2_000);
  const unsubscribe = redis && o.authenticator ? subscribeRevocations(redis, prefix, () => o.authenticator!.clear()) : undefined;
  const rateLimiter = new RateLimiter({ config: config.protection, redis, authenticator: o.authenticator, isAdminToken: o.isAdminToken });
  await rateLimiter.init();
  return {
    rateLimiter,
    redis,
    close: async () => {
      await rateLimiter.close().catch(() => undefined);
      unsubscribe?.();
      redis?.disconnect();
    },
  };
}

/** Starting without Redis is allowed (the fallback limits); waiting a moment avoids a per-process start. */
function readyWithin(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    redis.once('ready', done);
  });
}

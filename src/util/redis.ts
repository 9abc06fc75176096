import type * as IORedis from 'ioredis';

/**
 * ioredis, loaded when a Redis connection is first made (issue 15 P7): a gateway without REDIS_URL — the embedded
 * default — never needs it, and loading it cost a few per cent of the start profile (bench/CHANGES-perf-start.md).
 * Modules that only name the type keep `import type`.
 */
export function redisClass(): typeof IORedis.Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ioredis') as typeof IORedis).Redis;
}

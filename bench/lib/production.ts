import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { openDatabase } from '../../src/persistence/orm';

/**
 * The two configurations a gateway runs in (issue 15 P6/P7 report both, each against its target):
 *   - `production`: DATABASE_URL to PostgreSQL (a throwaway database of this run, dropped afterwards) and REDIS_URL
 *     (a key prefix of this run, deleted afterwards) — what a real deployment with replicas runs.
 *   - `embedded`: PGLITE_DIR=memory://, no Redis — `npm start`'s default. PGlite is WebAssembly PostgreSQL inside the
 *     gateway process; its fixed share (the build hard-codes shared_buffers=128MB, plus in-memory data files and the
 *     compiled module: about 300 MB, bench/CHANGES-perf-mem.md, CHANGES-perf-start.md) is part of this RSS.
 * BENCH_ADMIN_DATABASE_URL / BENCH_REDIS_URL default to the local PostgreSQL and Redis.
 */
export type GatewayConfig = 'production' | 'embedded';

export interface ConfigSetup {
  config: GatewayConfig;
  /** Environment for `thuegate serve` on top of the bench's defaults. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export const adminDatabaseUrl = (): string => process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const benchRedisUrl = (): string => process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function setupConfig(config: GatewayConfig): Promise<ConfigSetup> {
  if (config === 'embedded') return { config, env: { PGLITE_DIR: 'memory://', DATABASE_URL: '', REDIS_URL: '' }, cleanup: async () => undefined };
  const tag = `thuegate_bench_${randomBytes(5).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: adminDatabaseUrl(), poolMax: 1 });
  try {
    await admin.orm.em.getConnection().execute(`create database "${tag}"`);
  } catch (e) {
    await admin.close();
    throw e;
  }
  const databaseUrl = new URL(adminDatabaseUrl());
  databaseUrl.pathname = `/${tag}`;
  const redisUrl = benchRedisUrl();
  return {
    config,
    env: { DATABASE_URL: databaseUrl.toString(), REDIS_URL: redisUrl, REDIS_KEY_PREFIX: tag },
    cleanup: async () => {
      try {
        await admin.orm.em.getConnection().execute(`drop database if exists "${tag}" with (force)`);
      } finally {
        await admin.close();
      }
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${tag}:*`, 'COUNT', 500);
          if (keys.length) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { metricsRegistry } from '../../src/observability/metrics';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** A hand-driven cache clock. */
export function manualClock(start = Date.UTC(2026, 0, 15, 8, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    set: (ms: number) => {
      t = ms;
    },
    start,
  };
}

export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Current value of a counter/gauge series (0 when the series does not exist yet). */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want));
  return hit?.value ?? 0;
}

/** Polls until `check` holds or the timeout passes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Unique Redis key prefix for one test run, so parallel runs and leftovers never collide. */
export function testKeyPrefix(): string {
  return `thuegate-test:cache:${process.pid}:${randomUUID()}`;
}

export async function redisKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found.sort();
}

export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  const keys = await redisKeys(redis, prefix);
  if (keys.length) await redis.unlink(...keys);
}

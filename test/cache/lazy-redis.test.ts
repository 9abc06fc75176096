import { describe, expect, it } from 'vitest';
import { createCache } from '../../src/cache';
import { REDIS_URL, testKeyPrefix } from './helpers';

/** Node's own module cache: vitest loads node_modules packages natively, so a loaded ioredis shows up here. */
const ioredisLoaded = () => Object.keys(require.cache).some((k) => /node_modules\/ioredis\//.test(k));

describe('ioredis loads with the first Redis connection, not with the gateway (issue 15 P7)', { timeout: 120_000 }, () => {
  it('the gateway module graph loads no ioredis; a cache with REDIS_URL loads it and reaches Redis', async () => {
    await import('../../src/server/gateway');
    const local = createCache({ maxBytes: 1 << 20, keyPrefix: testKeyPrefix() });
    await local.close();
    expect(ioredisLoaded()).toBe(false);

    const shared = createCache({ maxBytes: 1 << 20, redis: { url: REDIS_URL }, keyPrefix: testKeyPrefix() });
    try {
      expect(ioredisLoaded()).toBe(true);
      expect(await shared.l2Ready(5_000)).toBe(true);
    } finally {
      await shared.close();
    }
  });
});

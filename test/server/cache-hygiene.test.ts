import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, REDIS_URL, redisKeys } from '../cache/helpers';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

/**
 * Cache hygiene (issue 13 item 6): random search strings must not fill Redis. Counted in the real Redis:
 * keys under this gateway's prefix and their remaining lifetime.
 */
const prefix = `thuegate-test:hyg:${process.pid}:${randomUUID().slice(0, 8)}`;
const BUDGET = 15;
const TTL_MS = 20_000;
let gw: TestGateway;
let admin: Redis;

beforeAll(async () => {
  admin = new Redis(REDIS_URL);
  gw = await startTestGateway({
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    FREE_TEXT_CACHE_ENTRIES_PER_CLIENT: String(BUDGET),
    FREE_TEXT_CACHE_TTL_MS: String(TTL_MS),
    // Clients told apart by the proxy's X-Forwarded-For; no rate limit in the way of the flood.
    TRUST_PROXY: '1',
    RATE_LIMIT_PER_MINUTE: '0',
  });
});

afterAll(async () => {
  await gw?.stop();
  await dropPrefix(admin, prefix);
  admin.disconnect();
});

const LAUSCHA = '160720011011';
const search = (text: string, client: string) =>
  gw.raw(`query($q: String) { municipality(ars: "${LAUSCHA}") { services(query: $q, first: 1) { totalCount } } }`, { q: text }, { 'x-forwarded-for': client });
const geoSearch = (text: string, client: string) => gw.raw('query($t: String) { geoRecords(search: { text: $t }, first: 1) { totalCount } }', { t: text }, { 'x-forwarded-for': client });

const keysOf = async (operation: string) => (await redisKeys(admin, `${prefix}:cache`)).filter((k) => k.includes(`:${operation}:`));

describe('free-text arguments in the shared cache', () => {
  it('bounds the distinct search entries one client adds, while its answers are still served', async () => {
    const answered: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await search(`bust-${randomBytes(6).toString('hex')}`, '203.0.113.10');
      expect(r.errors).toBeUndefined();
      answered.push(r.data.municipality.services.totalCount);
    }
    expect(answered).toHaveLength(60);
    const keys = await keysOf('servicedescriptions.byArs');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.length).toBeLessThanOrEqual(BUDGET);

    // Another client's searches are cached: the budget is per client.
    await search('Personalausweis', '203.0.113.11');
    const after = await keysOf('servicedescriptions.byArs');
    expect(after.length).toBe(keys.length + 1);
    expect(after.some((k) => k.toLowerCase().includes('personalausweis'))).toBe(true);
  });

  it('keeps search answers for the short free-text lifetime only, other answers for their normal one', async () => {
    await search('Wohngeld', '203.0.113.12');
    await gw.raw(`{ municipality(ars: "${LAUSCHA}") { services(first: 1) { totalCount } } }`, undefined, { 'x-forwarded-for': '203.0.113.12' });
    const keys = await keysOf('servicedescriptions.byArs');
    const ttls = await Promise.all(keys.map(async (k) => ({ k, ttl: await admin.pttl(k) })));
    const withText = ttls.filter((t) => !t.k.endsWith('||p0'));
    const plain = ttls.find((t) => t.k.endsWith('||p0'));
    expect(withText.length).toBeGreaterThan(0);
    for (const t of withText) {
      expect(t.ttl).toBeGreaterThan(0);
      expect(t.ttl).toBeLessThanOrEqual(TTL_MS);
    }
    expect(plain, 'the unfiltered service list is cached too').toBeDefined();
    expect(plain!.ttl).toBeGreaterThan(TTL_MS);
  });

  it('applies to geo metadata full-text search as well', async () => {
    for (let i = 0; i < 30; i++) {
      const r = await geoSearch(`x${randomBytes(5).toString('hex')}`, '203.0.113.20');
      expect(r.errors).toBeUndefined();
    }
    const keys = await keysOf('csw.getRecords');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.length).toBeLessThanOrEqual(BUDGET);
  });
});

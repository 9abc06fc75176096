import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseCache, type ResponseCacheContext } from '../../../src/server/response-cache';

/**
 * The storing rules on a schema of their own (the gateway has no role-restricted fields yet): a
 * PRIVATE-scoped field keeps the whole response out of the cache, the shortest max-age wins, and
 * resolvers run only on misses (counted here directly).
 */
const typeDefs = `
  enum CacheControlScope { PUBLIC PRIVATE }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  type Query {
    open: String @cacheControl(maxAge: 600)
    short: String @cacheControl(maxAge: 5)
    restricted: String @cacheControl(maxAge: 600, scope: PRIVATE)
  }
`;
const calls = { open: 0, short: 0, restricted: 0 };
const resolvers = {
  Query: {
    open: () => (calls.open++, 'public data'),
    short: () => (calls.short++, 'changes often'),
    restricted: () => (calls.restricted++, 'for integrators only'),
  },
};

let server: Server;
let url: string;
let apollo: ApolloServer<ResponseCacheContext>;
const cache = new ResponseCache({ maxBytes: 1 << 20 });

beforeAll(async () => {
  apollo = new ApolloServer({ typeDefs, resolvers, plugins: [ApolloServerPluginCacheControl({ defaultMaxAge: 0 }), cache.plugin()] });
  await apollo.start();
  const app = express();
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(apollo, { context: async () => ({ role: 'public' }) }),
  );
  server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await apollo?.stop();
  await new Promise((r) => server?.close(r));
  cache.close();
});

const post = async (query: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { xCache: res.headers.get('x-cache'), cacheControl: res.headers.get('cache-control'), body: await res.json() };
};

describe('response cache storing rules', () => {
  it('caches public fields and serves repeats without running resolvers', async () => {
    await post('{ open }');
    const again = await post('{ open }');
    expect(again).toMatchObject({ xCache: 'HIT', body: { data: { open: 'public data' } } });
    expect(calls.open).toBe(1);
  });

  it('never stores a response that contains a PRIVATE (restricted) field', async () => {
    for (let i = 0; i < 3; i++) expect((await post('{ open restricted }')).xCache).toBe('MISS');
    expect(calls.restricted).toBe(3);
  });

  it('uses the shortest max-age of the selected fields', async () => {
    await post('{ open short }');
    const hit = await post('{ open short }');
    expect(hit.xCache).toBe('HIT');
    expect(Number(/max-age=(\d+)/.exec(hit.cacheControl ?? '')?.[1])).toBeLessThanOrEqual(5);
    expect(calls.short).toBe(1);
  });
});

import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { request } from 'undici';

/**
 * Apollo Server 5 anchor (../../../shared/bench-anchors.md): `startStandaloneServer`, resolvers over undici and a
 * module-level Map of parsed upstream JSON (no response cache). Usage: `node apollo.js <rest-standin-url>`; prints its URL.
 */
const upstream = process.argv[2];
const typeDefs = `#graphql
  type Link { title: String url: String }
  type Service { leikaKey: String name: String onlineServiceLinks: [Link!]! onlineServices: [Link!]! }
  type ServiceEdge { node: Service! }
  type ServiceConnection { edges: [ServiceEdge!]! }
  type Municipality { name: String! services(first: Int = 20): ServiceConnection! }
  type Query { municipality(ars: String!): Municipality }
`;
interface Page { content: (Record<string, unknown> & { municipalityName: string })[] }
const cache = new Map<string, Promise<Page>>();
function page(ars: string, size: number): Promise<Page> {
  const key = `${ars}:${size}`;
  let p = cache.get(key);
  if (!p) {
    p = request(`${upstream}/v7/servicedescriptions/${ars}?size=${size}`).then((r) => r.body.json() as Promise<Page>);
    cache.set(key, p);
  }
  return p;
}
const resolvers = {
  Query: {
    municipality: async (_: unknown, { ars }: { ars: string }) => {
      const p = await page(ars, 20);
      return p.content.length ? { ars, name: p.content[0].municipalityName } : null;
    },
  },
  Municipality: {
    services: async (m: { ars: string }, { first }: { first: number }) => ({ edges: (await page(m.ars, first)).content.map((node) => ({ node })) }),
  },
};

async function main(): Promise<void> {
  const server = new ApolloServer({ typeDefs, resolvers });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  process.stdout.write(`url\t${url.replace(/\/$/, '')}\n`);
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

/**
 * What a portal frontend sees (issue 14 item 3): Apollo Client's normalising cache keys objects by
 * `__typename` + `id`, so two queries that reach the same municipality share one cache entry.
 */
const LAUSCHA = '160720011011';

const ONE = gql`
  query One($ars: ARS!) { municipality(ars: $ars) { id name ags district { id name } } }
`;
const LIST = gql`
  query List { municipalities(filter: { district: "16072" }, first: 100) { edges { node { id ars population district { id urban } } } } }
`;

describe('@apollo/client InMemoryCache over the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  }, 60_000);
  afterAll(async () => gw?.stop());

  it('two queries that share a municipality produce one normalised entry holding the fields of both', async () => {
    const cache = new InMemoryCache();
    const client = new ApolloClient({ cache, link: new HttpLink({ uri: `${gw.url}/graphql`, fetch }) });
    const one = await client.query({ query: ONE, variables: { ars: LAUSCHA } });
    const list = await client.query({ query: LIST });
    const id = (one.data as any).municipality.id as string;
    expect((list.data as any).municipalities.edges.map((e: any) => e.node.id)).toContain(id);

    const store = cache.extract() as Record<string, Record<string, unknown>>;
    const lauscha = Object.entries(store).filter(([, v]) => v.__typename === 'Municipality' && (v.ars === LAUSCHA || v.id === id));
    expect(lauscha.map(([k]) => k)).toEqual([`Municipality:${id}`]);
    expect(lauscha[0][1]).toMatchObject({ name: 'Lauscha, Stadt', ags: '16072011', ars: LAUSCHA });
    expect(typeof lauscha[0][1].population).toBe('number');
    // The Kreis is one entry too, referenced from every member municipality.
    const districts = Object.keys(store).filter((k) => k.startsWith('District:'));
    expect(districts).toHaveLength(1);
    expect(store[districts[0]]).toMatchObject({ name: 'Sonneberg', urban: false });
    expect(lauscha[0][1].district).toEqual({ __ref: districts[0] });

    // Query One can now be answered from the normalised entries alone.
    const again = client.readQuery({ query: ONE, variables: { ars: LAUSCHA } }) as any;
    expect(again.municipality.name).toBe('Lauscha, Stadt');
  });
});

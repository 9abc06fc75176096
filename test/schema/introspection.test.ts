import { getIntrospectionQuery, graphqlSync } from 'graphql';
import { describe, expect, it } from 'vitest';
import { gatewaySchema } from '../../src/schema/build';

describe('the gateway schema', () => {
  // type-graphql's own start-up self-check (skipCheck, src/schema/build.ts) is off for a quicker start; here it runs.
  it('answers the full introspection query without errors', () => {
    const r = graphqlSync({ schema: gatewaySchema(), source: getIntrospectionQuery() });
    expect(r.errors).toBeUndefined();
    expect((r.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(50);
  });
});

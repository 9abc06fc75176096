import express from 'express';
import { getIntrospectionQuery, parse, validate } from 'graphql';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { gatewaySchema } from '../../src/schema/build';
import { limitsRule } from '../../src/server/plugins/limits';
import { mountGraphiql } from '../../src/server/graphiql';

/** The explorer's schema load (issue 14 item 2): the standard introspection query passes the depth limit. */
describe('introspection and the depth limit', () => {
  const schema = gatewaySchema();
  const check = (q: string) => validate(schema, parse(q), [limitsRule()]).map((e) => e.message);

  it('the standard introspection query (depth 15) passes; a data query as deep does not', () => {
    expect(check(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).toEqual([]);
    const tooDeep = '{ geoRecords { edges { node { services { datasets { services { datasets { services { datasets { services { datasets { services { title } } } } } } } } } } } } }';
    expect(check(tooDeep)).toEqual(['Query depth 13 exceeds the limit of 12']);
    expect(check(tooDeep.replace('services { title }', 'title'))).toEqual([]);
  });

  it('mixing a data field into an introspection operation keeps the normal limit', () => {
    const mixed = `{ municipality(ars: "160510000000") { name } __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }`;
    expect(check(mixed)).toEqual(['Query depth 13 exceeds the limit of 12']);
    const introspectionOnly = mixed.replace('municipality(ars: "160510000000") { name } ', '');
    expect(check(introspectionOnly)).toEqual([]);
    const absurd = `{ __schema { types { ${'fields { type { '.repeat(12)}name${' } }'.repeat(12)} } } }`;
    expect(check(absurd)[0]).toMatch(/^Query depth \d+ exceeds the limit of 20$/);
  });
});

describe('explorer in production', () => {
  it('says clearly that introspection is disabled instead of showing an explorer that cannot load the schema', async () => {
    const app = express();
    mountGraphiql(app, { production: true });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toContain('Introspection is disabled');
      expect(html).not.toContain('graphiql.js');
      const asset = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/assets/graphiql.js`);
      expect(asset.status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

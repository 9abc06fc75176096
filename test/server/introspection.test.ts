import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { mountGraphiql } from '../../src/server/graphiql';

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

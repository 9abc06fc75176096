import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/services/clients';
import { projectRoot } from '../../src/util/paths';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

// Every GraphQL example in the README runs against the embedded gateway without errors: the docs stay true.
const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

let gw: TestGateway;
let integratorKey: string;
beforeAll(async () => {
  // The README's examples must run within the default limits a user gets (cost, rate).
  gw = await startTestGateway({ MAX_QUERY_COST: '3000', RATE_LIMIT_PER_MINUTE: '600' });
  // The examples include integrator-only DVDV fields; a key made the way the README says is sent with all of them.
  integratorKey = (await addClient(gw.db, { name: 'readme', role: 'integrator' })).key;
});
afterAll(async () => { await gw?.stop(); });

describe('README examples', () => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(3));
  it.each(examples.map((q, i) => [i + 1, q] as const))('example %i answers without errors', async (_i, query) => {
    const r = await gw.raw(query, {}, { 'x-api-key': integratorKey });
    expect(r.errors).toBeUndefined();
    // Every top-level field answers with data, not a null the reader would have to explain.
    for (const [field, value] of Object.entries(r.data ?? {})) expect(value, field).not.toBeNull();
    expect(r.status).toBe(200);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

// Every GraphQL example in the README runs against the embedded gateway without errors: the docs stay true.
const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

let gw: TestGateway;
beforeAll(async () => { gw = await startTestGateway(); });
afterAll(async () => { await gw?.stop(); });

describe('README examples', () => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(3));
  it.each(examples.map((q, i) => [i + 1, q] as const))('example %i answers without errors', async (_i, query) => {
    const r = await gw.raw(query);
    expect(r.errors).toBeUndefined();
    expect(r.status).toBe(200);
  });
});

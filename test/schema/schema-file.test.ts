import { generate } from '@graphql-codegen/cli';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { printGatewaySchema } from '../../src/schema/build';
import { projectRoot } from '../../src/util/paths';

const root = projectRoot();

describe('checked-in artefacts are in sync with the code', () => {
  it('schema/schema.graphql equals the schema type-graphql builds (run `npm run schema`)', () => {
    expect(readFileSync(join(root, 'schema/schema.graphql'), 'utf8')).toBe(printGatewaySchema());
  });

  it('client/generated/graphql.ts equals what codegen.yml generates (run `npm run codegen`)', async () => {
    const config = parseYaml(readFileSync(join(root, 'codegen.yml'), 'utf8'));
    const files = await generate({ ...config, cwd: root, silent: true }, false);
    expect(files).toHaveLength(1);
    expect(readFileSync(join(root, files[0].filename), 'utf8')).toBe(files[0].content);
  }, 60_000);

  it('every type and field of the schema has a description or is a connection/edge helper', () => {
    const sdl = printGatewaySchema();
    for (const m of sdl.matchAll(/^(?:type|input|scalar) (\w+)/gm)) {
      const name = m[1];
      if (/(Edge|Connection)$/.test(name) || name === 'Query') continue;
      const before = sdl.slice(0, m.index);
      expect(before.trimEnd().endsWith('"""'), `${name} needs a description`).toBe(true);
    }
  });
});

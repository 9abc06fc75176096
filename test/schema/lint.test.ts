import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Schema quality (issue 14 item 5): graphql-schema-linter over the checked-in SDL with the rule set of
 * .graphql-schema-linterrc — every type, field, argument and enum value described, Relay connection rules.
 */
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'node_modules', 'graphql-schema-linter', 'lib', 'cli.js');
const SCHEMA = join(ROOT, 'schema', 'schema.graphql');
const run = promisify(execFile);

interface Finding { message: string; location: { line: number }; rule: string }

async function lint(file: string): Promise<Finding[]> {
  const r = await run(process.execPath, [CLI, '-c', ROOT, '-f', 'json', file], { cwd: ROOT }).catch((e: { stdout: string; code: number }) => {
    if (e.code !== 1) throw e; // 1 = findings; anything else is a broken run
    return e;
  });
  return (JSON.parse(r.stdout) as { errors: Finding[] }).errors;
}

describe('graphql-schema-linter over schema/schema.graphql', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'thuegate-lint-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs with at least the *-have-descriptions and relay-* rules', () => {
    const rules: string[] = JSON.parse(readFileSync(join(ROOT, '.graphql-schema-linterrc'), 'utf8')).rules;
    for (const r of ['types-have-descriptions', 'fields-have-descriptions', 'arguments-have-descriptions', 'enum-values-have-descriptions', 'input-object-values-have-descriptions', 'relay-connection-types-spec', 'relay-connection-arguments-spec', 'relay-page-info-spec']) {
      expect(rules).toContain(r);
    }
  });

  it('finds nothing in the checked-in schema', async () => {
    expect(await lint(SCHEMA)).toEqual([]);
  }, 30_000);

  it('reports an undescribed field and a connection without pageInfo (the rules really run)', async () => {
    const sdl = readFileSync(SCHEMA, 'utf8')
      .replace(/"""Official name of the Gemeindeverband\."""\n/, '')
      .replace(/(type GeoRecordConnection[^{]*\{[\s\S]*?)\n  """[^"]*"""\n  pageInfo: PageInfo!/, '$1');
    const file = join(scratch, 'planted.graphql');
    writeFileSync(file, sdl);
    const found = await lint(file);
    expect(found.map((f) => f.rule).sort()).toEqual(['fields-have-descriptions', 'relay-connection-types-spec']);
    expect(found.find((f) => f.rule === 'fields-have-descriptions')!.message).toContain('Verband.name');
  }, 30_000);
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The breaking-change gate of .ci/run (scripts/check-schema-breaks.js, graphql-inspector diff): a break in
 * schema/schema.graphql fails unless CHANGELOG.md lists its coordinate under a "Breaking" heading.
 */
const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'check-schema-breaks.js');
const scratch = mkdtempSync(join(tmpdir(), 'thuegate-breaks-'));

function check(schema: string, changelog: string) {
  const s = join(scratch, 'schema.graphql');
  const c = join(scratch, 'CHANGELOG.md');
  writeFileSync(s, schema);
  writeFileSync(c, changelog);
  const r = spawnSync(process.execPath, [SCRIPT, '--base', 'HEAD', '--schema', s, '--changelog', c], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('schema breaking-change check', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const current = readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8');
  // Planted break: Municipality.ags removed.
  const planted = current.replace(/\n  """Amtlicher Gemeindeschlüssel, 8 digits\."""\n  ags: AGS!\n/, '\n');

  it('the planted schema really lacks the field', () => {
    expect(planted).not.toBe(current);
    expect(planted).toMatch(/type Municipality implements Node \{/);
  });

  it('fails on a break the CHANGELOG does not list, naming its coordinate', () => {
    const r = check(planted, '# Changelog\n\n## [Unreleased]\n\n### Added\n\n- `Municipality.ags` is mentioned, but not as a break.\n');
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain('UNLISTED Municipality.ags');
    expect(r.out).toMatch(/1 breaking change\(s\) not listed under "Breaking" in CHANGELOG.md: Municipality.ags/);
  }, 60_000);

  it('passes once the break is listed under "Breaking" (a listed type covers its fields)', () => {
    expect(check(planted, '# Changelog\n\n## [Unreleased]\n\n### Breaking\n\n- `Municipality.ags` removed; use `ars`.\n').status).toBe(0);
    expect(check(planted, '# Changelog\n\n### Breaking changes\n\n- `Municipality`: reshaped.\n').status).toBe(0);
  }, 60_000);

  it('passes for the committed schema against itself with the real CHANGELOG', () => {
    const r = check(current, readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'));
    expect(r.status, r.out).toBe(0);
  }, 60_000);
});

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths';

const rules = createRequire(join(projectRoot(), 'package.json'))('./.dependency-cruiser.cjs');

async function violations(paths: string[]): Promise<IViolation[]> {
  const result = await cruise(paths, { ...rules.options, validate: true, ruleSet: { forbidden: rules.forbidden }, baseDir: projectRoot() });
  return (result.output as ICruiseResult).summary.violations;
}

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

describe('module graph of src/ (dependency-cruiser, type-only imports included)', () => {
  it('has no import cycle, no adapter importing another adapter, no adapter import in src/config/', async () => {
    expect((await violations(['src'])).map(describeViolation)).toEqual([]);
  }, 120_000);

  it('reports a cycle made of type-only imports (the check can fail)', async () => {
    const found = await violations(['test/architecture/planted']);
    expect(found.map((v) => v.rule.name)).toContain('no-circular');
    expect(found.map(describeViolation).join('\n')).toMatch(/planted\/a\.ts.*planted\/b\.ts/);
  }, 120_000);
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths';

/**
 * What a frontend team does with the client package: `npm pack`, install the tarball into their own
 * project, and write a typed query. Installing reads from the npm cache first (its dependencies are those
 * of this project); type-checking uses this project's TypeScript.
 */
const root = projectRoot();
const scratch = mkdtempSync(join(tmpdir(), 'thuegate-client-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tsc = (cwd: string) => {
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', cwd], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout);
  }
};

describe('the @thuegate/client package', () => {
  it('packs, installs into a scratch project and type-checks a query against the gateway types', () => {
    npm(['pack', '--pack-destination', scratch, '--silent'], join(root, 'client'));
    const tarball = readdirSync(scratch).find((f) => /^thuegate-client-.*\.tgz$/.test(f));
    expect(tarball).toBeDefined();
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'portal', version: '1.0.0', private: true }));
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`, 'graphql@16.15.0'], scratch);
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'ES2022', lib: ['ES2022', 'DOM'], moduleResolution: 'node', skipLibCheck: false }, include: ['*.ts'] }),
    );
    writeFileSync(
      join(scratch, 'ok.ts'),
      `import { request, MunicipalityByAgsDocument } from '@thuegate/client';
export async function lauscha(): Promise<string | undefined> {
  const data = await request({ url: 'http://127.0.0.1:4000/graphql' }, MunicipalityByAgsDocument, { ags: '16072011' });
  return data.municipality?.name;
}
`,
    );
    expect(tsc(scratch)).toBe('');

    // The types are real: a wrong variable and a wrong result type are compile errors in the frontend's code.
    writeFileSync(
      join(scratch, 'wrong.ts'),
      `import { request, MunicipalityByAgsDocument } from '@thuegate/client';
export async function wrong(): Promise<number> {
  const data = await request({ url: 'x' }, MunicipalityByAgsDocument, { ars: '16072011' });
  return data.municipality!.name;
}
`,
    );
    const errors = tsc(scratch);
    expect(errors).toMatch(/wrong\.ts.*'ars' does not exist/);
    expect(errors).toMatch(/wrong\.ts.*Type 'string' is not assignable to type 'number'/);
  }, 180_000);
});

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { bundleCli } from '../src/boot/bundle';

/**
 * CLI tests spawn `bin/thuegate.js`, which runs the compiled code: compile once so they test this tree.
 * Type errors do not stop the emit (`npm run typecheck` is where they fail the build); a missing output does.
 * Then bundle it as `npm run build` does, so they run what `npm start` runs (the bundle, src/boot/load.ts) —
 * without this the bundle would be older than the compile and bin/thuegate.js would fall back to dist/src/cli.js.
 */
export default async function setup(): Promise<void> {
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (r.status !== 0) console.warn(`tsc reported type errors (tests run on the emitted code anyway):\n${r.stdout}`);
  if (!existsSync('dist/src/cli.js')) throw new Error(`build produced no dist/src/cli.js:\n${r.stdout}${r.stderr}`);
  await bundleCli();
}

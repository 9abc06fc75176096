import { execFileSync } from 'node:child_process';

/** CLI tests spawn `bin/thuegate.js`, which runs the compiled code: compile once so they test this tree. */
export default function setup(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}

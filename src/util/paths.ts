import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The project root, whether we run from `src/` (tests, tsx) or from `dist/src/` (built). */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = up;
  }
  cached = dir;
  return dir;
}

export const dataPath = (...parts: string[]): string => join(projectRoot(), 'data', ...parts);

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths';

const BIN = join(projectRoot(), 'bin', 'thuegate.js');
const env = (dir: string) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'error', PGLITE_DIR: dir });

describe('embedded database first start survives SIGKILL', () => {
  it('a kill during creation of a new PGlite directory leaves no database or a working one (several runs)', async () => {
    const delays = [300, 700, 1200, 1600, 2000];
    for (const delay of delays) {
      const root = mkdtempSync(join(tmpdir(), 'thuegate-pglite-'));
      const dir = join(root, 'db');
      const child = spawn(process.execPath, [BIN, 'migrate'], { env: env(dir), stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, delay + Math.floor(Math.random() * 300)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // No half-made cluster under the configured name: either absent or complete.
      if (existsSync(dir)) expect(readdirSync(dir), `after ${delay} ms`).toContain('PG_VERSION');
      const next = spawnSync(process.execPath, [BIN, 'migrate'], { env: env(dir), encoding: 'utf8', timeout: 120_000 });
      expect(next.status, `${next.stdout}${next.stderr}`).toBe(0);
      expect(next.stdout).toMatch(/\(pglite\)/);
      expect(readdirSync(root).filter((f) => f.includes('.creating-'))).toEqual([]);
    }
  }, 900_000);
});

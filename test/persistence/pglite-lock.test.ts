import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/persistence/orm';

/** PGlite is single-process: a second opener of the same data directory must be refused, not corrupt it. */
describe('PGlite data directory lock', () => {
  it('refuses a second opener while the first holds the directory, and frees it on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thuegate-lock-'));
    const first = await openDatabase({ pgliteDataDir: dir });
    try {
      await expect(openDatabase({ pgliteDataDir: dir })).rejects.toThrow(`is in use by process ${process.pid}`);
    } finally {
      await first.close();
    }
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const again = await openDatabase({ pgliteDataDir: dir });
    await again.close();
  }, 30_000);

  it('names another live process that holds it, and takes over the lock of a dead one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thuegate-lock-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${dir}.lock`, String(holder.pid));
      await expect(openDatabase({ pgliteDataDir: dir })).rejects.toThrow(
        new RegExp(`in use by process ${holder.pid}; stop it first \\(or set DATABASE_URL`),
      );
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
    }
    const db = await openDatabase({ pgliteDataDir: dir });
    await db.ping();
    await db.close();
  }, 30_000);
});

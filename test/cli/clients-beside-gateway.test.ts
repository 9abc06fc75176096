import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths';

// `thuegate clients add|list|revoke` while `thuegate serve` holds the embedded PGlite directory (issue 14): the
// commands go through the running gateway's admin socket; without one they are refused with the command to run.
const BIN = join(projectRoot(), 'bin', 'thuegate.js');
const dir = mkdtempSync(join(tmpdir(), 'tg-cli-'));
const env = { PATH: process.env.PATH ?? '', HOME: tmpdir(), PGLITE_DIR: join(dir, 'db'), PORT: '0', LOG_LEVEL: 'info' };
const cli = (args: string[], extra: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });

let gateway: ChildProcess;
let url: string;
beforeAll(async () => {
  gateway = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('gateway did not start within 60 s')), 60_000);
    createInterface({ input: gateway.stderr! }).on('line', (line) => {
      if (!line.includes('thuegate listening')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line).url as string);
    });
    gateway.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
}, 90_000);
afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    gateway.kill('SIGTERM');
    await new Promise((r) => gateway.once('exit', r));
  }
});

const asClient = (key: string) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ query: '{ municipality(ars: "160510000000") { name } }' }),
  });

describe('clients commands beside a running embedded gateway', () => {
  it('add, list and revoke go through the admin socket; a revoked key stops working at once', async () => {
    const socket = `${env.PGLITE_DIR}.sock`;
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);

    const added = cli(['clients', 'add', '--name', 'KIV Test', '--role', 'integrator']);
    expect(added.status).toBe(0);
    expect(added.stderr).toContain(`(through the running gateway, process ${gateway.pid}`);
    const key = /^key: +(tg_\S+)$/m.exec(added.stdout)![1];
    const prefix = /^prefix: +(\S+)$/m.exec(added.stdout)![1];
    expect((await asClient(key)).status).toBe(200);

    const listed = cli(['clients', 'list', '--json']);
    expect(listed.status).toBe(0);
    const rows = JSON.parse(listed.stdout) as { name: string; role: string; keyPrefix: string; revokedAt: string | null }[];
    expect(rows).toContainEqual(expect.objectContaining({ name: 'KIV Test', role: 'integrator', keyPrefix: prefix, revokedAt: null }));
    expect(listed.stdout).not.toContain(key);

    const revoked = cli(['clients', 'revoke', prefix]);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^revoked .*\\(${prefix}…, KIV Test\\)`));
    // Not after the 30 s auth cache: the running process forgets its cached lookups on revoke.
    expect((await asClient(key)).status).toBe(401);
  }, 120_000);

  it('input errors come back naming the field, exit code 2, as without a running gateway', () => {
    const r = cli(['clients', 'add', '--name', '   ', '--role', 'public']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^thuegate clients: name: expected a non-empty name/m);
  }, 60_000);
});

describe('clients commands when the holder of the directory has no admin socket', () => {
  it('refuse with the exact command to run after stopping it', async () => {
    const other = join(mkdtempSync(join(tmpdir(), 'tg-cli-')), 'db');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${other}.lock`, String(holder.pid));
      expect(existsSync(`${other}.sock`)).toBe(false);
      const r = cli(['clients', 'add', '--name', 'Fachverfahren Stadt Erfurt', '--role', 'admin'], { PGLITE_DIR: other });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`is in use by process ${holder.pid} and its admin socket ${other}.sock does not answer`);
      expect(r.stderr).toContain(`Stop that process (kill -TERM ${holder.pid}), then run: thuegate clients add --name 'Fachverfahren Stadt Erfurt' --role admin`);
      expect(r.stderr).toContain('DATABASE_URL');
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
    }
  }, 60_000);
});

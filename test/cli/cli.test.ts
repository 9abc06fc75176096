import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/util/paths';

const BIN = join(projectRoot(), 'bin', 'thuegate.js');
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info' };
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { env: { ...baseEnv, ...env }, encoding: 'utf8', timeout: 60_000 });

const children: ChildProcess[] = [];
afterEach(() => { for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL'); });

/** Starts a long-running command and resolves with the first stdout/stderr line matching `pattern`. */
function start(args: string[], env: Record<string, string>, stream: 'stdout' | 'stderr', pattern: RegExp, lines = 1) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const got: string[] = [];
  const ready = new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within 30 s; got ${got.join('\n')}`)), 30_000);
    createInterface({ input: child[stream]! }).on('line', (line) => {
      if (pattern.test(line)) got.push(line);
      if (got.length === lines) { clearTimeout(timer); resolve(got); }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}`)));
  });
  return { child, ready };
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('thuegate CLI', () => {
  it('has --help on the program and on each command', () => {
    const top = run(['--help']);
    expect(top.status).toBe(0);
    for (const cmd of ['serve', 'sandbox', 'migrate']) {
      expect(top.stdout).toContain(cmd);
      const sub = run([cmd, '--help']);
      expect(sub.status).toBe(0);
      expect(sub.stdout).toMatch(new RegExp(`Usage: thuegate ${cmd}`));
    }
    expect(run(['sandbox', '--help']).stdout).toContain('--faults');
  });

  it('--version prints the version of package.json', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('serve --help lists every setting with its default', async () => {
    const { CONFIG_VARS } = await import('../../src/server/config');
    const help = run(['serve', '--help']).stdout;
    for (const [name, v] of Object.entries(CONFIG_VARS)) {
      expect(help).toMatch(new RegExp(`^  ${name} +.*\\(default: ${(v.default || 'none').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`, 'm'));
    }
  });

  it('stops on a bad setting with exactly one line naming the variable', () => {
    const r = run(['serve'], { PORT: 'abc' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('thuegate: invalid configuration — PORT: expected an integer from 0 to 65535, got "abc"\n');
    const r2 = run(['migrate'], { DATABASE_URL: 'mysql://root@127.0.0.1/test' });
    expect(r2.status).toBe(2);
    expect(r2.stderr.trim().split('\n')).toHaveLength(1);
    expect(r2.stderr).toContain('DATABASE_URL');
  });

  it('migrate applies the checked-in migrations to PGlite once, then reports none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thuegate-cli-'));
    const first = run(['migrate'], { PGLITE_DIR: join(dir, 'db') });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied: Migration\d+_\w+.* \(pglite\)$/m);
    const dry = run(['migrate', '--dry-run'], { PGLITE_DIR: join(dir, 'db') });
    expect(dry.stdout).toBe('pending: none (pglite)\n');
    const again = run(['migrate'], { PGLITE_DIR: join(dir, 'db') });
    expect(again.stdout).toBe('applied: none (pglite)\n');
  }, 60_000);

  it('sandbox prints one URL per upstream, each answering on loopback, and writes the defect manifest', async () => {
    const manifestFile = join(mkdtempSync(join(tmpdir(), 'thuegate-manifest-')), 'world.json');
    const { child, ready } = start(['sandbox', '--manifest', manifestFile], {}, 'stdout', /^\w+\thttp:\/\/127\.0\.0\.1:\d+$/, 5);
    const lines = await ready;
    const urls = Object.fromEntries(lines.map((l) => l.split('\t')));
    expect(Object.keys(urls).sort()).toEqual(['dvdv', 'geomis', 'geoproxy', 'pvog', 'thavel']);
    for (const [name, url] of Object.entries(urls)) {
      const info = (await (await fetch(`${url}/__sandbox`)).json()) as { upstream: string; seed: string };
      expect(info).toMatchObject({ upstream: name, seed: 'thuegate-sandbox' });
    }
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { digest: string; defects: { id: string; upstream: string }[] };
    expect(manifest.defects.length).toBeGreaterThan(10);
    expect(new Set(manifest.defects.map((d) => d.upstream))).toEqual(new Set(['pvog', 'thavel', 'geomis', 'geoproxy', 'dvdv']));
    const served = (await (await fetch(`${urls.dvdv}/__sandbox/defects`)).json()) as { digest: string; defects: { upstream: string }[] };
    expect(served.digest).toBe(manifest.digest);
    expect(served.defects).toEqual(manifest.defects.filter((d) => d.upstream === 'dvdv'));
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 60_000);

  it('sandbox refuses a malformed fault plan with a clear message', () => {
    const r = run(['sandbox', '--faults', 'pvog=explode']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/fault spec .*explode.*expected/);
  });

  it('serve answers the README query and exits 0 on SIGTERM, closing the port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thuegate-serve-'));
    const { child, ready } = start(['serve'], { PORT: '0', PGLITE_DIR: join(dir, 'db') }, 'stderr', /thuegate listening/);
    const [line] = await ready;
    const url = JSON.parse(line).url as string;
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ municipality(ars:"160510000000"){ name ags } }' }),
    });
    expect(await res.json()).toEqual({ data: { municipality: { name: 'Erfurt, Stadt', ags: '16051000' } } });
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('drains an in-flight request on SIGTERM before exiting', async () => {
    // A slow PVOG (1.5 s per request) from a separate sandbox process keeps a query in flight.
    const sb = start(['sandbox', '--faults', 'pvog=latency:1500'], {}, 'stdout', /^pvog\t/);
    const pvogUrl = (await sb.ready)[0].split('\t')[1];
    const dir = mkdtempSync(join(tmpdir(), 'thuegate-drain-'));
    const { child, ready } = start(['serve'], { PORT: '0', PGLITE_DIR: join(dir, 'db'), PVOG_BASE_URL: pvogUrl }, 'stderr', /thuegate listening/);
    const url = JSON.parse((await ready)[0]).url as string;
    const inFlight = fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ municipality(ars:"160510000000"){ name services(first: 3) { totalCount } } }' }),
    });
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGTERM');
    const res = await inFlight;
    const body = (await res.json()) as { data: { municipality: { name: string; services: { totalCount: number } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.municipality.services.totalCount).toBeGreaterThan(0);
    expect(await exited(child)).toBe(0);
    sb.child.kill('SIGTERM');
  }, 60_000);
});

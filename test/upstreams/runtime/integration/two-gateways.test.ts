import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../../../../src/cache';
import { startSandboxes, type SandboxWorld } from '../../../../src/sandbox';
import { projectRoot } from '../../../../src/util/paths';
import { REDIS_URL } from '../../../cache/helpers';

/**
 * Issue 3 acceptance: two gateway PROCESSES (`thuegate serve`, compiled dist/) share one Redis. A
 * PVOG answer fetched by the first is served by the second without a request to the upstream — through
 * GraphQL execution and the shared data cache (the response cache is per process: the second answer
 * is an X-Cache MISS there).
 */
const BIN = join(projectRoot(), 'bin', 'thuegate.js');
const QUERY = '{ routes(leikaKey: "99008001012000", ars: "160510000000") { leikaKey organisationUnit { id name } } }';

let world: SandboxWorld;
const children: ChildProcess[] = [];
const dirs: string[] = [];

async function purgePvog(): Promise<void> {
  // The gateway's default key prefix: entries left by earlier runs would hide the first fetch.
  const cache = createCache({ maxBytes: 1 << 20, redis: { url: REDIS_URL } });
  await cache.l2Ready();
  await cache.purge({ upstream: 'pvog' });
  await cache.close();
}

async function serve(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'thuegate-2gw-'));
  dirs.push(dir);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    LOG_LEVEL: 'info',
    PORT: '0',
    PGLITE_DIR: join(dir, 'db'),
    REDIS_URL,
    PVOG_BASE_URL: world.urls.pvog,
    THAVEL_BASE_URL: world.urls.thavel,
    GEOMIS_BASE_URL: world.urls.geomis,
    GEOPROXY_BASE_URL: world.urls.geoproxy,
    DVDV_BASE_URLS: world.urls.dvdv,
  };
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return new Promise<string>((resolve, reject) => {
    const seen: string[] = [];
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${seen.join('\n')}`)), 30_000);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      seen.push(line);
      if (/thuegate listening/.test(line)) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${seen.join('\n')}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function ask(url: string) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
  return { xCache: res.headers.get('x-cache'), body: (await res.json()) as { data?: { routes: { organisationUnit: { id: string } | null }[] }; errors?: unknown[] } };
}

beforeAll(async () => {
  world = await startSandboxes();
  await purgePvog();
});
afterAll(async () => {
  await Promise.all(children.map(stop));
  await world?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await purgePvog();
});

describe('two gateway processes with one Redis', () => {
  it('the second serves what the first fetched, without an upstream request', async () => {
    const [one, two] = await Promise.all([serve(), serve()]);
    const pvog = world.servers.pvog;
    pvog.resetCounts();

    const first = await ask(one);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.routes[0].organisationUnit?.id).toBeTruthy();
    const upstreamCalls = pvog.requestCount();
    expect(upstreamCalls).toBeGreaterThan(0);

    const second = await ask(two);
    expect(second.xCache).toBe('MISS'); // executed in process two, not a response-cache replay
    expect(second.body).toEqual(first.body);
    expect(pvog.requestCount()).toBe(upstreamCalls);
  }, 60_000);
});

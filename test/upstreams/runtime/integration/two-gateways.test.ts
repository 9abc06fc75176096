import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startSandboxes, type SandboxWorld } from '../../../../src/sandbox';
import { projectRoot } from '../../../../src/util/paths';
import { dropPrefix, REDIS_URL } from '../../../cache/helpers';

/**
 * Issue 3 acceptance: two gateway PROCESSES (`thuegate serve`, compiled dist/) share one Redis. A
 * PVOG answer fetched by the first is served by the second without a request to the upstream — through
 * GraphQL execution and the shared data cache. The response cache is shared through Redis too, so the second
 * asks with an alias: another document (a response-cache MISS, executed there) over the same upstream data.
 */
const BIN = join(projectRoot(), 'bin', 'thuegate.js');
const QUERY = '{ routes(leikaKey: "99008001012000", ars: "160510000000") { leikaKey organisationUnit { id name } } }';
const ALIASED = QUERY.replace('{ routes(', '{ routes: routes(');

let world: SandboxWorld;
const children: ChildProcess[] = [];
const dirs: string[] = [];

// A key prefix of its own: neither entries left by earlier runs (data or responses) nor other gateways on this Redis interfere.
const PREFIX = `thuegate-test:2gw:${process.pid}:${randomUUID().slice(0, 8)}`;

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
    REDIS_KEY_PREFIX: PREFIX,
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

async function ask(url: string, query = QUERY) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { xCache: res.headers.get('x-cache'), body: (await res.json()) as { data?: { routes: { organisationUnit: { id: string } | null }[] }; errors?: unknown[] } };
}

beforeAll(async () => {
  world = await startSandboxes();
});
afterAll(async () => {
  await Promise.all(children.map(stop));
  await world?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  const redis = new Redis(REDIS_URL);
  await dropPrefix(redis, PREFIX);
  redis.disconnect();
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

    const second = await ask(two, ALIASED);
    expect(second.xCache).toBe('MISS'); // executed in process two, not a response-cache replay
    expect(second.body).toEqual(first.body);
    expect(pvog.requestCount()).toBe(upstreamCalls);
  }, 60_000);
});

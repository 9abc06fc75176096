import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { autocannon, median, spreadPct } from '../lib/load';
import { procStats, type Proc } from '../lib/proc';

/**
 * P1 variants of the response-cache hit (issue 15 P1, issue 13 item 2): in one rotated run against the same bare
 * node:http anchor, the hit as an anonymous client, as an API-key client (authentication exercised: the key's
 * lookup, its own rate-limit policy) — both with rate limiting on and a quota above the run's volume — and with
 * rate limiting off. Reports each × bare and the 429 count.
 */
export interface P1HitContext {
  bin: string;
  query: string;
  bareUrl: string;
  /** Absent when `reference` gives the bare anchor's figures. */
  bareProc?: Proc;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /**
   * The bare anchor and the anonymous hit (rate limiting on) as the P1 scenario of the same run measured them: then
   * only the two variants P1 does not cover run here (the default `npm run bench` stays under 10 minutes); without
   * it (`--only P1-auth`) all four run in one rotation.
   */
  reference?: { bare: Reference; anonymousOn: Reference };
  /** Starts one gateway process with these extra environment variables. */
  start(env: NodeJS.ProcessEnv): Promise<{ url: string; proc: Proc }>;
  log(line: string): void;
}

export interface Reference {
  rps: number;
  spreadPct: number;
  p99Ms: number;
  status429: number;
  errors: number;
  cpuSecondsPerRound: number;
}

export interface P1HitRow {
  name: string;
  rps: number;
  spreadPct: number;
  p99Ms: number;
  xBare: number;
  status429: number;
  errors: number;
  cpuSecondsPerRound: number;
}

export interface P1HitResult {
  rows: P1HitRow[];
  checks: { id: string; target: string; measured: string; met: boolean | null }[];
  report: string[];
}

const run = promisify(execFile);

export async function runP1Hit(ctx: P1HitContext): Promise<P1HitResult> {
  const dir = mkdtempSync(join(tmpdir(), 'thuegate-bench-p1-'));
  const pgliteDir = join(dir, 'db');
  const on = await ctx.start({ PGLITE_DIR: pgliteDir });
  // The embedded gateway holds PGlite; `clients add` reaches it through its admin socket.
  const added = await run(process.execPath, [ctx.bin, 'clients', 'add', '--name', 'bench-p1', '--role', 'integrator'], {
    env: { ...process.env, PGLITE_DIR: pgliteDir, LOG_LEVEL: 'error', DATABASE_URL: '', REDIS_URL: '' },
  });
  const key = /^key:\s+(\S+)/m.exec(added.stdout)?.[1];
  if (!key) throw new Error(`could not create an API key: ${added.stdout} ${added.stderr}`);
  const off = await ctx.start({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_MINUTE_PUBLIC: '0', RATE_LIMIT_PER_MINUTE_INTEGRATOR: '0', RATE_LIMIT_PER_MINUTE_ADMIN: '0' });
  const body = JSON.stringify({ query: ctx.query });
  const warm: [string, Record<string, string>][] = [[on.url, {}], [on.url, { 'x-api-key': key }], [off.url, {}]];
  for (const [url, headers] of warm) {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    if (res.status !== 200) throw new Error(`P1 variant warm-up answered ${res.status}: ${await res.text()}`);
    await res.text();
  }
  const all: { name: string; url: string; headers: Record<string, string>; proc?: Proc }[] = [
    { name: 'bare node:http, identical bytes', url: ctx.bareUrl, headers: {}, proc: ctx.bareProc },
    { name: 'hit, anonymous, rate limiting on', url: `${on.url}/graphql`, headers: {}, proc: on.proc },
    { name: 'hit, API key (integrator), rate limiting on', url: `${on.url}/graphql`, headers: { 'x-api-key': key }, proc: on.proc },
    { name: 'hit, anonymous, rate limiting off', url: `${off.url}/graphql`, headers: {}, proc: off.proc },
  ];
  const targets = ctx.reference ? all.slice(2) : all;
  for (const t of targets) await autocannon({ url: t.url, body, seconds: ctx.warmupSeconds, connections: ctx.connections, headers: t.headers });
  const rounds = new Map<string, { rps: number; p99Ms: number; status429: number; errors: number; cpu: number }[]>(targets.map((t) => [t.name, []]));
  for (let k = 0; k < ctx.rounds; k++) {
    for (let j = 0; j < targets.length; j++) {
      const t = targets[(k + j) % targets.length];
      ctx.log(`P1 variants round ${k + 1}/${ctx.rounds} ${t.name}`);
      const before = procStats(t.proc!.pid).cpuSeconds;
      const r = await autocannon({ url: t.url, body, seconds: ctx.seconds, connections: ctx.connections, headers: t.headers });
      rounds.get(t.name)!.push({ rps: r.rps, p99Ms: r.p99Ms, status429: r.status429, errors: r.errors + r.timeouts + r.non2xx - r.status429, cpu: procStats(t.proc!.pid).cpuSeconds - before });
    }
  }
  await Promise.all([on.proc.stop(), off.proc.stop()]);
  const ref = ctx.reference;
  const bareRps = ref ? ref.bare.rps : median(rounds.get(all[0].name)!.map((r) => r.rps));
  const rows: P1HitRow[] = all.map((t, i) => {
    if (ref && i < 2) {
      const r = i === 0 ? ref.bare : ref.anonymousOn;
      return { name: `${t.name} (from P1)`, ...r, xBare: r.rps / bareRps };
    }
    const rs = rounds.get(t.name)!;
    const rps = median(rs.map((r) => r.rps));
    return {
      name: t.name,
      rps,
      spreadPct: spreadPct(rs.map((r) => r.rps)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      xBare: rps / bareRps,
      status429: rs.reduce((a, r) => a + r.status429, 0),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      cpuSecondsPerRound: median(rs.map((r) => r.cpu)),
    };
  });
  const [, anon, keyed, unlimited] = rows;
  const f = (n: number, d = 0) => n.toFixed(d);
  const checks = [
    {
      id: 'P1 (API key)',
      target: 'response-cache hit with an API key ≥ 0.8 × bare node:http, rate limiting on, 0 × 429',
      measured: `${f(keyed.xBare, 2)} × bare (${f(keyed.rps)} vs ${f(bareRps)} req/s), ${keyed.status429} × 429; anonymous ${f(anon.xBare, 2)} × bare`,
      met: keyed.xBare >= 0.8 && keyed.status429 === 0 && keyed.errors === 0,
    },
    {
      id: 'P1 (rate limit)',
      target: 'hot path with rate limiting on vs off (issue 13 item 2; no target)',
      measured: `on ${f(anon.rps)} req/s vs off ${f(unlimited.rps)} req/s (${f(anon.rps / unlimited.rps, 2)} ×)`,
      met: null,
    },
  ];
  const report = [
    '## P1 variants: authentication and rate limiting on the hit path (same rotated run)',
    '',
    ...(ref ? ['The bare anchor and the anonymous hit with rate limiting on are the P1 figures of this run (P1\'s own rotation); the two variants below were rotated together.', ''] : []),
    '| server | req/s (median) | spread | × bare | p99 ms | 429 | errors | CPU s per round |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${f(r.rps)} | ${f(r.spreadPct)} % | ${f(r.xBare, 3)} | ${f(r.p99Ms)} | ${r.status429} | ${r.errors} | ${f(r.cpuSecondsPerRound, 1)} |`),
    '',
  ];
  return { rows, checks, report };
}

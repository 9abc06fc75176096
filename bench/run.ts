import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autocannon, median, spreadPct, type LoadResult } from './lib/load';
import { freePort, procStats, startNode, type Proc } from './lib/proc';
import { projectRoot } from '../src/util/paths';
import { runP1Hit, type P1HitResult } from './scenarios/p1-hit';
import { runP8, type P8Result } from './scenarios/p8';

/**
 * `npm run bench` (issue 15): every server in its own process — sandbox upstreams, the gateway (NODE_ENV=production),
 * the anchors (bare node:http with identical bytes, Apollo Server 5 + Map cache over a REST stand-in) — and the load
 * generator (autocannon) in its own process. Throughput scenarios run as several rounds in rotated order after a
 * warm-up; the report gives median and spread, CPU and RSS of each server, and every target with met / not met.
 * Writes bench/results/<timestamp>.md and .json. Ratios matter, absolute numbers do not (shared, noisy machine).
 *
 * Flags: --quick (2 rounds × 3 s, 20 s soak), --rounds N, --seconds N, --connections N, --soak 10m|600s,
 *        --upstream-latency MS (P2, default 20).
 */

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const duration = (v: string): number => {
  const m = /^(\d+)(ms|s|m)?$/.exec(v);
  if (!m) throw new Error(`expected a duration like 120s or 10m, got ${v}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : m[2] === 'ms' ? 0.001 : 1);
};
const OPT = {
  rounds: Number(flag('rounds') ?? process.env.BENCH_ROUNDS ?? (quick ? 2 : 3)),
  seconds: Number(flag('seconds') ?? process.env.BENCH_SECONDS ?? (quick ? 3 : 10)),
  warmupSeconds: quick ? 1 : 3,
  connections: Number(flag('connections') ?? process.env.BENCH_CONNECTIONS ?? 50),
  soakSeconds: duration(flag('soak') ?? process.env.BENCH_SOAK ?? (quick ? '20s' : '120s')),
  upstreamLatencyMs: Number(flag('upstream-latency') ?? 20),
  coldStarts: quick ? 2 : 3,
};

const ARS = '160510000000';
const QUERY = `{ municipality(ars:"${ARS}"){ name services(first:20){ edges{ node{ leikaKey name onlineServiceLinks{ title url } onlineServices{ title url } } } } } }`;
// `upstreams` carries no cache hint, so the response cache is bypassed and the request executes (data cache warm).
const QUERY_FULL = QUERY.replace(/ }$/, ' upstreams { name } }');
const nested = (first: number) =>
  `{ municipality(ars:"${ARS}"){ name services(first:${first}){ edges{ node{ leikaKey name responsibilities{ organisationUnit{ name onlineServices{ title url } } } onlineServices{ title url } } } } } }`;
const body = (query: string) => JSON.stringify({ query });
const RATE_LIMIT = '10000000'; // per minute: above any run's volume, so a 429 would be a finding

const bin = join(projectRoot(), 'bin', 'thuegate.js');
const anchors = join(__dirname, 'anchors');
const procs: Proc[] = [];
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

async function sandbox(latencyMs: number): Promise<Proc> {
  const args = [bin, 'sandbox'];
  if (latencyMs > 0) args.push('--faults', `*:*=latency:${latencyMs}ms`);
  const p = await startNode(`sandbox${latencyMs ? `+${latencyMs}ms` : ''}`, args, { waitFor: ['pvog', 'thavel'], env: { LOG_LEVEL: 'error' } });
  procs.push(p);
  return p;
}

function gatewayEnv(sb: Proc, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PGLITE_DIR: 'memory://',
    LOG_LEVEL: 'error',
    REDIS_URL: '',
    DATABASE_URL: '',
    RATE_LIMIT_PER_MINUTE: RATE_LIMIT,
    RATE_LIMIT_PER_MINUTE_PUBLIC: RATE_LIMIT,
    RATE_LIMIT_PER_MINUTE_INTEGRATOR: RATE_LIMIT,
    RATE_LIMIT_PER_MINUTE_ADMIN: RATE_LIMIT,
  };
  // DVDV takes a list of directory servers (DVDV_BASE_URLS); the others one base URL each.
  for (const [name, url] of Object.entries(sb.urls)) env[`${name.toUpperCase()}_BASE_URL${name === 'dvdv' ? 'S' : ''}`] = url;
  return env;
}

async function gateway(sb: Proc, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ proc: Proc; url: string; readyMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const proc = await startNode('gateway', [bin, 'serve'], {
    env: { ...gatewayEnv(sb, port), ...extraEnv },
    ready: async () => (await fetch(`${url}/readyz`)).status === 200,
    timeoutMs: 120_000,
  });
  const readyMs = performance.now() - t0;
  procs.push(proc);
  return { proc, url, readyMs };
}

async function post(url: string, query: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(query) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function upstreamRequests(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^thuegate_upstream_requests_total\{[^}]*\} (\d+(?:\.\d+)?)$/gm)) sum += Number(m[1]);
  return sum;
}

interface Target { name: string; url: string; body: string; procs: Proc[] }
interface Round { rps: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; status429: number; cpu: Record<string, number>; rssMb: Record<string, number> }
interface Scenario { name: string; rounds: Round[]; rps: number; spreadPct: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; status429: number; cpuPerRound: Record<string, number>; rssMb: Record<string, number> }

async function measure(t: Target, seconds: number, rate?: number): Promise<Round> {
  const before = t.procs.map((p) => procStats(p.pid));
  const r: LoadResult = await autocannon({ url: t.url, body: t.body, seconds, connections: OPT.connections, rate });
  const after = t.procs.map((p) => procStats(p.pid));
  const cpu: Record<string, number> = {};
  const rssMb: Record<string, number> = {};
  t.procs.forEach((p, i) => {
    cpu[p.name] = after[i].cpuSeconds - before[i].cpuSeconds;
    rssMb[p.name] = after[i].rssMb;
  });
  return { rps: r.rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors + r.timeouts, non2xx: r.non2xx, status429: r.status429, cpu, rssMb };
}

/** Warm-up, then OPT.rounds rounds; round k starts at target k (rotated order) so no target always runs first or last. */
async function rotated(targets: Target[]): Promise<Scenario[]> {
  for (const t of targets) {
    log(`warm-up ${t.name}`);
    await autocannon({ url: t.url, body: t.body, seconds: OPT.warmupSeconds, connections: OPT.connections });
  }
  const rounds = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
  for (let k = 0; k < OPT.rounds; k++) {
    for (let j = 0; j < targets.length; j++) {
      const t = targets[(k + j) % targets.length];
      log(`round ${k + 1}/${OPT.rounds} ${t.name}`);
      rounds.get(t.name)!.push(await measure(t, OPT.seconds));
    }
  }
  return targets.map((t) => {
    const rs = rounds.get(t.name)!;
    const names = Object.keys(rs[0].cpu);
    return {
      name: t.name,
      rounds: rs,
      rps: median(rs.map((r) => r.rps)),
      spreadPct: spreadPct(rs.map((r) => r.rps)),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
      status429: rs.reduce((a, r) => a + r.status429, 0),
      cpuPerRound: Object.fromEntries(names.map((n) => [n, median(rs.map((r) => r.cpu[n]))])),
      rssMb: Object.fromEntries(names.map((n) => [n, Math.max(...rs.map((r) => r.rssMb[n]))])),
    };
  });
}

interface TargetCheck { id: string; target: string; measured: string; met: boolean | null }

async function main(): Promise<void> {
  const started = new Date();
  log(`options ${JSON.stringify(OPT)}`);
  const work = mkdtempSync(join(tmpdir(), 'thuegate-bench-'));
  const checks: TargetCheck[] = [];
  const notes: string[] = [];

  // ---- P7 cold start to /readyz 200, and P2 cold nested query against upstreams with added latency.
  const slow = await sandbox(OPT.upstreamLatencyMs);
  const starts: number[] = [];
  const p2: { first: number; upstreamRequests: number; latencyMs: number; errors: number }[] = [];
  for (let i = 0; i < OPT.coldStarts; i++) {
    // The nested query is far above the anonymous cost limit (it asks 20 × (responsibilities + units + online
    // services)); P2 is about batching, so this gateway lets it run.
    const gw = await gateway(slow, { MAX_QUERY_COST: '10000000' });
    starts.push(gw.readyMs);
    log(`P7 cold start ${gw.readyMs.toFixed(0)} ms`);
    if (i < 2) {
      const first = i === 0 ? 20 : 2;
      const before = await upstreamRequests(gw.url);
      const t0 = performance.now();
      const r = await post(`${gw.url}/graphql`, nested(first));
      const latencyMs = performance.now() - t0;
      const n = (await upstreamRequests(gw.url)) - before;
      const parsed = JSON.parse(r.text) as { errors?: unknown[]; data?: { municipality?: { services?: { edges: unknown[] } } } };
      p2.push({ first, upstreamRequests: n, latencyMs, errors: r.status === 200 ? (parsed.errors?.length ?? 0) : 1 });
      if (r.status !== 200 || parsed.errors) notes.push(`P2 (first:${first}) answered ${r.status}: ${r.text.slice(0, 300)}`);
      log(`P2 first:${first} → ${n} upstream requests, ${latencyMs.toFixed(0)} ms`);
    }
    await gw.proc.stop();
    procs.splice(procs.indexOf(gw.proc), 1);
  }
  await slow.stop();
  procs.splice(procs.indexOf(slow), 1);
  const p7 = median(starts);
  checks.push({ id: 'P7', target: 'cold start to /readyz 200 ≤ 1500 ms', measured: `${p7.toFixed(0)} ms (median of ${starts.length}: ${starts.map((s) => s.toFixed(0)).join(', ')})`, met: p7 <= 1500 });
  const [p2a, p2b] = p2;
  const noNPlus1 = p2a && p2b && p2a.errors === 0 && p2b.errors === 0 && p2a.upstreamRequests === p2b.upstreamRequests;
  checks.push({
    id: 'P2',
    target: 'cold nested query: upstream requests per GraphQL request = distinct batches (no N+1: same count for 20 services as for 2)',
    measured: p2a && p2b ? `${p2a.upstreamRequests} upstream requests for 20 services, ${p2b.upstreamRequests} for 2; cold latency ${p2a.latencyMs.toFixed(0)} ms with ${OPT.upstreamLatencyMs} ms upstream latency` : 'not measured',
    met: !!noNPlus1,
  });

  // ---- Throughput: gateway (cached / full execution) vs bare node:http vs Apollo + Map, same rotated run.
  const sb = await sandbox(0);
  const gw = await gateway(sb);
  const endpoint = `${gw.url}/graphql`;
  const first = await post(endpoint, QUERY);
  if (first.status !== 200 || first.text.includes('"errors"')) throw new Error(`benchmark query failed: ${first.status} ${first.text.slice(0, 500)}`);
  const hot = await post(endpoint, QUERY); // the bytes a response-cache hit answers with
  const full = await post(endpoint, QUERY_FULL);
  if (full.status !== 200 || full.text.includes('"errors"')) throw new Error(`full-execution query failed: ${full.status} ${full.text.slice(0, 500)}`);
  const answerFile = join(work, 'answer.json');
  writeFileSync(answerFile, hot.text);
  const data = JSON.parse(hot.text) as { data: { municipality: unknown } };
  const muniFile = join(work, 'municipality.json');
  writeFileSync(muniFile, JSON.stringify({ ars: ARS, municipality: data.data.municipality }));
  const bare = await startNode('bare', [join(anchors, 'bare.js'), answerFile, hot.type], { waitFor: ['url'] });
  procs.push(bare);
  const standin = await startNode('rest-standin', [join(anchors, 'rest-standin.js'), muniFile], { waitFor: ['url'] });
  procs.push(standin);
  const apollo = await startNode('apollo', [join(anchors, 'apollo.js'), standin.urls.url], { waitFor: ['url'], env: { NODE_ENV: 'production' } });
  procs.push(apollo);
  const apolloCheck = await post(apollo.urls.url, QUERY);
  if (apolloCheck.status !== 200 || apolloCheck.text.includes('"errors"')) throw new Error(`Apollo anchor failed: ${apolloCheck.text.slice(0, 300)}`);
  const gwProcs = [gw.proc, sb];
  const throughput = await rotated([
    { name: 'bare node:http, identical bytes', url: bare.urls.url, body: body(QUERY), procs: [bare] },
    { name: 'thuegate, response-cache hit (P1)', url: endpoint, body: body(QUERY), procs: gwProcs },
    { name: 'thuegate, full execution (P1b)', url: endpoint, body: body(QUERY_FULL), procs: gwProcs },
    { name: 'Apollo Server 5 + Map cache', url: apollo.urls.url, body: body(QUERY), procs: [apollo, standin] },
  ]);
  const [sBare, sHit, sFull, sApollo] = throughput;
  const p1 = sHit.rps / sBare.rps;
  checks.push({
    id: 'P1',
    target: 'response-cache hit ≥ 0.8 × bare node:http, rate limiting on, 0 × 429',
    measured: `${p1.toFixed(2)} × bare (${sHit.rps.toFixed(0)} vs ${sBare.rps.toFixed(0)} req/s), ${sHit.status429} × 429 (anonymous client; authentication not exercised)`,
    met: p1 >= 0.8 && sHit.status429 === 0,
  });
  const p1bApollo = sFull.rps / sApollo.rps;
  checks.push({
    id: 'P1b',
    target: 'full execution ≥ 1 × Apollo Server 5 + Map cache',
    measured: `${p1bApollo.toFixed(2)} × Apollo (${sFull.rps.toFixed(0)} vs ${sApollo.rps.toFixed(0)} req/s), ${(sFull.rps / sBare.rps).toFixed(3)} × bare, ${sFull.errors + sFull.non2xx} errors`,
    met: p1bApollo >= 1 && sFull.errors + sFull.non2xx === 0,
  });
  checks.push({ id: 'P1b', target: 'full execution ≥ 3.5 × Hive Gateway 2.15.1', measured: 'not measured: Hive Gateway anchor not set up in this harness yet', met: null });
  // ---- P1 variants (bench/scenarios/p1-hit.ts): the hit with an API key, and with rate limiting off.
  const p1hit: P1HitResult = await runP1Hit({ bin, query: QUERY, bareUrl: bare.urls.url, bareProc: bare, rounds: OPT.rounds, seconds: OPT.seconds, warmupSeconds: OPT.warmupSeconds, connections: OPT.connections, start: (env) => gateway(sb, env), log });
  checks.push(...p1hit.checks);
  await Promise.all([bare, standin, apollo].map((p) => p.stop()));

  // ---- P6 RSS under sustained load (full execution; the response cache would hide per-request allocation).
  log(`P6 soak ${OPT.soakSeconds} s`);
  const samples: { t: number; rssMb: number }[] = [];
  const t0 = Date.now();
  const sampler = setInterval(() => samples.push({ t: (Date.now() - t0) / 1000, rssMb: procStats(gw.proc.pid).rssMb }), 1000);
  const soak = await autocannon({ url: endpoint, body: body(QUERY_FULL), seconds: OPT.soakSeconds, connections: OPT.connections });
  clearInterval(sampler);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const early = median(samples.slice(0, third).map((s) => s.rssMb));
  const late = median(samples.slice(-third).map((s) => s.rssMb));
  const peak = Math.max(...samples.map((s) => s.rssMb));
  const growthPct = ((late - early) / early) * 100;
  checks.push({
    id: 'P6',
    target: 'gateway RSS ≤ 200 MB under sustained load and flat (last third vs first third of the soak, growth ≤ 10 %)',
    measured: `peak ${peak.toFixed(0)} MB; median first third ${early.toFixed(0)} MB → last third ${late.toFixed(0)} MB (${growthPct >= 0 ? '+' : ''}${growthPct.toFixed(1)} %) over ${OPT.soakSeconds} s at ${soak.rps.toFixed(0)} req/s, ${soak.errors + soak.non2xx} errors`,
    met: peak <= 200 && growthPct <= 10,
  });
  await gw.proc.stop();
  // ---- P8 two replicas sharing Redis (bench/scenarios/p8.ts).
  let p8: P8Result | undefined;
  try {
    p8 = await runP8({ query: QUERY, seconds: OPT.seconds, connections: OPT.connections, redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', start: (env) => gateway(sb, env), log });
    checks.push(...p8.checks);
  } catch (e) {
    notes.push(`P8 not measured: ${(e as Error).message.slice(0, 300)}`);
    checks.push({ id: 'P8', target: 'two replicas sharing Redis (no target)', measured: 'not measured: see notes', met: null });
  }
  await sb.stop();

  for (const [id, what] of [
    ['P3', 'added latency p99 ≤ 2 ms over 20 ms upstream latency at 200 req/s'],
    ['P4', 'availability / availabilityMatrix p50 ≤ 15 ms on the full snapshot'],
    ['P5', 'harvest ≤ 1.2 × lower bound, incremental ≤ 10 % of full'],
  ] as const) checks.push({ id, target: what, measured: 'not measured: scenario not implemented in the harness yet', met: null });

  // ---- Report
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const result = { started: started.toISOString(), finished: new Date().toISOString(), node: process.version, options: OPT, query: QUERY, answerBytes: Buffer.byteLength(hot.text), checks, throughput, p2, coldStartsMs: starts, soak: { samples, rps: soak.rps, errors: soak.errors + soak.non2xx }, p1hit: p1hit.rows, p8, notes };
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
  const f = (n: number, d = 0) => n.toFixed(d);
  const md = [
    `# thuegate bench — ${started.toISOString()}`,
    '',
    `Node ${process.version}; ${OPT.connections} connections; ${OPT.rounds} rounds × ${OPT.seconds} s in rotated order after ${OPT.warmupSeconds} s warm-up each; `,
    `load generator (autocannon), sandbox upstreams, gateway (NODE_ENV=production, anonymous rate limit ${RATE_LIMIT}/min) and anchors each in their own process. `,
    `Query (${result.answerBytes} bytes answer): \`${QUERY}\`. Full execution adds \`upstreams { name }\` (no cache hint → response cache bypassed; data cache warm).`,
    'Ratios are from this one run; absolute numbers are noisy on a shared machine.',
    '',
    '## Targets',
    '',
    '| | target | measured | met |',
    '|---|---|---|---|',
    ...checks.map((c) => `| ${c.id} | ${c.target} | ${c.measured} | ${c.met === null ? 'not measured' : c.met ? '**met**' : '**not met**'} |`),
    '',
    '## Throughput (same run)',
    '',
    '| server | req/s (median) | spread | × bare | p50 ms | p99 ms | errors / non-2xx / 429 | CPU s per round (server processes) | max RSS MB |',
    '|---|---|---|---|---|---|---|---|---|',
    ...throughput.map(
      (s) =>
        `| ${s.name} | ${f(s.rps)} | ${f(s.spreadPct)} % | ${f(s.rps / sBare.rps, 3)} | ${f(s.p50Ms)} | ${f(s.p99Ms)} | ${s.errors} / ${s.non2xx} / ${s.status429} | ${Object.entries(s.cpuPerRound).map(([n, v]) => `${n} ${f(v, 1)}`).join(', ')} | ${Object.entries(s.rssMb).map(([n, v]) => `${n} ${f(v)}`).join(', ')} |`,
    ),
    '',
    `Per round req/s: ${throughput.map((s) => `${s.name}: ${s.rounds.map((r) => f(r.rps)).join(' / ')}`).join('; ')}.`,
    '',
    ...p1hit.report,
    ...(p8?.report ?? []),
    '## P2 cold nested query',
    '',
    `Query: \`${nested(20)}\` on a freshly started gateway (empty caches), upstreams with ${OPT.upstreamLatencyMs} ms latency.`,
    '',
    '| services | upstream requests (from /metrics) | latency ms | GraphQL errors |',
    '|---|---|---|---|',
    ...p2.map((r) => `| ${r.first} | ${r.upstreamRequests} | ${f(r.latencyMs)} | ${r.errors} |`),
    '',
    '## P6 RSS over the soak (gateway process)',
    '',
    samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 12)) === 0).map((s) => `${f(s.t)} s: ${f(s.rssMb)} MB`).join(' · '),
    '',
    ...(notes.length ? ['## Notes', '', ...notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
  writeFileSync(join(dir, `${stamp}.md`), md);
  process.stdout.write(md + `\nwritten: bench/results/${stamp}.md and .json\n`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all(procs.map((p) => p.stop().catch(() => undefined)));
  });

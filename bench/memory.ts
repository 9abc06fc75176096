import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { autocannon, median } from './lib/load';
import { freePort, procStats, startNode, type Proc } from './lib/proc';
import { openDatabase } from '../src/persistence/orm';
import { projectRoot } from '../src/util/paths';

/**
 * P6 (RSS under sustained load, flat over a soak) and P7 (cold start to /readyz 200) in both database
 * configurations a gateway runs in (issue 15; bench/CHANGES-perf-mem.md):
 *   - `embedded`: PGLITE_DIR=memory://, no Redis — what `npm run bench` starts. PGlite is WebAssembly PostgreSQL
 *     inside the gateway process; its fixed share (about 150 MB of wasm memory: the build hard-codes
 *     shared_buffers=128MB — plus ~30 MB of in-memory files and the compiled module) is part of this RSS.
 *   - `production`: DATABASE_URL to the machine's PostgreSQL (a throwaway database, dropped afterwards) and
 *     REDIS_URL (a unique key prefix), as a production deployment with replicas runs.
 *
 *   npm run build && node dist/bench/memory.js [--soak 10m] [--starts 3] [--config embedded|production|both] [--quick]
 *
 * CPU seconds to ready are reported beside wall time: on a shared 2-core machine wall time mostly measures the
 * neighbours. Writes bench/results/memory-<timestamp>.md and .json.
 */

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const duration = (v: string): number => {
  const m = /^(\d+)(s|m)?$/.exec(v);
  if (!m) throw new Error(`expected a duration like 120s or 10m, got ${v}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
};
const OPT = {
  soakSeconds: duration(flag('soak') ?? (quick ? '20s' : '120s')),
  starts: Number(flag('starts') ?? (quick ? 2 : 3)),
  connections: Number(flag('connections') ?? 50),
  configs: (flag('config') ?? 'both') === 'both' ? ['embedded', 'production'] : [flag('config')!],
};
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RATE_LIMIT = '10000000';
const ARS = '160510000000';
const QUERY = `{ municipality(ars:"${ARS}"){ name services(first:20){ edges{ node{ leikaKey name onlineServiceLinks{ title url } onlineServices{ title url } } } } } upstreams { name } }`;
const bin = join(projectRoot(), 'bin', 'thuegate.js');
const procs: Proc[] = [];
const log = (s: string) => process.stderr.write(`[bench:memory] ${s}\n`);

interface Setup {
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

async function setup(config: string): Promise<Setup> {
  if (config === 'embedded') return { env: { PGLITE_DIR: 'memory://', DATABASE_URL: '', REDIS_URL: '' }, cleanup: async () => undefined };
  const tag = `thuegate_bench_${randomBytes(5).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: ADMIN_URL, poolMax: 1 });
  await admin.orm.em.getConnection().execute(`create database "${tag}"`);
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${tag}`;
  return {
    env: { DATABASE_URL: databaseUrl.toString(), REDIS_URL, REDIS_KEY_PREFIX: tag },
    cleanup: async () => {
      try {
        await admin.orm.em.getConnection().execute(`drop database if exists "${tag}" with (force)`);
      } finally {
        await admin.close();
      }
      const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${tag}:*`, 'COUNT', 500);
          if (keys.length) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

async function gateway(sb: Proc, extra: NodeJS.ProcessEnv): Promise<{ proc: Proc; url: string; readyMs: number; cpuToReady: number; rssAtReady: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_MINUTE: RATE_LIMIT,
    RATE_LIMIT_PER_MINUTE_PUBLIC: RATE_LIMIT,
    RATE_LIMIT_PER_MINUTE_INTEGRATOR: RATE_LIMIT,
    RATE_LIMIT_PER_MINUTE_ADMIN: RATE_LIMIT,
    ...extra,
  };
  for (const [name, u] of Object.entries(sb.urls)) env[`${name.toUpperCase()}_BASE_URL${name === 'dvdv' ? 'S' : ''}`] = u;
  const t0 = performance.now();
  const proc = await startNode('gateway', [bin, 'serve'], { env, ready: async () => (await fetch(`${url}/readyz`)).status === 200, timeoutMs: 180_000 });
  const readyMs = performance.now() - t0;
  const s = procStats(proc.pid);
  procs.push(proc);
  return { proc, url, readyMs, cpuToReady: s.cpuSeconds, rssAtReady: s.rssMb };
}

async function stop(p: Proc): Promise<void> {
  await p.stop();
  procs.splice(procs.indexOf(p), 1);
}

interface ConfigResult {
  config: string;
  starts: { readyMs: number; cpuToReady: number; rssAtReady: number }[];
  soak: { rps: number; errors: number; early: number; late: number; peak: number; growthPct: number; samples: { t: number; rssMb: number }[] };
}

async function measureConfig(config: string, sb: Proc): Promise<ConfigResult> {
  const s = await setup(config);
  try {
    const starts: ConfigResult['starts'] = [];
    for (let i = 0; i < OPT.starts; i++) {
      const gw = await gateway(sb, s.env);
      starts.push({ readyMs: gw.readyMs, cpuToReady: gw.cpuToReady, rssAtReady: gw.rssAtReady });
      log(`${config}: ready in ${gw.readyMs.toFixed(0)} ms (${gw.cpuToReady.toFixed(2)} CPU s), RSS ${gw.rssAtReady.toFixed(0)} MB`);
      await stop(gw.proc);
    }
    const gw = await gateway(sb, s.env);
    const body = JSON.stringify({ query: QUERY });
    const first = await fetch(`${gw.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await first.text();
    if (first.status !== 200 || text.includes('"errors"')) throw new Error(`${config}: query failed: ${first.status} ${text.slice(0, 300)}`);
    log(`${config}: soak ${OPT.soakSeconds} s`);
    const samples: { t: number; rssMb: number }[] = [];
    const t0 = Date.now();
    const sampler = setInterval(() => samples.push({ t: (Date.now() - t0) / 1000, rssMb: procStats(gw.proc.pid).rssMb }), 1000);
    const load = await autocannon({ url: `${gw.url}/graphql`, body, seconds: OPT.soakSeconds, connections: OPT.connections });
    clearInterval(sampler);
    await stop(gw.proc);
    const third = Math.max(1, Math.floor(samples.length / 3));
    const early = median(samples.slice(0, third).map((x) => x.rssMb));
    const late = median(samples.slice(-third).map((x) => x.rssMb));
    const peak = Math.max(...samples.map((x) => x.rssMb));
    return { config, starts, soak: { rps: load.rps, errors: load.errors + load.non2xx, early, late, peak, growthPct: ((late - early) / early) * 100, samples } };
  } finally {
    await s.cleanup();
  }
}

async function main(): Promise<void> {
  const started = new Date();
  log(`options ${JSON.stringify(OPT)}`);
  const sb = await startNode('sandbox', [bin, 'sandbox'], { waitFor: ['pvog', 'thavel'], env: { LOG_LEVEL: 'error' } });
  procs.push(sb);
  const results: ConfigResult[] = [];
  for (const c of OPT.configs) results.push(await measureConfig(c, sb));
  const f = (n: number, d = 0) => n.toFixed(d);
  const md = [
    `# thuegate memory and start-up bench — ${started.toISOString()}`,
    '',
    `Node ${process.version}; gateway NODE_ENV=production; soak: ${OPT.connections} connections for ${OPT.soakSeconds} s on the full-execution query (response cache bypassed): \`${QUERY}\`.`,
    '`embedded` = PGLITE_DIR=memory://, no Redis (as `npm run bench`); `production` = PostgreSQL (throwaway database) + Redis.',
    '',
    '| config | P7 ready ms (median; each) | CPU s to ready (median) | RSS at ready MB | P6 peak RSS MB | first third → last third MB | growth | req/s | errors | P7 ≤ 1500 ms | P6 ≤ 200 MB and flat (≤ 10 %) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => {
      const ready = median(r.starts.map((x) => x.readyMs));
      const met6 = r.soak.peak <= 200 && r.soak.growthPct <= 10;
      return `| ${r.config} | ${f(ready)} (${r.starts.map((x) => f(x.readyMs)).join(', ')}) | ${f(median(r.starts.map((x) => x.cpuToReady)), 2)} | ${f(median(r.starts.map((x) => x.rssAtReady)))} | ${f(r.soak.peak)} | ${f(r.soak.early)} → ${f(r.soak.late)} | ${r.soak.growthPct >= 0 ? '+' : ''}${f(r.soak.growthPct, 1)} % | ${f(r.soak.rps)} | ${r.soak.errors} | ${ready <= 1500 ? 'met' : 'not met'} | ${met6 ? 'met' : 'not met'} |`;
    }),
    '',
    ...results.map((r) => `RSS over the soak (${r.config}): ${r.soak.samples.filter((_, i) => i % Math.max(1, Math.floor(r.soak.samples.length / 12)) === 0).map((x) => `${f(x.t)} s ${f(x.rssMb)}`).join(' · ')}`),
    '',
  ].join('\n');
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `memory-${stamp}.json`), JSON.stringify({ started, options: OPT, results }, null, 2) + '\n');
  writeFileSync(join(dir, `memory-${stamp}.md`), md);
  process.stdout.write(md + `\nwritten: bench/results/memory-${stamp}.md and .json\n`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all(procs.map((p) => p.stop().catch(() => undefined)));
  });

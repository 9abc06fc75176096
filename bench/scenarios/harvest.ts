import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../src/server/config';
import { bin, fmt, post, type BenchContext, type Scenario } from '../lib/context';
import { fixedRate, type ProbeResult } from '../lib/fixed-rate';
import { harvestLowerBound, parseHarvestSummary, type UpstreamLoad } from '../lib/harvest-bound';
import type { Proc } from '../lib/proc';

/** The sandbox key of "Wohnsitz anmelden" (eWA), issue 11's acceptance key. */
const EWA = '99999001001000';
/** Requests a PVOG work unit has in flight at once: services and online services of the place (src/harvest/harvester.ts). */
const PVOG_REQUESTS_PER_UNIT = 2;
/** Share of the world the sandbox control changes between the full and the incremental harvest (issue 11: 1 %). */
const CHANGE_SHARE = 0.01;

interface HarvestRun {
  wallMs: number;
  durationMs: number;
  snapshotId: number;
  rows: ReturnType<typeof parseHarvestSummary>['rows'];
}

/** Environment of `thuegate harvest` and of the gateway reading its snapshot: sandbox by URL, the run's database. */
function harvestEnv(sb: Proc, db: { databaseUrl?: string; pgliteDir: string }): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DATABASE_URL: db.databaseUrl ?? '',
    PGLITE_DIR: db.pgliteDir,
    // The sandbox is reached by URL, so the real PVOG's 5 requests/s would apply (a full harvest would take minutes
    // of waiting on the limit, not on the harvester); the bench lifts it to the maximum, as the harvest tests do.
    PVOG_MAX_RPS: '1000',
  };
  for (const [name, url] of Object.entries(sb.urls)) env[`${name.toUpperCase()}_BASE_URL${name === 'dvdv' ? 'S' : ''}`] = url;
  return env;
}

async function harvestOnce(ctx: BenchContext, env: Record<string, string>): Promise<HarvestRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'harvest', '--no-progress'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const wallMs = performance.now() - t0;
  if (code !== 0) throw new Error(`thuegate harvest exited ${code}: ${err || out}`);
  const s = parseHarvestSummary(out);
  ctx.log(`harvest snapshot ${s.snapshotId}: ${fmt(s.durationMs)} ms (wall ${fmt(wallMs)} ms)`);
  return { wallMs, ...s };
}

/** Per upstream, how long its harvest run took (harvestRuns: one run per upstream and snapshot). */
async function runTimes(endpoint: string): Promise<{ upstream: string; snapshotId: number; ms: number; requests: number | null }[]> {
  const r = await post(endpoint, '{ harvestRuns(first: 50){ upstream snapshotId startedAt finishedAt requests status } }');
  const runs = (JSON.parse(r.text) as { data?: { harvestRuns: { upstream: string; snapshotId: number; startedAt: string; finishedAt: string | null; requests: number | null; status: string }[] } }).data?.harvestRuns ?? [];
  return runs.filter((x) => x.finishedAt).map((x) => ({ upstream: x.upstream, snapshotId: x.snapshotId, ms: Date.parse(x.finishedAt!) - Date.parse(x.startedAt), requests: x.requests }));
}

/**
 * P5 full and incremental harvest of the sandbox world (upstreams answering after the run's upstream latency) against
 * the lower bound (bench/lib/harvest-bound.ts), and P4 `availability` / `availabilityMatrix` latency on the snapshot
 * it produced, read by a gateway over the same database.
 */
export const harvest: Scenario = {
  ids: ['P5', 'P4'],
  async run(ctx, selected) {
    const latencyMs = ctx.opt.upstreamLatencyMs;
    const sb = await ctx.sandbox(latencyMs);
    const db = { databaseUrl: ctx.opt.databaseUrl, pgliteDir: join(ctx.work, 'pglite') };
    const env = harvestEnv(sb, db);
    const cfg = loadConfig(env);
    const concurrency = cfg.harvest.concurrency;
    const pvogMaxRps = cfg.adapters.pvog.maxRps;
    const dbName = db.databaseUrl ? 'PostgreSQL' : 'embedded PGlite';
    const checks = [];
    const sections: string[] = [];
    const data: Record<string, unknown> = { latencyMs, concurrency, pvogMaxRps, database: dbName };

    ctx.log('P5 full harvest');
    const full = await harvestOnce(ctx, env);
    const bound = (run: HarvestRun) =>
      harvestLowerBound(
        run.rows.filter((r) => r.mode !== 'carried').map((r): UpstreamLoad => ({
          upstream: r.upstream,
          requests: r.requests,
          inFlight: concurrency * (r.upstream === 'pvog' ? PVOG_REQUESTS_PER_UNIT : 1),
          maxRps: r.upstream === 'pvog' ? pvogMaxRps : undefined,
        })),
        latencyMs,
      );
    const fullBound = bound(full);
    let incremental: HarvestRun | undefined;
    let change: unknown;
    if (selected.has('P5')) {
      const res = await fetch(`${sb.urls.pvog}/__sandbox/mutate?share=${CHANGE_SHARE}`, { method: 'POST' });
      change = await res.json();
      if (res.status !== 200) throw new Error(`sandbox mutate control failed: ${res.status} ${JSON.stringify(change)}`);
      ctx.log('P5 incremental harvest');
      incremental = await harvestOnce(ctx, env);
    }

    const gw = await ctx.gateway(sb, { DATABASE_URL: env.DATABASE_URL, PGLITE_DIR: env.PGLITE_DIR });
    const times = await runTimes(gw.endpoint);

    if (selected.has('P5')) {
      const ratio = full.durationMs / fullBound.totalMs;
      const incShare = incremental!.durationMs / full.durationMs;
      checks.push(
        {
          id: 'P5',
          target: 'full harvest ≤ 1.2 × lower bound (requests × upstream latency ÷ requests in flight, per upstream, summed)',
          measured: `${fmt(ratio, 2)} × lower bound (${fmt(full.durationMs / 1000, 1)} s vs ${fmt(fullBound.totalMs / 1000, 1)} s; ${full.rows.reduce((a, r) => a + r.requests, 0)} requests, ${latencyMs} ms latency, HARVEST_CONCURRENCY ${concurrency}, ${dbName})`,
          met: ratio <= 1.2,
        },
        {
          id: 'P5',
          target: `incremental harvest after ${CHANGE_SHARE * 100} % of the world changed ≤ 10 % of the full harvest`,
          measured: `${fmt(incShare * 100, 0)} % (${fmt(incremental!.durationMs / 1000, 1)} s vs ${fmt(full.durationMs / 1000, 1)} s; ${incremental!.rows.reduce((a, r) => a + r.requests, 0)} requests vs ${full.rows.reduce((a, r) => a + r.requests, 0)})`,
          met: incShare <= 0.1,
        },
      );
      const incBound = bound(incremental!);
      const row = (run: HarvestRun, b: ReturnType<typeof bound>, label: string) =>
        run.rows.map((r) => {
          const ub = b.upstreams.find((u) => u.upstream === r.upstream);
          const t = times.find((x) => x.snapshotId === run.snapshotId && x.upstream === r.upstream);
          return `| ${label} | ${r.upstream} | ${r.mode} | ${r.added} / ${r.changed} / ${r.removed} / ${r.unchanged} | ${r.requests} | ${t ? fmt(t.ms / 1000, 2) : '—'} | ${ub ? `${fmt(ub.lowerBoundMs / 1000, 2)} (${ub.by})` : '—'} | ${t && ub && ub.lowerBoundMs > 0 ? fmt(t.ms / ub.lowerBoundMs, 2) : '—'} |`;
        });
      // What the upstream phases leave of the total: the availability facts, completing and switching the snapshot, pruning.
      const rest = (run: HarvestRun, label: string) => {
        const phases = times.filter((x) => x.snapshotId === run.snapshotId).reduce((a, x) => a + x.ms, 0);
        return `| ${label} | (facts, switch, prune) | | | 0 | ${fmt((run.durationMs - phases) / 1000, 2)} | 0 | — |`;
      };
      sections.push(
        [
          `## P5 harvest vs lower bound (${latencyMs} ms upstream latency, ${dbName})`,
          '',
          `\`thuegate harvest\` in its own process against the sandbox world; HARVEST_CONCURRENCY ${concurrency} work units per upstream, PVOG_MAX_RPS ${pvogMaxRps}. ` +
            `Lower bound per upstream = max(requests × ${latencyMs} ms ÷ requests in flight, requests ÷ rate limit); requests in flight = HARVEST_CONCURRENCY × requests a unit makes at once ` +
            `(PVOG ${PVOG_REQUESTS_PER_UNIT}: services and online services of a place; others 1). Upstreams are harvested one after the other, so their bounds add up. ` +
            `Measured = the harvest's own duration (summary line; excludes process start and migrations); per upstream from \`harvestRuns\` (started → finished). ` +
            `Between the runs the sandbox control \`POST /__sandbox/mutate?share=${CHANGE_SHARE}\` changed ${CHANGE_SHARE * 100} % of every upstream's entries.`,
          '',
          '| run | upstream | mode | added / changed / removed / unchanged | requests | measured s | lower bound s | × bound |',
          '|---|---|---|---|---|---|---|---|',
          ...row(full, fullBound, 'full'),
          rest(full, 'full'),
          `| full | **total** | | | ${full.rows.reduce((a, r) => a + r.requests, 0)} | ${fmt(full.durationMs / 1000, 1)} (wall ${fmt(full.wallMs / 1000, 1)}) | ${fmt(fullBound.totalMs / 1000, 2)} | ${fmt(full.durationMs / fullBound.totalMs, 2)} |`,
          ...row(incremental!, incBound, 'incremental'),
          rest(incremental!, 'incremental'),
          `| incremental | **total** | | | ${incremental!.rows.reduce((a, r) => a + r.requests, 0)} | ${fmt(incremental!.durationMs / 1000, 1)} (wall ${fmt(incremental!.wallMs / 1000, 1)}) | ${fmt(incBound.totalMs / 1000, 2)} | ${fmt(incremental!.durationMs / incBound.totalMs, 2)} |`,
        ].join('\n'),
      );
      Object.assign(data, { full, fullBound, incremental, incrementalBound: incBound, change, runTimes: times });
    }

    if (selected.has('P4')) {
      const summary = await post(gw.endpoint, '{ digitalOfferSummary { bySizeClass { topMissing { leikaKey } } } }');
      const missing = (JSON.parse(summary.text) as { data?: { digitalOfferSummary: { bySizeClass: { topMissing: { leikaKey: string }[] }[] } } }).data;
      const keys = [EWA, ...new Set(missing?.digitalOfferSummary.bySizeClass.flatMap((c) => c.topMissing.map((m) => m.leikaKey)) ?? [])].filter((k, i, a) => a.indexOf(k) === i).slice(0, 5);
      const queries = [
        {
          name: `availability (state, ${EWA})`,
          query: `query($k: LeikaKey!) { availability(leikaKey: $k) { leikaKey serviceName total online share asOf byDistrict { ars name total online share } bySizeClass { sizeClass total online share } missing(first: 50) { totalCount edges { node { ars name } } } } }`,
          variables: { k: EWA },
        },
        {
          name: `availabilityMatrix (state, ${keys.length} keys = ${keys.length * 605} rows)`,
          query: `query($k: [LeikaKey!]!) { availabilityMatrix(leikaKeys: $k) { ars ags name districtArs population sizeClass leikaKey online } }`,
          variables: { k: keys },
        },
      ];
      const count = ctx.opt.quick ? 50 : 200;
      const results: { name: string; r: ProbeResult; cache: string }[] = [];
      for (const q of queries) {
        const first = await post(gw.endpoint, q.query, { variables: q.variables });
        if (first.status !== 200 || first.text.includes('"errors"')) throw new Error(`${q.name} failed: ${first.status} ${first.text.slice(0, 300)}`);
        // A fresh unused variable per request keys the response cache apart: every request is executed.
        const r = await fixedRate({ url: gw.endpoint, body: JSON.stringify({ query: q.query, variables: { ...q.variables, bust: '[<id>]' } }), rate: 0, count, warmup: 10 });
        results.push({ name: q.name, r, cache: 'executed (response cache keyed apart)' });
        ctx.log(`P4 ${q.name}: p50 ${fmt(r.p50Ms, 1)} ms, p99 ${fmt(r.p99Ms, 1)} ms`);
      }
      for (const x of results) {
        const failed = x.r.errors + x.r.graphqlErrors;
        checks.push({
          id: 'P4',
          target: `${x.name.split(' ')[0]} p50 ≤ 15 ms on the full snapshot`,
          measured: `p50 ${fmt(x.r.p50Ms, 1)} ms, p99 ${fmt(x.r.p99Ms, 1)} ms (${x.name}; ${x.r.sent} sequential requests, ${failed} failed, ${dbName})`,
          met: failed === 0 && x.r.p50Ms <= 15,
        });
      }
      sections.push(
        [
          `## P4 availability queries on the full snapshot (${dbName})`,
          '',
          `Sequential requests (one at a time, after 10 unmeasured) from the probe process to a production gateway reading the snapshot of the full harvest${selected.has('P5') ? ' and the incremental one after it' : ''}; ` +
            'a fresh unused variable per request keeps the response cache from answering, so each request is parsed (document cache), validated and executed.',
          '',
          '| query | p50 ms | p90 ms | p99 ms | max ms | requests / failed |',
          '|---|---|---|---|---|---|',
          ...results.map((x) => `| ${x.name} | ${fmt(x.r.p50Ms, 1)} | ${fmt(x.r.p90Ms, 1)} | ${fmt(x.r.p99Ms, 1)} | ${fmt(x.r.maxMs, 1)} | ${x.r.sent} / ${x.r.errors + x.r.graphqlErrors} |`),
          '',
          ...queries.map((q) => `- ${q.name}: \`${q.query}\` with \`${JSON.stringify(q.variables)}\``),
        ].join('\n'),
      );
      data.p4 = results;
    }
    return { checks, sections, data };
  },
};

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli } from '../src/boot/bundle';
import { bundleUnusable } from '../src/boot/load';
import { projectRoot } from '../src/util/paths';
import { BenchContext, type Scenario, type TargetCheck } from './lib/context';
import { parseOptions, USAGE, wantsHelp } from './lib/options';
import { cold } from './scenarios/cold';
import { harvest } from './scenarios/harvest';
import { latency } from './scenarios/latency';
import { protection } from './scenarios/protection';
import { hitVariants, replicas } from './scenarios/replicas';
import { soak } from './scenarios/soak';
import { throughput } from './scenarios/throughput';

/**
 * `npm run bench` (issue 15): every server in its own process — sandbox upstreams, the gateway (NODE_ENV=production),
 * the anchors (bare node:http with identical bytes, Hive Gateway and Apollo Server 5 + Map cache over a REST stand-in)
 * — and the load generator (autocannon, or the fixed-rate probe in bench/lib/fixed-rate.ts) in its own process.
 * Each scenario is a module under bench/scenarios/ (ids, run → checks, report sections, raw data); the report gives
 * every target with met / not met. Writes bench/results/<timestamp>.md and .json. Ratios matter, absolute numbers
 * do not (shared, noisy machine). Flags: see bench/lib/options.ts (--quick, --only P4,P5, --soak 10m, …).
 */

/** Registration: one line per scenario module, run in this order. */
const SCENARIOS: Scenario[] = [
  cold, // P7, P2
  throughput, // P1, P1b
  latency, // P3
  soak, // P6
  harvest, // P5, P4
  protection, // I13
  hitVariants, // P1 with an API key; rate limiting off
  replicas, // P8
];
/** Every id the report accounts for; ids no registered scenario measures are listed as not measured. */
const ALL_IDS = ['P1', 'P1-auth', 'P1b', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'I13'];

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    process.stdout.write(`${USAGE}\nscenario ids for --only: ${ALL_IDS.join(', ')}\n`);
    return;
  }
  const started = new Date();
  const known = [...new Set([...ALL_IDS, ...SCENARIOS.flatMap((s) => s.ids)])];
  const opt = parseOptions(process.argv.slice(2), process.env, known);
  const selected = new Set(opt.only ?? known);
  const work = mkdtempSync(join(tmpdir(), 'thuegate-bench-'));
  const ctx = new BenchContext(opt, work);
  ctx.log(`options ${JSON.stringify(opt)}`);
  // After `npx tsc` alone the bundle is older than the compile and bin/thuegate.js would run dist/src/cli.js: the
  // bench measures what `npm start` and the image run (src/boot/load.ts).
  const stale = bundleUnusable(projectRoot(), {});
  if (stale) {
    ctx.log(`bundle: ${stale}; bundling`);
    await bundleCli();
  }
  const checks: TargetCheck[] = [];
  const sections: string[] = [];
  const notes: string[] = [];
  const data: Record<string, unknown> = {};
  const durations: Record<string, number> = {};

  for (const s of SCENARIOS) {
    const name = s.ids.join('+');
    if (!s.ids.some((id) => selected.has(id))) continue;
    const t0 = performance.now();
    ctx.log(`scenario ${name}`);
    try {
      const r = await s.run(ctx, selected);
      checks.push(...r.checks);
      sections.push(...r.sections);
      notes.push(...(r.notes ?? []));
      data[name] = r.data;
    } catch (e) {
      // One broken scenario must not cost the others' figures: it is reported as failed, and the run goes on.
      ctx.log(`scenario ${name} failed: ${(e as Error).stack ?? String(e)}`);
      for (const id of s.ids) checks.push({ id, target: '(see scenario)', measured: `scenario failed: ${(e as Error).message.slice(0, 300)}`, met: false });
      process.exitCode = 1;
    } finally {
      await ctx.stopAll();
      durations[name] = (performance.now() - t0) / 1000;
    }
  }
  const measuredIds = new Set(SCENARIOS.flatMap((s) => s.ids));
  for (const id of ALL_IDS) {
    if (!measuredIds.has(id)) checks.push({ id, target: '', measured: 'not measured: no scenario for it in this harness yet', met: null });
    else if (!selected.has(id) && !checks.some((c) => c.id === id)) checks.push({ id, target: '', measured: `not run (--only ${opt.only?.join(',')})`, met: null });
  }
  const order = (id: string) => (ALL_IDS.indexOf(id) < 0 ? ALL_IDS.length : ALL_IDS.indexOf(id));
  checks.sort((a, b) => order(a.id) - order(b.id));
  rmSync(work, { recursive: true, force: true });

  // ---- Report
  const finished = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const result = { started: started.toISOString(), finished: finished.toISOString(), node: process.version, options: opt, checks, durationsSeconds: durations, scenarios: data, notes };
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
  const met = checks.filter((c) => c.met === true).length;
  const notMet = checks.filter((c) => c.met === false).length;
  const md = [
    `# thuegate bench — ${started.toISOString()}`,
    '',
    `Node ${process.version}; ${opt.connections} connections; ${opt.rounds} rounds × ${opt.seconds} s in rotated order after ${opt.warmupSeconds} s warm-up each${opt.quick ? ' (--quick)' : ''}${opt.only ? `; only ${opt.only.join(', ')}` : ''}; ` +
      `run took ${((finished.getTime() - started.getTime()) / 1000).toFixed(0)} s (${Object.entries(durations).map(([n, s]) => `${n} ${s.toFixed(0)} s`).join(', ')}).`,
    'Load generator (autocannon or the fixed-rate probe), sandbox upstreams, gateway (NODE_ENV=production) and anchors each in their own process. ' +
      'Ratios are from this one run; absolute numbers are noisy on a shared machine.',
    '',
    `## Targets — ${met} met, ${notMet} not met, ${checks.length - met - notMet} not measured`,
    '',
    '| | target | measured | met |',
    '|---|---|---|---|',
    ...checks.map((c) => `| ${c.id} | ${c.target} | ${c.measured} | ${c.met === null ? 'not measured' : c.met ? '**met**' : '**not met**'} |`),
    '',
    ...sections.flatMap((s) => [s, '']),
    ...(notes.length ? ['## Notes', '', ...notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
  writeFileSync(join(dir, `${stamp}.md`), md);
  process.stdout.write(md + `\nwritten: bench/results/${stamp}.md and .json\n`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchContext, gatewayEnv } from './lib/context';
import { median } from './lib/load';
import { parseOptions } from './lib/options';
import { freePort, procStats, startNode } from './lib/proc';
import { setupConfig, type GatewayConfig } from './lib/production';

/**
 * Cold starts of `thuegate serve` from several checkouts, alternated in one run (issue 15 P7 A/B; the full P7 scenario
 * measures one checkout): wall ms and CPU seconds (/proc) to the first /readyz 200, as the bench starts a gateway
 * (NODE_ENV=production, sandbox upstreams in their own process).
 *
 *   node dist/bench/start-ab.js [--n 5] [--config production|embedded] [--node-arg --cpu-prof …] main=/work/main this=. plain=.:THUEGATE_BUNDLE=0
 *
 * Each variant is label=checkout[:KEY=VALUE…] (extra environment of its gateway); --node-arg goes to every gateway's node.
 */
interface Variant {
  label: string;
  root: string;
  env: NodeJS.ProcessEnv;
}

function parseArgs(argv: string[]): { n: number; config: GatewayConfig; variants: Variant[]; nodeArgs: string[] } {
  let n = 5;
  const nodeArgs: string[] = [];
  let config: GatewayConfig = 'production';
  const variants: Variant[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--n') n = Number(argv[++i]);
    else if (a === '--config') config = argv[++i] as GatewayConfig;
    else if (a === '--node-arg') nodeArgs.push(argv[++i]);
    else {
      const m = /^([\w-]+)=([^:]+)((?::[A-Z_]+=[^:]*)*)$/.exec(a);
      if (!m) throw new Error(`expected label=checkout[:KEY=VALUE…], got ${a}`);
      const env = Object.fromEntries(m[3].split(':').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      variants.push({ label: m[1], root: resolve(m[2]), env });
    }
  }
  if (!variants.length || !(n > 0) || !['production', 'embedded'].includes(config)) throw new Error('usage: start-ab.js [--n N] [--config production|embedded] label=checkout[:KEY=VALUE] …');
  return { n, config, variants, nodeArgs };
}

async function main(): Promise<void> {
  const { n, config, variants, nodeArgs } = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(join(tmpdir(), 'thuegate-start-ab-'));
  const ctx = new BenchContext(parseOptions([], {}, []), work);
  const setup = await setupConfig(config);
  const results = new Map<string, { readyMs: number; cpuSeconds: number }[]>(variants.map((v) => [v.label, []]));
  try {
    const sb = await ctx.sandbox(0);
    // One start first: the database is migrated and every variant's caches exist before anything is measured.
    for (const v of variants) await once(v, true);
    for (let i = 0; i < n; i++) {
      const order = i % 2 ? [...variants].reverse() : variants;
      for (const v of order) await once(v, false);
    }
    async function once(v: Variant, warmup: boolean): Promise<void> {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const t0 = performance.now();
      const proc = await startNode(`gateway-${v.label}`, [...nodeArgs, join(v.root, 'bin', 'thuegate.js'), 'serve'], {
        env: { ...gatewayEnv(sb, port), ...setup.env, ...v.env },
        cwd: v.root,
        ready: async () => (await fetch(`${url}/readyz`)).status === 200,
        timeoutMs: 300_000,
      });
      const readyMs = performance.now() - t0;
      const { cpuSeconds } = procStats(proc.pid);
      await proc.stop();
      ctx.log(`${v.label}${warmup ? ' (warm-up)' : ''}: ${readyMs.toFixed(0)} ms, ${cpuSeconds.toFixed(2)} CPU s`);
      if (!warmup) results.get(v.label)!.push({ readyMs, cpuSeconds });
    }
  } finally {
    await ctx.stopAll();
    await setup.cleanup();
    rmSync(work, { recursive: true, force: true });
  }
  const lines = [
    `| variant (${config}) | ready ms median | ready ms each | CPU s median | CPU s each |`,
    '|---|---|---|---|---|',
    ...variants.map((v) => {
      const r = results.get(v.label)!;
      return `| ${v.label} | ${median(r.map((x) => x.readyMs)).toFixed(0)} | ${r.map((x) => x.readyMs.toFixed(0)).join(', ')} | ${median(r.map((x) => x.cpuSeconds)).toFixed(2)} | ${r.map((x) => x.cpuSeconds.toFixed(2)).join(', ')} |`;
    }),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

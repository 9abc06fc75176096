import type { BenchContext } from './context';
import { autocannon, median, spreadPct, type LoadResult } from './load';
import { procTreeStats, type Proc } from './proc';

/** One server under load: where to send, what, and which processes to account CPU and RSS to. */
export interface LoadTarget {
  name: string;
  url: string;
  body: string;
  procs: Proc[];
  headers?: Record<string, string>;
}
export interface Round { rps: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; status429: number; cpu: Record<string, number>; rssMb: Record<string, number> }
export interface Throughput {
  name: string;
  rounds: Round[];
  rps: number;
  spreadPct: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  status429: number;
  cpuPerRound: Record<string, number>;
  rssMb: Record<string, number>;
}

export async function measure(ctx: BenchContext, t: LoadTarget, seconds: number, rate?: number): Promise<Round> {
  const before = t.procs.map((p) => procTreeStats(p.pid));
  const r: LoadResult = await autocannon({ url: t.url, body: t.body, seconds, connections: ctx.opt.connections, rate, headers: t.headers });
  const after = t.procs.map((p) => procTreeStats(p.pid));
  const cpu: Record<string, number> = {};
  const rssMb: Record<string, number> = {};
  t.procs.forEach((p, i) => {
    cpu[p.name] = after[i].cpuSeconds - before[i].cpuSeconds;
    rssMb[p.name] = after[i].rssMb;
  });
  return { rps: r.rps, p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors + r.timeouts, non2xx: r.non2xx, status429: r.status429, cpu, rssMb };
}

/** Warm-up, then opt.rounds rounds; round k starts at target k (rotated order) so no target always runs first or last. */
export async function rotated(ctx: BenchContext, targets: LoadTarget[]): Promise<Throughput[]> {
  for (const t of targets) {
    ctx.log(`warm-up ${t.name}`);
    await autocannon({ url: t.url, body: t.body, seconds: ctx.opt.warmupSeconds, connections: ctx.opt.connections, headers: t.headers });
  }
  const rounds = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
  for (let k = 0; k < ctx.opt.rounds; k++) {
    for (let j = 0; j < targets.length; j++) {
      const t = targets[(k + j) % targets.length];
      ctx.log(`round ${k + 1}/${ctx.opt.rounds} ${t.name}`);
      rounds.get(t.name)!.push(await measure(ctx, t, ctx.opt.seconds));
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

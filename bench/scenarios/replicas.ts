import { join } from 'node:path';
import { anchorsDir, bin, post, QUERY, type Scenario } from '../lib/context';
import { runP1Hit, type P1HitContext } from './p1-hit';
import { runP8 } from './p8';

/**
 * Registration of perf-hit's two measurements in the scenario shape of run.ts: the P1 hit variants (API key;
 * rate limiting off — issue 13 item 2 asks for on vs off) against their own bare anchor, and P8 two replicas
 * sharing Redis (BENCH_REDIS_URL, default the local Redis).
 */
export const hitVariants: Scenario = {
  ids: ['P1-auth'],
  async run(ctx) {
    const sb = await ctx.sandbox(0);
    const o = ctx.opt;
    const start: P1HitContext['start'] = async (env) => { const g = await ctx.gateway(sb, env, 'gateway-variant'); return { url: g.url, proc: g.proc }; };
    const common = { bin, query: QUERY, rounds: o.rounds, seconds: o.seconds, warmupSeconds: o.warmupSeconds, connections: o.connections, start, log: (s: string) => ctx.log(s) };
    // P1 ran earlier in this run: its bare anchor and anonymous hit are reused (not measured a second time).
    const reference = ctx.shared.get('P1') as P1HitContext['reference'];
    if (reference) {
      const r = await runP1Hit({ ...common, bareUrl: '', reference });
      return { checks: r.checks, sections: r.report.length ? [r.report.join('\n')] : [], data: r.rows };
    }
    const probe = await ctx.gateway(sb, {}, 'gateway-probe');
    await post(probe.endpoint, QUERY);
    const hot = await post(probe.endpoint, QUERY);
    await ctx.stop(probe.proc);
    const { writeFileSync } = await import('node:fs');
    const answerFile = join(ctx.work, 'answer-variants.json');
    writeFileSync(answerFile, hot.text);
    const bare = await ctx.start('bare', [join(anchorsDir, 'bare.js'), answerFile, hot.type], { waitFor: ['url'] });
    const r = await runP1Hit({ ...common, bareUrl: bare.urls.url, bareProc: bare });
    return { checks: r.checks, sections: r.report.length ? [r.report.join('\n')] : [], data: r.rows };
  },
};

export const replicas: Scenario = {
  ids: ['P8'],
  async run(ctx) {
    const sb = await ctx.sandbox(0);
    const o = ctx.opt;
    const r = await runP8({
      query: QUERY, seconds: o.seconds, connections: o.connections, redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      start: async (env) => { const g = await ctx.gateway(sb, env, 'replica'); return { url: g.url, proc: g.proc }; }, log: (s) => ctx.log(s),
    });
    const { checks, report, ...data } = r;
    return { checks, sections: report.length ? [report.join('\n')] : [], data };
  },
};

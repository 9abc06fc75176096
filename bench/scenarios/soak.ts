import { body, fmt, post, QUERY_FULL, type Scenario } from '../lib/context';
import { autocannon, median } from '../lib/load';
import { procStats } from '../lib/proc';

/** P6 RSS under sustained load (full execution: the response cache would hide per-request allocation). */
export const soak: Scenario = {
  ids: ['P6'],
  async run(ctx) {
    const sb = await ctx.sandbox(0);
    const gw = await ctx.gateway(sb);
    const warm = await post(gw.endpoint, QUERY_FULL);
    if (warm.status !== 200 || warm.text.includes('"errors"')) throw new Error(`full-execution query failed: ${warm.status} ${warm.text.slice(0, 500)}`);
    ctx.log(`P6 soak ${ctx.opt.soakSeconds} s`);
    const samples: { t: number; rssMb: number }[] = [];
    const t0 = Date.now();
    const sampler = setInterval(() => samples.push({ t: (Date.now() - t0) / 1000, rssMb: procStats(gw.proc.pid).rssMb }), 1000);
    const load = await autocannon({ url: gw.endpoint, body: body(QUERY_FULL), seconds: ctx.opt.soakSeconds, connections: ctx.opt.connections });
    clearInterval(sampler);
    const third = Math.max(1, Math.floor(samples.length / 3));
    const early = median(samples.slice(0, third).map((s) => s.rssMb));
    const late = median(samples.slice(-third).map((s) => s.rssMb));
    const peak = Math.max(...samples.map((s) => s.rssMb));
    const growthPct = ((late - early) / early) * 100;
    return {
      checks: [
        {
          id: 'P6',
          target: 'gateway RSS ≤ 200 MB under sustained load and flat (last third vs first third of the soak, growth ≤ 10 %)',
          measured: `peak ${fmt(peak)} MB; median first third ${fmt(early)} MB → last third ${fmt(late)} MB (${growthPct >= 0 ? '+' : ''}${fmt(growthPct, 1)} %) over ${ctx.opt.soakSeconds} s at ${fmt(load.rps)} req/s, ${load.errors + load.non2xx} errors`,
          met: peak <= 200 && growthPct <= 10,
        },
      ],
      sections: [
        [
          '## P6 RSS over the soak (gateway process)',
          '',
          samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 12)) === 0).map((s) => `${fmt(s.t)} s: ${fmt(s.rssMb)} MB`).join(' · '),
        ].join('\n'),
      ],
      data: { samples, rps: load.rps, errors: load.errors + load.non2xx },
    };
  },
};

import type { Counter } from 'prom-client';
import { Ctx, Query, Resolver } from 'type-graphql';
import { cacheMetrics } from '../../cache/metrics';
import { upstreamRequests } from '../../upstreams/runtime/metrics';
import { UPSTREAMS } from '../../upstreams/runtime/names';
import type { GatewayContext } from '../context';
import { BreakerState, UpstreamMode, UpstreamStatus } from '../types/upstream-status';

type Sample = { labels: Record<string, string | number>; value: number };

/** The same counters /metrics shows, summed per upstream (over operations) for humans. */
@Resolver()
export class UpstreamsResolver {
  @Query(() => [UpstreamStatus], { description: 'Status of every upstream: mode, circuit breaker, request outcomes and cache counters of this process.' })
  async upstreams(@Ctx() ctx: GatewayContext): Promise<UpstreamStatus[]> {
    const [requests, hits, misses, stale] = await Promise.all([
      samples(upstreamRequests),
      samples(cacheMetrics.hits),
      samples(cacheMetrics.misses),
      samples(cacheMetrics.stale),
    ]);
    const ops = ctx.services.ops;
    return UPSTREAMS.map((name) => {
      const source = ctx.services.upstreams[name];
      const mine = (s: Sample[]) => s.filter((x) => x.labels.upstream === name);
      const sum = (s: Sample[], where: (l: Sample['labels']) => boolean = () => true) =>
        mine(s).filter((x) => where(x.labels)).reduce((n, x) => n + x.value, 0);
      const byOutcome = new Map<string, number>();
      for (const x of mine(requests)) byOutcome.set(String(x.labels.outcome), (byOutcome.get(String(x.labels.outcome)) ?? 0) + x.value);
      return {
        name,
        mode: ops?.upstreamModes[name] === 'sandbox' ? UpstreamMode.SANDBOX : UpstreamMode.CONFIGURED,
        // Internal hostnames stay private in production (DESIGN §6).
        baseUrl: ops && !ops.production ? source.client.baseUrl : null,
        breaker: source.client.breakerState() as BreakerState,
        requestsTotal: sum(requests),
        requests: [...byOutcome].map(([outcome, count]) => ({ outcome, count })).sort((a, b) => b.count - a.count),
        cache: {
          hitsL1: sum(hits, (l) => l.tier === 'l1'),
          hitsL2: sum(hits, (l) => l.tier === 'l2'),
          misses: sum(misses),
          staleServed: sum(stale),
          staleIfError: sum(stale, (l) => l.reason === 'upstream-error'),
          staleWhileRevalidate: sum(stale, (l) => l.reason === 'revalidating'),
        },
      } satisfies UpstreamStatus;
    });
  }
}

async function samples(counter: Counter<string>): Promise<Sample[]> {
  return (await counter.get()).values as Sample[];
}

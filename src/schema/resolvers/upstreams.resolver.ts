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
  upstreams(@Ctx() ctx: GatewayContext): UpstreamStatus[] {
    // The counters are read when a counter field is asked for, once per request: `upstreams { name }` (issue 15's
    // full-execution query) reads none of them.
    let read: Promise<Counters> | undefined;
    const counters = () =>
      (read ??= Promise.all([samples(upstreamRequests), samples(cacheMetrics.hits), samples(cacheMetrics.misses), samples(cacheMetrics.stale)]).then(
        ([requests, hits, misses, stale]) => ({ requests, hits, misses, stale }),
      ));
    const ops = ctx.services.ops;
    return UPSTREAMS.map((name) => {
      const source = ctx.services.upstreams[name];
      const mine = (s: Sample[]) => s.filter((x) => x.labels.upstream === name);
      const sum = (s: Sample[], where: (l: Sample['labels']) => boolean = () => true) =>
        mine(s).filter((x) => where(x.labels)).reduce((n, x) => n + x.value, 0);
      const status = {
        name,
        mode: ops?.upstreamModes[name] === 'sandbox' ? UpstreamMode.SANDBOX : UpstreamMode.CONFIGURED,
        // Internal hostnames stay private in production (DESIGN §6).
        baseUrl: ops && !ops.production ? source.client.baseUrl : null,
        breaker: source.client.breakerState() as BreakerState,
        // Promises of the values: GraphQL resolves a field whose value is a promise like one whose resolver returns it.
        get requestsTotal() {
          return counters().then((c) => sum(c.requests));
        },
        get requests() {
          return counters().then((c) => {
            const byOutcome = new Map<string, number>();
            for (const x of mine(c.requests)) byOutcome.set(String(x.labels.outcome), (byOutcome.get(String(x.labels.outcome)) ?? 0) + x.value);
            return [...byOutcome].map(([outcome, count]) => ({ outcome, count })).sort((a, b) => b.count - a.count);
          });
        },
        get cache() {
          return counters().then((c) => ({
            hitsL1: sum(c.hits, (l) => l.tier === 'l1'),
            hitsL2: sum(c.hits, (l) => l.tier === 'l2'),
            misses: sum(c.misses),
            staleServed: sum(c.stale),
            staleIfError: sum(c.stale, (l) => l.reason === 'upstream-error'),
            staleWhileRevalidate: sum(c.stale, (l) => l.reason === 'revalidating'),
          }));
        },
      } satisfies { [K in keyof UpstreamStatus]: UpstreamStatus[K] | Promise<UpstreamStatus[K]> };
      return status as unknown as UpstreamStatus;
    });
  }
}

interface Counters {
  requests: Sample[];
  hits: Sample[];
  misses: Sample[];
  stale: Sample[];
}

async function samples(counter: Counter<string>): Promise<Sample[]> {
  return (await counter.get()).values as Sample[];
}

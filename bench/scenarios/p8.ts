import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { autocannon, type LoadResult } from '../lib/load';
import type { Proc } from '../lib/proc';

/**
 * P8 (issue 15): two gateway replicas sharing one Redis. Checks that the second replica's first request for a hot
 * query is a response-cache hit (served from the shared tier) and that an admin purge on one replica clears both,
 * then measures the two replicas' combined throughput on the hot query (no target: the 2 cores are shared with the
 * load generator). Each replica gets half the connections, both load generators run at once.
 */
export interface P8Context {
  query: string;
  seconds: number;
  connections: number;
  redisUrl: string;
  /** Starts one gateway process with these extra environment variables. */
  start(env: NodeJS.ProcessEnv): Promise<{ url: string; proc: Proc }>;
  log(line: string): void;
}

export interface P8Result {
  secondReplicaFirst: string;
  purgeClearedBoth: boolean;
  purgeMs: number;
  rps: { a: number; b: number; total: number };
  p99Ms: { a: number; b: number };
  errors: number;
  status429: number;
  checks: { id: string; target: string; measured: string; met: boolean | null }[];
  report: string[];
}

const ADMIN_TOKEN = `bench-admin-${randomUUID()}`;

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, xCache: res.headers.get('x-cache') ?? '', text: await res.text() };
}

export async function runP8(ctx: P8Context): Promise<P8Result> {
  const prefix = `thuegate-bench-p8:${randomUUID().slice(0, 8)}`;
  const env = { REDIS_URL: ctx.redisUrl, REDIS_KEY_PREFIX: prefix, ADMIN_TOKEN };
  const started: Proc[] = [];
  const redis = new Redis(ctx.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    const a = await ctx.start(env);
    started.push(a.proc);
    const b = await ctx.start(env);
    started.push(b.proc);
    const first = await post(a.url, ctx.query);
    const onB = await post(b.url, ctx.query);
    ctx.log(`P8 first request: replica A ${first.xCache}, replica B ${onB.xCache}`);
    const sameBytes = onB.text === first.text;

    // A miss stores the answer in the shared tier again, so after the purge each replica is asked a query of its own
    // (both held by both before the purge): A the hot query, B an aliased twin. Both must miss.
    const twin = ctx.query.replace(/^\{ municipality\(/, '{ m: municipality(');
    await post(a.url, twin);
    await post(b.url, twin);
    const purge = await post(a.url, 'mutation { purgeCache(upstream: "pvog") { responses } }', { authorization: `Bearer ${ADMIN_TOKEN}` });
    const t0 = performance.now();
    let cleared = false;
    let missA = false;
    let missB = false;
    while (performance.now() - t0 < 2_000) {
      // A replica keeps its first miss: after it, its own store makes the key a hit again.
      if (!missA) missA = (await post(a.url, ctx.query)).xCache === 'MISS';
      if (!missB) missB = (await post(b.url, twin)).xCache === 'MISS';
      if (missA && missB) {
        cleared = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const purgeMs = performance.now() - t0;
    ctx.log(`P8 purge on A (HTTP ${purge.status}): both replicas ${cleared ? `MISS after ${purgeMs.toFixed(0)} ms` : 'not cleared within 2 s'}`);

    // Warm both again, then both load generators at once.
    await post(a.url, ctx.query);
    await post(b.url, ctx.query);
    const half = Math.max(1, Math.floor(ctx.connections / 2));
    const body = JSON.stringify({ query: ctx.query });
    const [la, lb]: LoadResult[] = await Promise.all([
      autocannon({ url: `${a.url}/graphql`, body, seconds: ctx.seconds, connections: half }),
      autocannon({ url: `${b.url}/graphql`, body, seconds: ctx.seconds, connections: half }),
    ]);
    const result: P8Result = {
      secondReplicaFirst: onB.xCache,
      purgeClearedBoth: cleared,
      purgeMs,
      rps: { a: la.rps, b: lb.rps, total: la.rps + lb.rps },
      p99Ms: { a: la.p99Ms, b: lb.p99Ms },
      errors: la.errors + la.timeouts + la.non2xx + lb.errors + lb.timeouts + lb.non2xx,
      status429: la.status429 + lb.status429,
      checks: [],
      report: [],
    };
    const functional = first.xCache === 'MISS' && onB.xCache === 'HIT' && sameBytes && cleared;
    result.checks.push({
      id: 'P8',
      target: "two replicas sharing Redis: replica B's first request for the hot query is a hit, a purge on A clears both (throughput reported, no target)",
      measured: `B's first request X-Cache ${onB.xCache}${sameBytes ? ' (same bytes as A)' : ' (bytes differ)'}; purge on A → both MISS ${cleared ? `after ${purgeMs.toFixed(0)} ms` : 'not within 2 s'}; two replicas ${result.rps.total.toFixed(0)} req/s together (${la.rps.toFixed(0)} + ${lb.rps.toFixed(0)}), ${result.errors} errors, ${result.status429} × 429`,
      met: functional,
    });
    result.report.push(
      '## P8 two replicas sharing Redis',
      '',
      `Two gateway processes (REDIS_URL, key prefix of this run), ${half} connections each, ${ctx.seconds} s, both load generators at once on the hot query.`,
      '',
      '| | replica A | replica B | together |',
      '|---|---|---|---|',
      `| first request for the query | ${first.xCache} | ${onB.xCache} | |`,
      `| after purge on A | MISS${cleared ? '' : ' (not reached)'} | MISS${cleared ? '' : ' (not reached)'} | ${purgeMs.toFixed(0)} ms |`,
      `| req/s | ${la.rps.toFixed(0)} | ${lb.rps.toFixed(0)} | ${result.rps.total.toFixed(0)} |`,
      `| p99 ms | ${la.p99Ms} | ${lb.p99Ms} | |`,
      '',
    );
    return result;
  } finally {
    await Promise.all(started.map((p) => p.stop().catch(() => undefined)));
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.unlink(...keys);
      } while (cursor !== '0');
    } catch {
      // Redis not there: nothing was written either.
    }
    redis.disconnect();
  }
}

import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { loadConfig } from '../src/server/config';
import { createLogger } from '../src/observability/log';
import { startGateway } from '../src/server/gateway';

/**
 * Throughput and memory of the gateway's hot paths, as ratios against a bare Node HTTP server measured
 * in the same run (the machine is shared and noisy: absolute numbers mean little, ratios do).
 * Bounded: every scenario runs a fixed time against loopback only.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

interface Result { name: string; rps: number; p99Ms: number; errors: number }

async function load(name: string, origin: string, path: string, init: { method: string; headers?: Record<string, string>; body?: string }, expectStatus = 200): Promise<Result> {
  const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const t = process.hrtime.bigint();
      try {
        const res = await pool.request({ path, ...init });
        await res.body.arrayBuffer();
        if (res.statusCode !== expectStatus) errors++;
      } catch {
        errors++;
      }
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { name, rps: latencies.length / SECONDS, p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? NaN, errors };
}

async function main(): Promise<void> {
  // Baseline: the same answer from a bare node:http server — the ceiling for any HTTP service here.
  const answer = JSON.stringify({ data: { municipality: { name: 'Erfurt, Stadt', ags: '16051000' } } });
  const bare: Server = createServer((_req, res) => {
    _req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareOrigin = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

  // Rate limiting on (every request counted) with a quota the load never reaches; a second gateway with it off
  // measures its cost on the hot path, a third (BENCH_REDIS_URL) with the counters in Redis.
  const gatewayWith = (env: Record<string, string>) =>
    startGateway(loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '10000000', ...env }), createLogger('error'));
  const gw = await gatewayWith({});
  const gwOff = await gatewayWith({ RATE_LIMIT_PER_MINUTE: '0' });
  const redisUrl = process.env.BENCH_REDIS_URL;
  const gwRedis = redisUrl ? await gatewayWith({ REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `thuegate-bench:${process.pid}` }) : undefined;
  const query = JSON.stringify({ query: '{ municipality(ars:"160510000000"){ name ags } }' });
  const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: query };
  const page = JSON.stringify({ query: '{ municipalities(first: 1000) { totalCount edges { node { ars ags name district { name } } } } }' });
  // `upstreams` carries no cache hint, so this always runs through parsing, validation and execution.
  const uncached = JSON.stringify({ query: '{ municipality(ars:"160510000000"){ name ags } upstreams { name breaker } }' });

  // Refused by the cost limit before execution (74,416 > 3000): what an attacker's fan-out costs the gateway.
  const fanOut = JSON.stringify({ query: '{ municipalities(first: 605) { edges { node { services { edges { node { leikaKey name } } } } } } }' });

  const heapBefore = process.memoryUsage().heapUsed;
  const results = [
    await load('bare node:http (baseline)', bareOrigin, '/', post),
    await load('gateway: municipality, response-cached', gw.url, '/graphql', post),
    await load('  same, rate limiting off', gwOff.url, '/graphql', post),
    ...(gwRedis ? [await load('  same, rate-limit counters in Redis', gwRedis.url, '/graphql', post)] : []),
    await load('gateway: municipality, full execution', gw.url, '/graphql', { ...post, body: uncached }),
    await load('gateway: 605 municipalities, response-cached', gw.url, '/graphql', { ...post, body: page }),
    await load('gateway: 605 × services fan-out, refused', gw.url, '/graphql', { ...post, body: fanOut }, 400),
  ];
  const heapAfter = process.memoryUsage().heapUsed;
  await Promise.all([gw.stop(), gwOff.stop(), gwRedis?.stop()]);
  bare.close();

  const base = results[0].rps;
  console.log(`\nthuegate bench — ${SECONDS}s per scenario, ${CONCURRENCY} concurrent connections, loopback\n`);
  console.log('scenario'.padEnd(46), 'req/s'.padStart(9), 'ratio'.padStart(7), 'p99 ms'.padStart(8), 'errors'.padStart(7));
  for (const r of results) {
    console.log(r.name.padEnd(46), r.rps.toFixed(0).padStart(9), (r.rps / base).toFixed(2).padStart(7), r.p99Ms.toFixed(1).padStart(8), String(r.errors).padStart(7));
  }
  console.log(`\nheap growth over the run: ${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB (same process as the load generator)`);
  if (results.some((r) => r.errors > 0)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

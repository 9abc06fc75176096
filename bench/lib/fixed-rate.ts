import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';

/**
 * A latency probe at a fixed request rate, in its own process (like autocannon), with sub-millisecond timing:
 * autocannon's histogram has 1 ms resolution, too coarse for "added latency ≤ 2 ms" (P3). Open model: request i
 * is sent at t0 + i / rate whether or not earlier ones have answered, so a slow server cannot slow the probe down
 * (no coordinated omission); latency is measured from the moment the request is handed to undici, and how late
 * the probe was against its schedule is reported separately (`lagMs`). `rate: 0` is a closed loop instead: one
 * sender (sequential latency, e.g. P4 and the fan-out rejection) or `concurrency` of them (a flood).
 *
 * Run directly: `node fixed-rate.js '<json ProbeSpec>'` prints a ProbeResult as JSON.
 */
export interface ProbeSpec {
  /** `[<id>]` in the URL is replaced like in the body (GET requests that miss every cache). */
  url: string;
  method?: 'GET' | 'POST';
  /** POST body; `[<id>]` is replaced by a fresh random id per request (every request misses every cache). */
  body?: string;
  headers?: Record<string, string>;
  /** Requests per second; 0 = closed loop: `concurrency` senders (default 1), each sending its next request when the last answered. */
  rate: number;
  /** Closed loop: senders at once (a flood: as fast as the server answers; autocannon's `-I` id replacement sends a wrong Content-Length). */
  concurrency?: number;
  seconds?: number;
  /** Closed loop: this many requests in all (after `warmup` unmeasured ones), unless `seconds` is given. */
  count?: number;
  warmup?: number;
  /** Keep-alive connections the probe may open (default 64). */
  connections?: number;
  /** A request without an answer after this long counts as an error (default 30 s), so an overloaded server cannot stall the run. */
  timeoutMs?: number;
}

export interface ProbeResult {
  sent: number;
  status: Record<string, number>;
  errors: number;
  /** Answers whose JSON had an `errors` member (GraphQL errors), with the first one's code. */
  graphqlErrors: number;
  firstErrorCode?: string;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** How late the probe sent its last request relative to its schedule (a busy probe process shows here). */
  lagMs: number;
}

const pct = (s: number[], p: number) => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN);

async function probe(spec: ProbeSpec): Promise<ProbeResult> {
  const timeout = spec.timeoutMs ?? 30_000;
  const dispatcher = new Agent({ connections: spec.connections ?? 64, pipelining: 1, headersTimeout: timeout, bodyTimeout: timeout });
  const status: Record<string, number> = {};
  const lat: number[] = [];
  let errors = 0;
  let graphqlErrors = 0;
  let firstErrorCode: string | undefined;
  const one = async (scheduled: number, measure: boolean) => {
    try {
      const res = await request(spec.url.replaceAll('[<id>]', randomUUID()), {
        method: spec.method ?? 'POST',
        dispatcher,
        headers: { ...(spec.body ? { 'content-type': 'application/json' } : {}), ...spec.headers },
        body: spec.body?.replaceAll('[<id>]', randomUUID()),
      });
      const text = await res.body.text();
      const ms = performance.now() - scheduled;
      if (!measure) return;
      lat.push(ms);
      status[res.statusCode] = (status[res.statusCode] ?? 0) + 1;
      if (text.includes('"errors"')) {
        graphqlErrors++;
        firstErrorCode ??= /"code"\s*:\s*"([A-Z_]+)"/.exec(text)?.[1] ?? 'unknown';
      }
    } catch {
      if (measure) errors++;
    }
  };
  let lagMs = 0;
  if (spec.rate > 0) {
    const n = Math.round(spec.rate * (spec.seconds ?? 10));
    const t0 = performance.now() + 50;
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const at = t0 + (i * 1000) / spec.rate;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const now = performance.now();
      lagMs = Math.max(lagMs, now - at);
      inflight.push(one(now, true));
    }
    await Promise.all(inflight);
  } else {
    for (let i = 0; i < (spec.warmup ?? 0); i++) await one(performance.now(), false);
    const until = spec.seconds ? performance.now() + spec.seconds * 1000 : Infinity;
    let left = spec.seconds ? Infinity : (spec.count ?? 100);
    const sender = async () => {
      while (left-- > 0 && performance.now() < until) await one(performance.now(), true);
    };
    await Promise.all(Array.from({ length: spec.concurrency ?? 1 }, sender));
  }
  await dispatcher.close();
  const s = lat.sort((a, b) => a - b);
  return {
    sent: s.length + errors,
    status,
    errors,
    graphqlErrors,
    firstErrorCode,
    p50Ms: pct(s, 50),
    p90Ms: pct(s, 90),
    p99Ms: pct(s, 99),
    maxMs: s.at(-1) ?? NaN,
    meanMs: s.reduce((a, b) => a + b, 0) / (s.length || 1),
    lagMs,
  };
}

/** Runs the probe in its own process. */
export async function fixedRate(spec: ProbeSpec): Promise<ProbeResult> {
  const child = spawn(process.execPath, [__filename, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`latency probe failed (${code}): ${err}`);
  return JSON.parse(out) as ProbeResult;
}

if (require.main === module) {
  probe(JSON.parse(process.argv[2]) as ProbeSpec).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

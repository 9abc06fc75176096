import { spawn } from 'node:child_process';

/** One autocannon run, in its own process (so the load generator does not share an event loop with any server). */
export interface LoadResult {
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  status429: number;
}

export interface LoadSpec {
  url: string;
  body: string;
  seconds: number;
  connections: number;
  /** Fixed request rate over all connections (autocannon `--overallRate`); omitted = as fast as possible. */
  rate?: number;
  headers?: Record<string, string>;
  /** Default POST (with `body`); GET sends no body. */
  method?: 'GET' | 'POST';
}

export async function autocannon(spec: LoadSpec): Promise<LoadResult> {
  const bin = require.resolve('autocannon/autocannon.js');
  const args = [bin, '--json', '-c', String(spec.connections), '-d', String(spec.seconds), '-m', spec.method ?? 'POST'];
  if ((spec.method ?? 'POST') === 'POST') args.push('-b', spec.body, '-H', 'content-type=application/json');
  for (const [k, v] of Object.entries(spec.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (spec.rate) args.push('--overallRate', String(spec.rate));
  args.push(spec.url);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`autocannon failed (${code}): ${err}`);
  const j = JSON.parse(out) as {
    requests: { average: number; total: number };
    latency: { p50: number; p90: number; p99: number; max: number };
    non2xx: number;
    errors: number;
    timeouts: number;
    statusCodeStats?: Record<string, { count: number }>;
  };
  return {
    rps: j.requests.average,
    p50Ms: j.latency.p50,
    p90Ms: j.latency.p90,
    p99Ms: j.latency.p99,
    maxMs: j.latency.max,
    requests: j.requests.total,
    non2xx: j.non2xx,
    errors: j.errors,
    timeouts: j.timeouts,
    status429: j.statusCodeStats?.['429']?.count ?? 0,
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** (max − min) / median, in percent: how far the rounds spread. */
export const spreadPct = (xs: number[]): number => (xs.length > 1 ? ((Math.max(...xs) - Math.min(...xs)) / median(xs)) * 100 : 0);

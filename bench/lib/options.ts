/**
 * Command-line options of `npm run bench` (issue 15). Pure parsing, unit-tested (test/bench/options.test.ts).
 *
 * Flags: --quick (2 rounds × 3 s, 20 s soak; default 3 rounds × 4 s, 120 s soak), --rounds N, --seconds N, --connections N, --soak 10m|600s,
 *        --upstream-latency MS (P2, P3, P5, default 20), --only P4,P5 (scenario ids, case-insensitive),
 *        --database-url postgres://… (P4/P5 harvest into this empty database instead of PGlite).
 * The same settings can come from BENCH_QUICK=1, BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_SOAK, BENCH_ONLY,
 * BENCH_DATABASE_URL.
 */
export interface BenchOptions {
  quick: boolean;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  soakSeconds: number;
  upstreamLatencyMs: number;
  coldStarts: number;
  /** Scenario ids to run (upper case, e.g. `P4`); undefined = all. */
  only?: string[];
  /** P4/P5: an empty PostgreSQL database to harvest into; undefined = embedded PGlite in the scratch directory. */
  databaseUrl?: string;
}

/** `120s`, `10m`, `500ms` or a plain number of seconds → seconds. */
export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new Error(`expected a duration like 120s or 10m, got ${JSON.stringify(v)}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : m[2] === 'ms' ? 0.001 : 1);
}

/** `P4,p5 I13` → ['P4', 'P5', 'I13']; each id must be one of `known` (a typo must not silently run nothing). */
export function parseOnly(v: string, known: readonly string[]): string[] {
  const ids = v.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  if (!ids.length) throw new Error(`--only: expected scenario ids like P4,P5; known: ${known.join(', ')}`);
  const byUpper = new Map(known.map((k) => [k.toUpperCase(), k]));
  return ids.map((id) => {
    const k = byUpper.get(id.toUpperCase());
    if (!k) throw new Error(`--only: unknown scenario ${JSON.stringify(id)}; known: ${known.join(', ')}`);
    return k;
  });
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, got ${JSON.stringify(v)}`);
  return n;
}

/** Flags that take a value, and flags that stand alone: anything else is refused (a typo must not start a 10-minute run). */
const VALUE_FLAGS = ['rounds', 'seconds', 'connections', 'soak', 'upstream-latency', 'only', 'database-url'];
const SWITCHES = ['quick', 'help', '-h'];

/** The flags, for `--help` and for the error on an unknown one. */
export const USAGE = [
  'usage: npm run bench -- [--quick] [--only P4,P5] [--rounds N] [--seconds N] [--connections N] [--soak 10m]',
  '                        [--upstream-latency MS] [--database-url postgres://…] [--help]',
  'default: 3 rounds × 4 s after 1 s warm-up, 50 connections, 120 s soak, 20 ms upstream latency (P2, P3, P5, I13).',
].join('\n');

/** `--help` asked: print USAGE and run nothing. */
export const wantsHelp = (argv: readonly string[]): boolean => argv.some((a) => a === '--help' || a === '-h');

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv, knownIds: readonly string[]): BenchOptions {
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (VALUE_FLAGS.includes(name)) i++;
    else if (!SWITCHES.includes(name)) throw new Error(`unknown option ${JSON.stringify(argv[i])}\n${USAGE}`);
  }
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
    return v;
  };
  const quick = argv.includes('--quick') || env.BENCH_QUICK === '1';
  const only = flag('only') ?? env.BENCH_ONLY;
  return {
    quick,
    rounds: positive('rounds', flag('rounds') ?? env.BENCH_ROUNDS ?? (quick ? '2' : '3')),
    seconds: positive('seconds', flag('seconds') ?? env.BENCH_SECONDS ?? (quick ? '3' : '4')),
    // One second at several hundred requests a second warms the JIT; each target has its own warm-up before the rounds.
    warmupSeconds: 1,
    connections: positive('connections', flag('connections') ?? env.BENCH_CONNECTIONS ?? '50'),
    soakSeconds: parseDuration(flag('soak') ?? env.BENCH_SOAK ?? (quick ? '20s' : '120s')),
    upstreamLatencyMs: Number(flag('upstream-latency') ?? '20'),
    coldStarts: quick ? 2 : 3,
    only: only ? parseOnly(only, knownIds) : undefined,
    databaseUrl: flag('database-url') ?? (env.BENCH_DATABASE_URL || undefined),
  };
}

import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { UpstreamCounts } from '../persistence/entities';
import type { Logger } from '../observability/log';

/** What a harvest tells a person while it runs. */
export interface ProgressReporter {
  /** A phase begins: `total` work units, of which `already` were finished by an earlier (killed) run. */
  start(upstream: string, total: number, already: number): void;
  tick(upstream: string): void;
  done(upstream: string, counts: UpstreamCounts): void;
  stop(): void;
}

/** Progress bars per upstream (done/total, rate, ETA) on a terminal. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const multi = new MultiBar(
    {
      stream,
      format: ' {upstream} [{bar}] {value}/{total} units | {rate}/s | ETA {eta_formatted} {note}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, { bar: SingleBar; startedAt: number; base: number }>();
  const rate = (b: { startedAt: number; base: number; bar: SingleBar }) => {
    const secs = (Date.now() - b.startedAt) / 1000;
    return secs > 0 ? ((b.bar.getProgress() * b.bar.getTotal() - b.base) / secs).toFixed(1) : '0.0';
  };
  return {
    start(upstream, total, already) {
      const bar = multi.create(total, already, { upstream: upstream.padEnd(8), rate: '0.0', note: already ? `(resumed: ${already} done before)` : '' });
      bars.set(upstream, { bar, startedAt: Date.now(), base: already });
    },
    tick(upstream) {
      const b = bars.get(upstream);
      if (!b) return;
      b.bar.increment(1, { rate: rate(b) });
    },
    done(upstream, c) {
      const b = bars.get(upstream);
      b?.bar.update(b.bar.getTotal(), { rate: rate(b), note: `+${c.added} ~${c.changed} -${c.removed} =${c.unchanged} (${c.requests} requests)` });
    },
    stop: () => multi.stop(),
  };
}

/** Structured log lines instead of bars when stderr is not a terminal: at most one line per upstream every `everyMs`. */
export function logProgress(logger: Logger, everyMs = 5_000): ProgressReporter {
  const state = new Map<string, { total: number; done: number; startedAt: number; base: number; lastLog: number }>();
  const line = (upstream: string) => {
    const s = state.get(upstream)!;
    const secs = (Date.now() - s.startedAt) / 1000;
    const rate = secs > 0 ? (s.done - s.base) / secs : 0;
    const eta = rate > 0 ? Math.round((s.total - s.done) / rate) : null;
    logger.info('harvest progress', { upstream, done: s.done, total: s.total, ratePerSecond: Number(rate.toFixed(2)), etaSeconds: eta });
  };
  return {
    start(upstream, total, already) {
      state.set(upstream, { total, done: already, startedAt: Date.now(), base: already, lastLog: Date.now() });
      logger.info('harvest phase', { upstream, total, alreadyDone: already });
    },
    tick(upstream) {
      const s = state.get(upstream);
      if (!s) return;
      s.done++;
      if (Date.now() - s.lastLog >= everyMs) {
        s.lastLog = Date.now();
        line(upstream);
      }
    },
    done(upstream, c) {
      logger.info('harvest phase done', { upstream, ...c });
    },
    stop: () => undefined,
  };
}

/** The end-of-run summary, one row per upstream. */
export function formatSummary(counts: Record<string, UpstreamCounts>, durationMs: number, snapshotId: number, resumed: boolean): string {
  const head = ['upstream', 'mode', 'added', 'changed', 'removed', 'unchanged', 'total', 'requests'];
  const rows = Object.entries(counts).map(([u, c]) => [u, c.mode, c.added, c.changed, c.removed, c.unchanged, c.total, c.requests].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [
    `snapshot ${snapshotId} complete${resumed ? ' (resumed after an interrupted run)' : ''} in ${(durationMs / 1000).toFixed(1)} s`,
    fmt(head),
    ...rows.map(fmt),
  ].join('\n') + '\n';
}

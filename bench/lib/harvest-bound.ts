/**
 * The lower bound of a harvest's duration (issue 11, benchmark): no harvester can be faster than doing its upstream
 * requests `inFlight` at a time, each taking the upstream's latency, nor faster than the upstream's rate limit
 * allows. Upstreams are harvested one after the other (src/harvest/harvester.ts runs the phases in sequence), so the
 * bounds add up. Database writes, parsing and the availability facts cost nothing in this bound: they are what the
 * measured time may spend above it.
 */
export interface UpstreamLoad {
  upstream: string;
  /** Upstream requests the harvest made (from its summary). */
  requests: number;
  /** Requests the harvester may have in flight at once towards this upstream. */
  inFlight: number;
  /** Client-side rate limit (requests per second), if any. */
  maxRps?: number;
}

export interface UpstreamBound {
  upstream: string;
  requests: number;
  lowerBoundMs: number;
  /** Which limit sets the bound. */
  by: 'latency' | 'rate';
}

export function harvestLowerBound(loads: readonly UpstreamLoad[], latencyMs: number): { upstreams: UpstreamBound[]; totalMs: number } {
  const upstreams = loads.map((l): UpstreamBound => {
    if (!(l.inFlight >= 1)) throw new RangeError(`${l.upstream}: in-flight requests must be at least 1, got ${l.inFlight}`);
    const byLatency = (l.requests * latencyMs) / l.inFlight;
    const byRate = l.maxRps ? (l.requests / l.maxRps) * 1000 : 0;
    return { upstream: l.upstream, requests: l.requests, lowerBoundMs: Math.max(byLatency, byRate), by: byRate > byLatency ? 'rate' : 'latency' };
  });
  return { upstreams, totalMs: upstreams.reduce((a, u) => a + u.lowerBoundMs, 0) };
}

export interface HarvestSummaryRow {
  upstream: string;
  mode: string;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  total: number;
  requests: number;
}

/** Reads the summary `thuegate harvest` prints (src/harvest/progress.ts formatSummary). */
export function parseHarvestSummary(text: string): { snapshotId: number; durationMs: number; rows: HarvestSummaryRow[] } {
  const head = /^snapshot (\d+) complete(?: \([^)]*\))? in (\d+(?:\.\d+)?) s$/m.exec(text);
  if (!head) throw new Error(`no harvest summary in: ${text.slice(0, 500)}`);
  const lines = text.slice(head.index).split('\n');
  const columns = lines[1]?.trim().split(/\s+/) ?? [];
  const expected = ['upstream', 'mode', 'added', 'changed', 'removed', 'unchanged', 'total', 'requests'];
  if (columns.join(' ') !== expected.join(' ')) throw new Error(`unexpected harvest summary columns: ${lines[1]}`);
  const rows = lines
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length === expected.length)
    .map(([upstream, mode, ...n]) => {
      const [added, changed, removed, unchanged, total, requests] = n.map(Number);
      return { upstream, mode, added, changed, removed, unchanged, total, requests };
    });
  return { snapshotId: Number(head[1]), durationMs: Number(head[2]) * 1000, rows };
}

import { describe, expect, it } from 'vitest';
import { harvestLowerBound, parseHarvestSummary } from '../../bench/lib/harvest-bound';
import { formatSummary } from '../../src/harvest/progress';
import type { UpstreamCounts } from '../../src/persistence/entities';

describe('harvest lower bound (bench P5)', () => {
  it('is requests × latency ÷ requests in flight, summed over upstreams harvested one after the other', () => {
    const b = harvestLowerBound(
      [
        { upstream: 'pvog', requests: 1210, inFlight: 8 },
        { upstream: 'thavel', requests: 3, inFlight: 4 },
      ],
      20,
    );
    // 1210 × 20 ms / 8 = 3025 ms; 3 × 20 ms / 4 = 15 ms.
    expect(b.upstreams.map((u) => [u.upstream, u.lowerBoundMs, u.by])).toEqual([
      ['pvog', 3025, 'latency'],
      ['thavel', 15, 'latency'],
    ]);
    expect(b.totalMs).toBe(3040);
  });

  it('is set by the rate limit when that is slower than the latency allows', () => {
    // 1210 requests at 5/s take at least 242 s, far above 1210 × 20 ms / 8.
    const b = harvestLowerBound([{ upstream: 'pvog', requests: 1210, inFlight: 8, maxRps: 5 }], 20);
    expect(b.upstreams[0]).toMatchObject({ lowerBoundMs: 242_000, by: 'rate' });
  });

  it('refuses an upstream without any request in flight', () => {
    expect(() => harvestLowerBound([{ upstream: 'pvog', requests: 10, inFlight: 0 }], 20)).toThrow(/pvog/);
  });
});

describe('harvest summary parser (bench P5)', () => {
  it('reads back what `thuegate harvest` prints', () => {
    const counts = (c: Partial<UpstreamCounts>): UpstreamCounts => ({ added: 0, changed: 0, removed: 0, unchanged: 0, total: 0, requests: 0, mode: 'full', harvestedAt: '2026-12-01T00:00:00Z', failedUnits: 0, errors: [], ...c });
    const text = formatSummary(
      { pvog: counts({ added: 9123, total: 9123, requests: 1210 }), thavel: counts({ mode: 'delta', changed: 4, unchanged: 396, total: 400, requests: 2 }) },
      12_345,
      7,
      false,
    );
    const s = parseHarvestSummary(`some log line\n${text}`);
    expect(s.snapshotId).toBe(7);
    expect(s.durationMs).toBeCloseTo(12_300, -2); // printed with one decimal of a second
    expect(s.rows).toEqual([
      { upstream: 'pvog', mode: 'full', added: 9123, changed: 0, removed: 0, unchanged: 0, total: 9123, requests: 1210 },
      { upstream: 'thavel', mode: 'delta', added: 0, changed: 4, removed: 0, unchanged: 396, total: 400, requests: 2 },
    ]);
  });

  it('fails loudly when there is no summary (a failed or locked harvest)', () => {
    expect(() => parseHarvestSummary('thuegate harvest: another harvest is running')).toThrow(/no harvest summary/);
  });
});

import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../observability/metrics';

/** Live caches report their L1 size at scrape time; several instances with one name are summed. */
export interface L1Reporter {
  readonly name: string;
  bytes(): number;
  entries(): number;
}
const reporters = new Set<L1Reporter>();

export function reportL1(reporter: L1Reporter): () => void {
  reporters.add(reporter);
  return () => reporters.delete(reporter);
}

function sumByName(read: (r: L1Reporter) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const r of reporters) sums.set(r.name, (sums.get(r.name) ?? 0) + read(r));
  return sums;
}

const registers = [metricsRegistry];

export const cacheMetrics = {
  hits: new Counter({
    name: 'thuegate_cache_hits_total',
    help: 'Fresh answers served from a cache tier',
    labelNames: ['upstream', 'operation', 'tier'] as const,
    registers,
  }),
  misses: new Counter({
    name: 'thuegate_cache_misses_total',
    help: 'Requests that had to wait for the origin (no fresh or revalidating entry in L1 or L2)',
    labelNames: ['upstream', 'operation'] as const,
    registers,
  }),
  stale: new Counter({
    name: 'thuegate_cache_stale_served_total',
    help: 'Stale answers served, by tier and reason (revalidating = stale-while-revalidate, upstream-error = stale-if-error)',
    labelNames: ['upstream', 'operation', 'tier', 'reason'] as const,
    registers,
  }),
  loads: new Counter({
    name: 'thuegate_cache_origin_loads_total',
    help: 'Loader calls by result (value, not_modified, error) and mode (foreground, background)',
    labelNames: ['upstream', 'operation', 'result', 'mode'] as const,
    registers,
  }),
  uncacheable: new Counter({
    name: 'thuegate_cache_uncacheable_total',
    help: 'Loaded values not stored (no_store from the loader, oversize above maxEntryBytes)',
    labelNames: ['upstream', 'operation', 'reason'] as const,
    registers,
  }),
  ttlClamped: new Counter({
    name: 'thuegate_cache_ttl_clamped_total',
    help: 'TTLs cut down to the hard max age of the upstream (e.g. the DVDV 4 h limit)',
    labelNames: ['upstream', 'operation'] as const,
    registers,
  }),
  evictions: new Counter({
    name: 'thuegate_cache_l1_evictions_total',
    help: 'L1 entries evicted to stay within the byte bound',
    labelNames: ['cache'] as const,
    registers,
  }),
  l2Errors: new Counter({
    name: 'thuegate_cache_l2_errors_total',
    help: 'Redis (L2) failures; the cache degrades to L1 only. op=unavailable counts requests while Redis is not connected',
    labelNames: ['op'] as const,
    registers,
  }),
  purged: new Counter({
    name: 'thuegate_cache_purged_entries_total',
    help: 'Entries removed by admin purges, by tier',
    labelNames: ['tier'] as const,
    registers,
  }),
  l1Bytes: new Gauge({
    name: 'thuegate_cache_l1_bytes',
    help: 'Accounted L1 bytes (serialised values plus per-entry overhead)',
    labelNames: ['cache'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, v] of sumByName((r) => r.bytes())) this.set({ cache: name }, v);
    },
  }),
  l1Entries: new Gauge({
    name: 'thuegate_cache_l1_entries',
    help: 'Entries held in L1',
    labelNames: ['cache'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, v] of sumByName((r) => r.entries())) this.set({ cache: name }, v);
    },
  }),
};

import { Gauge } from 'prom-client';
import { metricsRegistry, registeredMetric } from '../observability/metrics';
import type { Database } from '../persistence/orm';
import { SnapshotStore } from './store';

export interface HarvestRunRow {
  id: string;
  upstream: string;
  snapshotId: number | null;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  items: number;
  counts: Record<string, number | string> | null;
}

/**
 * The gauges are process-wide (one registry); they are refreshed on every scrape from the status of the gateway's
 * database, which the composition root hands over when it builds HarvestStatus.
 */
let scraped: HarvestStatus | undefined;

const snapshotAge = registeredMetric(
  'thuegate_harvest_snapshot_age_seconds',
  () =>
    new Gauge({
      name: 'thuegate_harvest_snapshot_age_seconds',
      help: 'Age of the current harvest snapshot (seconds since it completed); absent before the first harvest',
      registers: [metricsRegistry],
      async collect() {
        await scraped?.refresh().catch(() => undefined);
      },
    }),
);
const lastOutcome = registeredMetric(
  'thuegate_harvest_last_outcome',
  () =>
    new Gauge({
      name: 'thuegate_harvest_last_outcome',
      help: 'Outcome of the latest harvest snapshot: 1 for the status it ended with (complete, failed, building), 0 otherwise',
      labelNames: ['status'] as const,
      registers: [metricsRegistry],
    }),
);

/** Harvest status for `harvestRuns`, /metrics and /readyz. */
export class HarvestStatus {
  private readonly store: SnapshotStore;
  constructor(
    private readonly db: Database,
    /** HARVEST_INTERVAL: the snapshot is "old" (readiness degraded) beyond three intervals. */
    private readonly intervalMs: number | null,
  ) {
    this.store = new SnapshotStore(db);
    scraped = this;
  }

  /** Updates the gauges; returns the current snapshot and the latest snapshot row (any status). */
  async refresh() {
    const cur = await this.store.current();
    const latest = await this.db.orm.em
      .getConnection()
      .execute<{ id: number; status: string; error: string | null }[]>(`select id, status, error from harvest_snapshot order by id desc limit 1`);
    const last = latest[0];
    for (const s of ['complete', 'failed', 'building']) lastOutcome.set({ status: s }, last?.status === s ? 1 : 0);
    const ageS = cur ? Math.round((Date.now() - (cur.finishedAt ?? cur.startedAt).getTime()) / 1000) : null;
    if (ageS === null) snapshotAge.reset();
    else snapshotAge.set(ageS);
    return { cur, last, ageS };
  }

  async runs(limit: number): Promise<HarvestRunRow[]> {
    const rows = await this.db.orm.em
      .getConnection()
      .execute<Record<string, unknown>[]>(
        `select id, upstream, snapshot_id, status, started_at, finished_at, error, item_count, counts from harvest_run order by started_at desc, upstream limit ?`,
        [limit],
      );
    return rows.map((r) => ({
      id: String(r.id),
      upstream: String(r.upstream),
      snapshotId: r.snapshot_id == null ? null : Number(r.snapshot_id),
      status: String(r.status),
      startedAt: new Date(r.started_at as string),
      finishedAt: r.finished_at ? new Date(r.finished_at as string) : null,
      error: (r.error as string | null) ?? null,
      items: Number(r.item_count),
      counts: (typeof r.counts === 'string' ? JSON.parse(r.counts) : r.counts) as HarvestRunRow['counts'],
    }));
  }

  /** For /readyz (never critical: live fields work without a snapshot). Throws (→ degraded) when failed, too old, or missing under a schedule. */
  async readiness(): Promise<Record<string, unknown>> {
    const { cur, last, ageS } = await this.refresh();
    if (!cur || ageS === null) {
      // Without a schedule a missing snapshot is the operator's choice, not a fault of this replica.
      if (!this.intervalMs) return { snapshot: null, lastHarvest: last?.status ?? null };
      throw new Error('no harvest snapshot yet: availability queries answer SNAPSHOT_NOT_AVAILABLE until the first harvest completes');
    }
    const info = { snapshot: cur.id, ageSeconds: ageS, lastHarvest: last?.status ?? null };
    if (last?.status === 'building' && last.error) throw new Error(`last harvest (snapshot ${last.id}) stopped: ${last.error}; serving snapshot ${cur.id}`);
    if (last?.status === 'failed') throw new Error(`last harvest (snapshot ${last.id}) failed: ${last.error ?? 'unknown error'}; serving snapshot ${cur.id}`);
    if (this.intervalMs && ageS * 1000 > 3 * this.intervalMs) {
      throw new Error(`harvest snapshot ${cur.id} is ${ageS} s old, more than three HARVEST_INTERVALs`);
    }
    return info;
  }
}

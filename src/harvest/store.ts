import type { Transaction } from '@mikro-orm/core';
import type { Database } from '../persistence/orm';
import type { SnapshotAggregates, UpstreamCounts } from '../persistence/entities';
import { canonicalJson, contentHash } from './hash';

/**
 * Snapshot storage (DESIGN §5) over plain SQL: item and fact rows are *versions* valid from snapshot
 * `added_in` up to (excluding) `removed_in`, so a harvest writes only what changed, readers of the current
 * snapshot never see rows of one that is still building, and completing a snapshot is one short transaction
 * that flips `harvest_pointer`. Every work unit commits its rows together with its progress row, so a killed
 * harvest resumes from the last finished unit.
 */

/** Rows visible in snapshot `s` (a parameter placeholder pair: `s, s`). */
export const VISIBLE = '"added_in" <= ? and ("removed_in" is null or "removed_in" > ?)';

export interface SnapshotRow {
  id: number;
  startedAt: Date;
  finishedAt: Date | null;
  status: 'building' | 'complete' | 'failed';
  full: boolean;
  upstreams: string[];
  baseUrls: Record<string, string[]>;
  counts: Record<string, UpstreamCounts>;
  holder: string | null;
  error: string | null;
}

export interface ItemInput {
  key: string;
  payload: unknown;
}

export interface ItemVersion {
  id: string;
  hash: string;
}

export interface UnitCounts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface FactInput {
  ars: string;
  serviceId: string;
  leikaKey: string | null;
  serviceName: string | null;
  online: boolean;
}

const INSERT_CHUNK = 500;

type Raw = Record<string, unknown>;

function toSnapshot(r: Raw): SnapshotRow {
  const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  return {
    id: Number(r.id),
    startedAt: new Date(r.started_at as string),
    finishedAt: r.finished_at ? new Date(r.finished_at as string) : null,
    status: r.status as SnapshotRow['status'],
    full: Boolean(r.full),
    upstreams: json<string[]>(r.upstreams),
    baseUrls: json<Record<string, string[]>>(r.base_urls),
    counts: json<Record<string, UpstreamCounts>>(r.counts),
    holder: (r.holder as string | null) ?? null,
    error: (r.error as string | null) ?? null,
  };
}

const SNAPSHOT_COLUMNS = 'id, started_at, finished_at, status, "full", upstreams, base_urls, counts, holder, error';

/** Counts one incoming version against the current one; true when it must be written (added or changed — the old id retires). */
function classify(prev: { id: string } | undefined, same: boolean, counts: UnitCounts, retire: string[]): boolean {
  if (prev && same) {
    counts.unchanged++;
    return false;
  }
  if (prev) {
    counts.changed++;
    retire.push(prev.id);
  } else counts.added++;
  return true;
}

export class SnapshotStore {
  constructor(readonly db: Database) {}

  private get conn() {
    return this.db.orm.em.getConnection();
  }

  private exec<T = Raw[]>(sql: string, params: unknown[] = [], trx?: Transaction): Promise<T> {
    return this.conn.execute(sql, params, 'all', trx) as Promise<T>;
  }

  private tx<T>(fn: (trx: Transaction) => Promise<T>): Promise<T> {
    return this.conn.transactional(fn);
  }

  /** The snapshot readers use (the pointer's), or null before the first complete harvest. */
  async current(): Promise<SnapshotRow | null> {
    const rows = await this.exec(`select ${SNAPSHOT_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')} from harvest_pointer p join harvest_snapshot s on s.id = p.snapshot_id where p.id = 1`);
    return rows[0] ? toSnapshot(rows[0]) : null;
  }

  async currentId(): Promise<number | null> {
    const rows = await this.exec(`select snapshot_id from harvest_pointer where id = 1`);
    return rows[0] ? Number(rows[0].snapshot_id) : null;
  }

  async snapshot(id: number): Promise<SnapshotRow | null> {
    const rows = await this.exec(`select ${SNAPSHOT_COLUMNS} from harvest_snapshot where id = ?`, [id]);
    return rows[0] ? toSnapshot(rows[0]) : null;
  }

  /** Complete snapshots, newest first, with their aggregates (history survives pruning of their rows). */
  async history(limit = 1000): Promise<(SnapshotRow & { aggregates: SnapshotAggregates | null })[]> {
    const rows = await this.exec(`select ${SNAPSHOT_COLUMNS}, aggregates from harvest_snapshot where status = 'complete' order by id desc limit ?`, [limit]);
    return rows.map((r) => ({ ...toSnapshot(r), aggregates: typeof r.aggregates === 'string' ? JSON.parse(r.aggregates) : (r.aggregates as SnapshotAggregates | null) }));
  }

  /** The snapshot a killed harvest left `building`, to resume; null when the last run ended. */
  async building(): Promise<SnapshotRow | null> {
    const rows = await this.exec(`select ${SNAPSHOT_COLUMNS} from harvest_snapshot where status = 'building' order by id desc limit 1`);
    return rows[0] ? toSnapshot(rows[0]) : null;
  }

  async create(o: { full: boolean; upstreams: string[]; baseUrls: Record<string, string[]>; holder: string }): Promise<SnapshotRow> {
    const rows = await this.exec(
      `insert into harvest_snapshot (started_at, status, "full", upstreams, base_urls, counts, holder, facts_pruned) values (current_timestamp, 'building', ?, ?::jsonb, ?::jsonb, '{}'::jsonb, ?, false) returning ${SNAPSHOT_COLUMNS}`,
      [o.full, JSON.stringify(o.upstreams), JSON.stringify(o.baseUrls), o.holder],
    );
    return toSnapshot(rows[0]);
  }

  /** A resumed snapshot takes the new holder and the union of upstreams and base URLs. */
  async adopt(s: SnapshotRow, o: { upstreams: string[]; baseUrls: Record<string, string[]>; holder: string }): Promise<SnapshotRow> {
    const upstreams = [...new Set([...s.upstreams, ...o.upstreams])];
    const rows = await this.exec(
      `update harvest_snapshot set holder = ?, upstreams = ?::jsonb, base_urls = ?::jsonb where id = ? returning ${SNAPSHOT_COLUMNS}`,
      [o.holder, JSON.stringify(upstreams), JSON.stringify({ ...s.baseUrls, ...o.baseUrls }), s.id],
    );
    return toSnapshot(rows[0]);
  }

  /** Units a building snapshot has finished, with what each counted. */
  async doneUnits(snapshotId: number): Promise<Map<string, Record<string, number>>> {
    const rows = await this.exec(`select unit, result from harvest_progress where snapshot_id = ?`, [snapshotId]);
    return new Map(rows.map((r) => [r.unit as string, (typeof r.result === 'string' ? JSON.parse(r.result) : r.result) as Record<string, number>]));
  }

  /** Key → current version of every item of an upstream visible in snapshot `s` (no payloads). */
  async itemVersions(upstream: string, s: number): Promise<Map<string, ItemVersion>> {
    const rows = await this.exec(`select id, item_key, hash from harvest_item where upstream = ? and ${VISIBLE}`, [upstream, s, s]);
    return new Map(rows.map((r) => [r.item_key as string, { id: String(r.id), hash: r.hash as string }]));
  }

  /** Payloads of an upstream's items visible in snapshot `s`, optionally only keys starting with `prefix`. */
  async items<T = unknown>(upstream: string, s: number, prefix?: string): Promise<{ key: string; hash: string; payload: T }[]> {
    const like = prefix ? ` and item_key like ? escape '\\'` : '';
    const params: unknown[] = [upstream, s, s];
    if (prefix) params.push(prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%');
    const rows = await this.exec(`select item_key, hash, payload from harvest_item where upstream = ? and ${VISIBLE}${like} order by item_key`, params);
    return rows.map((r) => ({ key: r.item_key as string, hash: r.hash as string, payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as T }));
  }

  async countItems(upstream: string, s: number): Promise<number> {
    const rows = await this.exec(`select count(*)::int as n from harvest_item where upstream = ? and ${VISIBLE}`, [upstream, s, s]);
    return Number(rows[0].n);
  }

  /**
   * Applies one work unit in one transaction: `upserts` become the current versions of their keys;
   * `scope` (keys the unit is authoritative for) minus the upserted keys are removed, as are `removes`.
   * `versions` is updated to match what was committed. The progress row commits with the rows.
   */
  async applyUnit(o: {
    snapshotId: number;
    upstream: string;
    unit: string;
    upserts: ItemInput[];
    scope?: Iterable<string>;
    removes?: Iterable<string>;
    versions: Map<string, ItemVersion>;
    extra?: Record<string, number>;
  }): Promise<UnitCounts> {
    const counts: UnitCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
    const inserts: { key: string; hash: string; json: string }[] = [];
    const retire: string[] = [];
    const seen = new Set<string>();
    for (const u of o.upserts) {
      if (seen.has(u.key)) continue;
      seen.add(u.key);
      const json = canonicalJson(u.payload);
      const hash = contentHash(u.payload);
      const prev = o.versions.get(u.key);
      if (classify(prev, prev?.hash === hash, counts, retire)) inserts.push({ key: u.key, hash, json });
    }
    const gone = new Set<string>();
    for (const k of o.scope ?? []) if (!seen.has(k) && o.versions.has(k)) gone.add(k);
    for (const k of o.removes ?? []) if (!seen.has(k) && o.versions.has(k)) gone.add(k);
    for (const k of gone) retire.push(o.versions.get(k)!.id);
    counts.removed = gone.size;

    const added = await this.tx(async (trx) => {
      await this.retire('harvest_item', retire, o.snapshotId, trx);
      const ids = new Map<string, string>();
      for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
        const part = inserts.slice(i, i + INSERT_CHUNK);
        const rows = await this.exec(
          `insert into harvest_item (upstream, item_key, hash, payload, added_in) values ${part.map(() => '(?, ?, ?, ?::jsonb, ?)').join(', ')} returning id, item_key`,
          part.flatMap((p) => [o.upstream, p.key, p.hash, p.json, o.snapshotId]),
          trx,
        );
        for (const r of rows) ids.set(r.item_key as string, String(r.id));
      }
      await this.markDone(o.snapshotId, o.unit, { ...counts, ...o.extra }, trx);
      return ids;
    });
    for (const k of gone) o.versions.delete(k);
    for (const p of inserts) o.versions.set(p.key, { id: added.get(p.key)!, hash: p.hash });
    return counts;
  }

  /** Ends the validity of row versions at snapshot `snapshotId` (they stay visible to earlier snapshots). */
  private async retire(table: 'harvest_item' | 'availability_fact', ids: string[], snapshotId: number, trx: Transaction): Promise<void> {
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const part = ids.slice(i, i + INSERT_CHUNK);
      await this.exec(`update ${table} set removed_in = ? where id in (${part.map(() => '?').join(',')})`, [snapshotId, ...part], trx);
    }
  }

  async markDone(snapshotId: number, unit: string, result: Record<string, number>, trx?: Transaction): Promise<void> {
    await this.exec(
      `insert into harvest_progress (snapshot_id, unit, result, done_at) values (?, ?, ?::jsonb, current_timestamp) on conflict (snapshot_id, unit) do update set result = excluded.result`,
      [snapshotId, unit, JSON.stringify(result)],
      trx,
    );
  }

  /** Facts visible in snapshot `s`. */
  async facts(s: number): Promise<(FactInput & { id: string })[]> {
    const rows = await this.exec(`select id, ars, service_id, leika_key, service_name, online from availability_fact where ${VISIBLE}`, [s, s]);
    return rows.map((r) => ({
      id: String(r.id),
      ars: r.ars as string,
      serviceId: r.service_id as string,
      leikaKey: (r.leika_key as string | null) ?? null,
      serviceName: (r.service_name as string | null) ?? null,
      online: Boolean(r.online),
    }));
  }

  /** Replaces the snapshot's facts by `next`, writing only the differences (one transaction with its progress row). */
  async applyFacts(snapshotId: number, next: FactInput[], unit = 'facts'): Promise<UnitCounts> {
    const current = new Map((await this.facts(snapshotId)).map((f) => [`${f.ars}|${f.serviceId}`, f]));
    const counts: UnitCounts = { added: 0, changed: 0, removed: 0, unchanged: 0 };
    const inserts: FactInput[] = [];
    const retire: string[] = [];
    const seen = new Set<string>();
    for (const f of next) {
      const k = `${f.ars}|${f.serviceId}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const prev = current.get(k);
      const same = prev !== undefined && prev.leikaKey === f.leikaKey && prev.serviceName === f.serviceName && prev.online === f.online;
      if (classify(prev, same, counts, retire)) inserts.push(f);
    }
    for (const [k, f] of current) if (!seen.has(k)) (retire.push(f.id), counts.removed++);
    await this.tx(async (trx) => {
      await this.retire('availability_fact', retire, snapshotId, trx);
      for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
        const part = inserts.slice(i, i + INSERT_CHUNK);
        await this.exec(
          `insert into availability_fact (ars, service_id, leika_key, service_name, online, added_in) values ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
          part.flatMap((f) => [f.ars, f.serviceId, f.leikaKey, f.serviceName, f.online, snapshotId]),
          trx,
        );
      }
      await this.markDone(snapshotId, unit, { ...counts }, trx);
    });
    return counts;
  }

  /** Completes the snapshot and points readers at it, in one transaction: before it commits they see the previous one. */
  async complete(snapshotId: number, counts: Record<string, UpstreamCounts>, aggregates: SnapshotAggregates): Promise<void> {
    await this.tx(async (trx) => {
      await this.exec(
        `update harvest_snapshot set status = 'complete', finished_at = current_timestamp, counts = ?::jsonb, aggregates = ?::jsonb where id = ?`,
        [JSON.stringify(counts), JSON.stringify(aggregates), snapshotId],
        trx,
      );
      await this.exec(
        `insert into harvest_pointer (id, snapshot_id, switched_at) values (1, ?, current_timestamp) on conflict (id) do update set snapshot_id = excluded.snapshot_id, switched_at = excluded.switched_at`,
        [snapshotId],
        trx,
      );
      await this.exec(`delete from harvest_progress where snapshot_id = ?`, [snapshotId], trx);
    });
  }

  /** Records why the last attempt at a building snapshot stopped (it stays resumable). */
  async noteError(snapshotId: number, error: string): Promise<void> {
    await this.exec(`update harvest_snapshot set error = ? where id = ?`, [error.slice(0, 4000), snapshotId]);
  }

  /**
   * Keeps the newest `keep` complete snapshots readable: versions no kept snapshot can see are deleted,
   * older snapshots are marked pruned (their aggregates stay for `availabilityHistory`). Returns rows deleted.
   */
  async prune(keep: number): Promise<{ snapshots: number; rows: number }> {
    const kept = await this.exec(`select id from harvest_snapshot where status = 'complete' order by id desc limit ?`, [Math.max(1, keep)]);
    if (kept.length === 0) return { snapshots: 0, rows: 0 };
    const oldest = Math.min(...kept.map((r) => Number(r.id)));
    return this.tx(async (trx) => {
      let rows = 0;
      for (const table of ['harvest_item', 'availability_fact']) {
        const r = await this.exec<Raw[]>(`delete from ${table} where removed_in is not null and removed_in <= ? returning 1`, [oldest], trx);
        rows += r.length;
      }
      const marked = await this.exec<Raw[]>(
        `update harvest_snapshot set facts_pruned = true where id < ? and facts_pruned = false and status <> 'building' returning id`,
        [oldest],
        trx,
      );
      return { snapshots: marked.length, rows };
    });
  }
}

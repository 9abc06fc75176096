import { GraphQLError } from 'graphql';
import { SnapshotStore, type SnapshotRow } from '../harvest/store';
import type { Database } from '../persistence/orm';
import type { MunicipalityDirectory, MunicipalityRecord } from '../reference/municipalities';
import type { MunicipalityService } from '../services/municipalities';
import type { AvailabilityCount, AvailabilityMatrixRow, AvailabilityReport, SizeClass } from './types';

/**
 * State-wide availability over the latest harvest snapshot (issue 11, deliver 4): no upstream calls. The facts
 * of the current snapshot are read once per snapshot and kept in memory (about 15,000 rows), so answers take
 * milliseconds; every call checks the pointer first, so a replica serves a new snapshot as soon as another one
 * switched it.
 */

export const SIZE_CLASSES: readonly SizeClass[] = ['UNDER_1000', 'FROM_1000_TO_5000', 'OVER_5000'];

/** KA 8/1135 question 3: < 1,000; 1,000–5,000 inclusive; > 5,000 inhabitants (Destatis population of the shipped reference data). */
export const sizeClassOf = (population: number): SizeClass => (population < 1000 ? 'UNDER_1000' : population <= 5000 ? 'FROM_1000_TO_5000' : 'OVER_5000');

export class SnapshotNotAvailableError extends GraphQLError {
  readonly code = 'SNAPSHOT_NOT_AVAILABLE';
  constructor() {
    super('No harvest snapshot yet: run `thuegate harvest` first (or set HARVEST_INTERVAL so `serve` harvests on a schedule).', {
      extensions: { code: 'SNAPSHOT_NOT_AVAILABLE' },
    });
  }
}

export interface SourceFreshness {
  source: string;
  harvestedAt: Date;
  mode: string;
  items: number;
}

export interface Freshness {
  snapshotId: number;
  asOf: Date;
  sources: SourceFreshness[];
}

export interface AvailabilityAnswer extends AvailabilityReport, Freshness {
  missingMunicipalities: MunicipalityRecord[];
}

export interface HistoryPoint extends AvailabilityCount {
  snapshotId: number;
  asOf: Date;
}

export interface SummaryClass {
  sizeClass: SizeClass;
  municipalities: number;
  meanShare: number;
  medianShare: number;
  topMissing: { leikaKey: string; name: string | null; missingIn: number }[];
}

interface Loaded {
  snapshot: SnapshotRow;
  freshness: Freshness;
  /** LeiKa key → ARS where it is online. */
  online: Map<string, Set<string>>;
  names: Map<string, string | null>;
  /** ARS → its facts (relevant Leistungen). */
  byArs: Map<string, { leikaKey: string | null; online: boolean }[]>;
  /** availabilityMatrix rows of this snapshot per scope and key, least recently used first (see MATRIX_MEMO_ROWS). */
  matrixRows: Map<string, readonly AvailabilityMatrixRow[]>;
  /** Rows held in matrixRows. */
  matrixRowCount: number;
}

/**
 * Rows the matrix memo of a snapshot holds at most: 50 Land-wide keys of 605 rows, the largest availabilityMatrix
 * request. The rows share their strings with the reference register and the request, so a row costs its object and
 * its array slot: 99 bytes measured (heap delta of 60,500 such rows), ≈ 3 MB at the bound. The memo belongs to the
 * snapshot's facts, so a snapshot switch drops it with them and no answer is built from an older snapshot's rows.
 */
export const MATRIX_MEMO_ROWS = 30_250;

const ratio = (online: number, total: number) => (total ? online / total : 0);
const countOf = (ms: readonly MunicipalityRecord[], online: Set<string> | undefined): AvailabilityCount => {
  const n = online ? ms.filter((m) => online.has(m.ars)).length : 0;
  return { total: ms.length, online: n, share: ratio(n, ms.length) };
};

export class AvailabilityService {
  private loaded?: Loaded;
  private loading?: Promise<Loaded>;
  private readonly store: SnapshotStore;

  constructor(
    db: Database,
    private readonly directory: MunicipalityDirectory,
    private readonly municipalities: MunicipalityService,
  ) {
    this.store = new SnapshotStore(db);
  }

  /** The current snapshot's facts; throws SNAPSHOT_NOT_AVAILABLE before the first complete harvest. */
  private async current(): Promise<Loaded> {
    const id = await this.store.currentId();
    if (id === null) throw new SnapshotNotAvailableError();
    if (this.loaded?.snapshot.id === id) return this.loaded;
    if (!this.loading) {
      this.loading = this.load(id).finally(() => (this.loading = undefined));
    }
    const l = await this.loading;
    this.loaded = l;
    return l;
  }

  private async load(id: number): Promise<Loaded> {
    const snapshot = await this.store.snapshot(id);
    if (!snapshot) throw new SnapshotNotAvailableError();
    const facts = await this.store.facts(id);
    const online = new Map<string, Set<string>>();
    const names = new Map<string, string | null>();
    const byArs = new Map<string, { leikaKey: string | null; online: boolean }[]>();
    for (const f of facts) {
      if (f.leikaKey) {
        if (!names.has(f.leikaKey) || names.get(f.leikaKey) === null) names.set(f.leikaKey, f.serviceName);
        if (f.online) (online.get(f.leikaKey) ?? online.set(f.leikaKey, new Set()).get(f.leikaKey)!).add(f.ars);
      }
      (byArs.get(f.ars) ?? byArs.set(f.ars, []).get(f.ars)!).push({ leikaKey: f.leikaKey, online: f.online });
    }
    return { snapshot, freshness: freshnessOf(snapshot), online, names, byArs, matrixRows: new Map(), matrixRowCount: 0 };
  }

  /** Municipalities under a scope ARS (default: the Land); a scope the reference register does not know is NOT_FOUND. */
  private scoped(scope: string | null | undefined): MunicipalityRecord[] {
    if (!scope) return [...this.directory.all];
    this.municipalities.checkArea(scope, 'scope');
    return this.directory.within(scope);
  }

  async freshness(): Promise<Freshness> {
    return (await this.current()).freshness;
  }

  async availability(leikaKey: string, scope?: string | null): Promise<AvailabilityAnswer> {
    const l = await this.current();
    const ms = this.scoped(scope);
    const online = l.online.get(leikaKey);
    const districts = new Map<string, MunicipalityRecord[]>();
    for (const m of ms) (districts.get(m.district.ars) ?? districts.set(m.district.ars, []).get(m.district.ars)!).push(m);
    const missing = ms.filter((m) => !online?.has(m.ars));
    return {
      ...l.freshness,
      leikaKey,
      serviceName: l.names.get(leikaKey) ?? null,
      scopeArs: scope ?? null,
      ...countOf(ms, online),
      byDistrict: [...districts].map(([ars, list]) => ({ ars, name: list[0].district.name, ...countOf(list, online) })),
      bySizeClass: SIZE_CLASSES.map((sizeClass) => ({ sizeClass, ...countOf(ms.filter((m) => sizeClassOf(m.population) === sizeClass), online) })),
      missing: missing.map((m) => ({ ars: m.ars, ags: m.ags, name: m.name, districtArs: m.district.ars, population: m.population })),
      missingMunicipalities: missing,
    };
  }

  /**
   * Rows by key, then ARS. The rows depend on the snapshot, the scope and the key only, so they are built once per
   * snapshot and handed out again (issue 15 P4): callers only read them.
   */
  async matrix(leikaKeys: readonly string[], scope?: string | null): Promise<AvailabilityMatrixRow[]> {
    const l = await this.current();
    const ms = this.scoped(scope);
    const out: AvailabilityMatrixRow[] = [];
    for (const leikaKey of leikaKeys) for (const row of matrixRowsOf(l, ms, scope ?? '', leikaKey)) out.push(row);
    return out;
  }

  /** Coverage per complete snapshot, oldest first — from each snapshot's aggregates, so pruned snapshots still count. */
  async history(leikaKey: string, scope?: string | null): Promise<HistoryPoint[]> {
    await this.current();
    const ms = this.scoped(scope);
    const snaps = await this.store.history();
    return snaps
      .filter((s) => s.aggregates)
      .reverse()
      .map((s) => ({
        snapshotId: s.id,
        asOf: s.finishedAt ?? s.startedAt,
        ...countOf(ms, new Set(s.aggregates![leikaKey]?.onlineArs ?? [])),
      }));
  }

  /** Per size class: mean and median share of relevant Leistungen online, and the ten most missing Leistungen. */
  async summary(scope?: string | null): Promise<Freshness & { bySizeClass: SummaryClass[] }> {
    const l = await this.current();
    const ms = this.scoped(scope);
    const bySizeClass = SIZE_CLASSES.map((sizeClass): SummaryClass => {
      const list = ms.filter((m) => sizeClassOf(m.population) === sizeClass);
      const shares = list.map((m) => {
        const facts = l.byArs.get(m.ars) ?? [];
        return ratio(facts.filter((f) => f.online).length, facts.length);
      });
      const missing = new Map<string, number>();
      for (const m of list) {
        // A Leistung counts once per municipality, however many PVOG entries carry its key there.
        const keys = new Map<string, boolean>();
        for (const f of l.byArs.get(m.ars) ?? []) if (f.leikaKey) keys.set(f.leikaKey, (keys.get(f.leikaKey) ?? false) || f.online);
        for (const [k, on] of keys) if (!on) missing.set(k, (missing.get(k) ?? 0) + 1);
      }
      const topMissing = [...missing]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 10)
        .map(([leikaKey, missingIn]) => ({ leikaKey, name: l.names.get(leikaKey) ?? null, missingIn }));
      return { sizeClass, municipalities: list.length, meanShare: mean(shares), medianShare: median(shares), topMissing };
    });
    return { ...l.freshness, bySizeClass };
  }
}

/** One key's rows over the scope's municipalities, from the snapshot's memo or built and remembered there. */
function matrixRowsOf(l: Loaded, ms: readonly MunicipalityRecord[], scope: string, leikaKey: string): readonly AvailabilityMatrixRow[] {
  const memoKey = `${scope}\u0000${leikaKey}`;
  let rows = l.matrixRows.get(memoKey);
  if (rows) {
    // Map order is the recency order: re-inserting marks the entry as the most recently used.
    l.matrixRows.delete(memoKey);
    l.matrixRows.set(memoKey, rows);
    return rows;
  }
  const online = l.online.get(leikaKey);
  rows = ms.map((m) => ({
    ars: m.ars,
    ags: m.ags,
    name: m.name,
    districtArs: m.district.ars,
    population: m.population,
    sizeClass: sizeClassOf(m.population),
    leikaKey,
    online: online?.has(m.ars) ?? false,
  }));
  l.matrixRows.set(memoKey, rows);
  l.matrixRowCount += rows.length;
  for (const [k, old] of l.matrixRows) {
    if (l.matrixRowCount <= MATRIX_MEMO_ROWS) break;
    l.matrixRows.delete(k);
    l.matrixRowCount -= old.length;
  }
  return rows;
}

function freshnessOf(s: SnapshotRow): Freshness {
  return {
    snapshotId: s.id,
    asOf: s.finishedAt ?? s.startedAt,
    sources: Object.entries(s.counts).map(([source, c]) => ({ source, harvestedAt: new Date(c.harvestedAt), mode: c.mode, items: c.total })),
  };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

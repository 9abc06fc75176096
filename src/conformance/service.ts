import type { Logger } from '../observability/log';
import type { Database } from '../persistence/orm';
import { ConformanceFinding, ConformanceRun } from '../persistence/entities';
import { inScope, runChecks, selectRules } from './engine';
import type { ConformanceInput } from './input';
import type { Prober } from './probes';
import type { Finding, Severity } from './types';

export interface ConformanceServiceOptions {
  db: Database;
  /** Produces the input of a run: the latest harvest snapshot (./from-snapshot.ts) or live upstreams (./collect.ts). */
  input: (opts: { signal: AbortSignal }) => Promise<ConformanceInput>;
  /** Built per run, so its cache lives exactly one run; undefined = live probes off. */
  prober?: (input: ConformanceInput) => Prober | undefined;
  logger?: Logger;
}

export interface StartOptions {
  scope?: string | null;
  rules?: readonly string[] | null;
  trigger?: string;
}

export type StoredFinding = Omit<Finding, 'severity'> & { severity: Severity; runId: string };

export interface HistoryEntry {
  run: ConformanceRun;
  previous: ConformanceRun | null;
  opened: StoredFinding[];
  closed: StoredFinding[];
}

const toFinding = (f: ConformanceFinding): StoredFinding => ({
  runId: f.runId,
  rule: f.rule,
  subject: f.subject,
  severity: f.severity,
  message: f.message,
  evidence: f.evidence,
  upstream: f.upstream as Finding['upstream'],
  ars: f.ars,
});

/**
 * Conformance runs and their findings in our database (src/persistence/entities/Conformance*.ts). One run at a time
 * per process; findings keep their identity across runs by (rule, subject), which is what the history compares.
 */
export class ConformanceService {
  private current: { run: ConformanceRun; done: Promise<ConformanceRun>; abort: AbortController } | null = null;

  constructor(private readonly opts: ConformanceServiceOptions) {}

  /** Starts a run (or returns the one in progress); `done` settles when its findings are stored. */
  async start(o: StartOptions = {}): Promise<{ run: ConformanceRun; done: Promise<ConformanceRun> }> {
    if (this.current) return this.current;
    const rules = o.rules?.length ? selectRules(o.rules).map((r) => r.id) : null; // throws on unknown ids
    const em = this.opts.db.orm.em.fork();
    const run = em.create(ConformanceRun, { scope: o.scope ?? null, rules, trigger: o.trigger ?? 'api' });
    await em.persist(run).flush();
    const abort = new AbortController();
    const done = this.execute(run.id, abort.signal).finally(() => (this.current = null));
    this.current = { run, done, abort };
    return { run, done };
  }

  /** Stops a run in progress (shutdown). */
  async stop(): Promise<void> {
    const c = this.current;
    if (!c) return;
    c.abort.abort(new Error('gateway shutting down'));
    await c.done.catch(() => undefined);
  }

  private async execute(runId: string, signal: AbortSignal): Promise<ConformanceRun> {
    const em = this.opts.db.orm.em.fork();
    const run = await em.findOneOrFail(ConformanceRun, runId);
    try {
      const input = await this.opts.input({ signal });
      const result = await runChecks(input, { rules: run.rules ?? undefined, scope: run.scope ?? undefined, probe: this.opts.prober?.(input) });
      for (const f of result.findings) em.persist(em.create(ConformanceFinding, { runId, ...f }));
      run.outcomes = result.outcomes;
      run.basis = input.basis ? { ...input.basis, harvestedAt: { ...input.basis.harvestedAt } } : null;
      run.findingCount = result.findings.length;
      run.status = 'succeeded';
    } catch (e) {
      run.status = 'failed';
      run.error = (e as Error).message;
      this.opts.logger?.warn('conformance run failed', { run: runId, error: run.error });
    }
    run.finishedAt = new Date();
    await em.flush();
    return run;
  }

  async run(id: string): Promise<ConformanceRun | null> {
    return this.opts.db.orm.em.fork().findOne(ConformanceRun, id);
  }

  /** The newest succeeded run whose scope and rules cover the question. */
  async latestRun(scope?: string | null, rules?: readonly string[] | null): Promise<ConformanceRun | null> {
    const runs = await this.opts.db.orm.em.fork().find(ConformanceRun, { status: 'succeeded' }, { orderBy: { startedAt: 'desc' }, limit: 50 });
    return runs.find((r) => covers(r, scope, rules)) ?? null;
  }

  async findings(runId: string, f: { scope?: string | null; rules?: readonly string[] | null; severities?: readonly Severity[] | null } = {}): Promise<StoredFinding[]> {
    const where: Record<string, unknown> = { runId };
    if (f.rules?.length) where.rule = { $in: selectRules(f.rules).map((r) => r.id) };
    if (f.severities?.length) where.severity = { $in: [...f.severities] };
    if (f.scope) where.ars = { $like: `${f.scope}%` };
    const rows = await this.opts.db.orm.em.fork().find(ConformanceFinding, where, { orderBy: { rule: 'asc', subject: 'asc' } });
    return rows.map(toFinding);
  }

  /** Findings opened and closed from each succeeded run to the one before it (newest first), within `scope`. */
  async history(scope?: string | null, last = 10): Promise<HistoryEntry[]> {
    const em = this.opts.db.orm.em.fork();
    const runs = (await em.find(ConformanceRun, { status: 'succeeded' }, { orderBy: { startedAt: 'desc' }, limit: 200 })).filter((r) => covers(r, scope, null) || covers(r, scope, r.rules));
    const out: HistoryEntry[] = [];
    for (let i = 0; i < runs.length && out.length < last; i++) {
      const run = runs[i];
      const previous = runs.slice(i + 1).find((p) => comparable(p, run)) ?? null;
      const now = (await this.findings(run.id, { scope })).filter((f) => inScope(f.ars, scope ?? undefined));
      const before = previous ? await this.findings(previous.id, { scope }) : [];
      const rulesOfRun = new Set(evaluatedRules(run));
      const comparableBefore = before.filter((f) => rulesOfRun.has(f.rule));
      const id = (f: StoredFinding) => `${f.rule}\u0000${f.subject}`;
      const beforeIds = new Set(comparableBefore.map(id));
      const nowIds = new Set(now.map(id));
      out.push({
        run,
        previous,
        opened: now.filter((f) => !beforeIds.has(id(f))),
        closed: previous ? comparableBefore.filter((f) => !nowIds.has(id(f)) && evaluatedRules(previous).includes(f.rule)) : [],
      });
    }
    return out;
  }
}

const evaluatedRules = (r: ConformanceRun) => (r.outcomes ?? []).filter((o) => o.status === 'evaluated').map((o) => o.rule);

/** Does the run cover the area and rules asked about? */
function covers(r: ConformanceRun, scope?: string | null, rules?: readonly string[] | null): boolean {
  if (r.scope && !(scope ?? '').startsWith(r.scope)) return false;
  if (rules?.length && r.rules && !rules.every((x) => r.rules!.some((y) => y.toUpperCase() === x.toUpperCase()))) return false;
  return true;
}

/** Two runs compare when the earlier one covered the later one's area. */
const comparable = (earlier: ConformanceRun, later: ConformanceRun) => !earlier.scope || (later.scope ?? '').startsWith(earlier.scope);

import { buildIndex } from './indexes';
import type { ConformanceInput } from './input';
import type { Prober } from './probes';
import { RULES } from './rules';
import { SEVERITY_RANK, type Finding, type Rule, type RuleOutcome, type Severity } from './types';

export interface RunOptions {
  /** Rule ids to run (default: all). Unknown ids throw, naming the known ones. */
  rules?: readonly string[];
  /** ARS prefix (2..12 digits): only findings in that area. */
  scope?: string;
  severities?: readonly Severity[];
  probe?: Prober;
  onRule?: (rule: Rule, index: number, total: number) => void;
}

export interface CheckResult {
  findings: Finding[];
  outcomes: RuleOutcome[];
}

export class UnknownRuleError extends Error {
  constructor(readonly unknown: string[]) {
    super(`unknown rule id(s) ${unknown.join(', ')}; known: ${RULES.map((r) => r.id).join(', ')}`);
  }
}

export function selectRules(ids?: readonly string[]): Rule[] {
  if (!ids?.length) return [...RULES];
  const byId = new Map(RULES.map((r) => [r.id.toUpperCase(), r]));
  const unknown = ids.filter((id) => !byId.has(id.trim().toUpperCase()));
  if (unknown.length) throw new UnknownRuleError(unknown);
  return RULES.filter((r) => ids.some((id) => id.trim().toUpperCase() === r.id.toUpperCase()));
}

export const inScope = (ars: string, scope?: string) => !scope || ars.startsWith(scope);

/**
 * Runs the rules over one input. One finding per (rule, subject) — its identity across runs; a rule that cannot
 * run (missing input, probes off) is reported `not-evaluated`, never as passed.
 */
export async function runChecks(input: ConformanceInput, opts: RunOptions = {}): Promise<CheckResult> {
  const rules = selectRules(opts.rules);
  const ix = buildIndex(input);
  const findings: Finding[] = [];
  const outcomes: RuleOutcome[] = [];
  for (const [i, rule] of rules.entries()) {
    opts.onRule?.(rule, i, rules.length);
    const res = await rule.check({ input, ix, probe: opts.probe });
    if (!Array.isArray(res)) {
      outcomes.push({ rule: rule.id, status: 'not-evaluated', reason: res.notEvaluated, findings: 0 });
      continue;
    }
    const bySubject = new Map<string, Finding>();
    for (const d of res) {
      if (bySubject.has(d.subject)) continue;
      const f: Finding = { rule: rule.id, upstream: rule.upstream, subject: d.subject, severity: d.severity ?? rule.severity, message: d.message, evidence: d.evidence, ars: d.ars ?? '16' };
      if (!inScope(f.ars, opts.scope)) continue;
      if (opts.severities?.length && !opts.severities.includes(f.severity)) continue;
      bySubject.set(d.subject, f);
    }
    findings.push(...bySubject.values());
    outcomes.push({ rule: rule.id, status: 'evaluated', reason: null, findings: bySubject.size });
  }
  findings.sort(compareFindings);
  return { findings, outcomes };
}

export function compareFindings(a: Pick<Finding, 'rule' | 'subject'>, b: Pick<Finding, 'rule' | 'subject'>): number {
  const ra = RULES.findIndex((r) => r.id === a.rule);
  const rb = RULES.findIndex((r) => r.id === b.rule);
  return ra - rb || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0);
}

/** Does any finding reach the threshold (`--fail-on`)? */
export function failsAt(findings: readonly Pick<Finding, 'severity'>[], threshold: Severity | 'never'): boolean {
  if (threshold === 'never') return false;
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]);
}

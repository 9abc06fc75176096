import type { UpstreamName } from '../upstreams/runtime/names';
import type { ConformanceInput } from './input';
import type { InputIndex } from './indexes';
import type { Prober } from './probes';

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** What a rule's subject is (docs/conformance-rules.md): a place, a district, or one upstream record. */
export type RuleScope = 'municipality' | 'district' | 'record';

/** One result of a rule: identity across runs is (rule, subject). */
export interface Finding {
  rule: string;
  subject: string;
  severity: Severity;
  message: string;
  /** The failing values and where they were read (JSON). D-rule evidence is for integrators only. */
  evidence: Record<string, unknown>;
  upstream: UpstreamName;
  /** Most specific ARS the subject belongs to (`16` = Land-wide or unknown within Thüringen): the scope filter. */
  ars: string;
}

export type FindingDraft = Omit<Finding, 'rule' | 'upstream' | 'severity' | 'ars'> & { severity?: Severity; ars?: string };

export interface RuleContext {
  input: ConformanceInput;
  ix: InputIndex;
  /** Live probes (links, coupling resolution); undefined when probes are off: net rules then report not-evaluated. */
  probe?: Prober;
}

export type RuleResult = FindingDraft[] | { notEvaluated: string };

export interface Rule {
  id: string;
  /** Default severity; a finding may lower it (e.g. D-3 "exists but not valid" is a warning). */
  severity: Severity;
  scope: RuleScope;
  upstream: UpstreamName;
  title: string;
  /** What is checked, and its origin: the standard or convention it cites ([published]/[adopted]). */
  description: string;
  source: string;
  /** Needs live probes (*net* in the catalogue). */
  net?: boolean;
  /** Null when the input lacks the data the rule needs (reported as not-evaluated with this reason). */
  check(ctx: RuleContext): RuleResult | Promise<RuleResult>;
}

export interface RuleOutcome {
  rule: string;
  status: 'evaluated' | 'not-evaluated';
  reason: string | null;
  findings: number;
}

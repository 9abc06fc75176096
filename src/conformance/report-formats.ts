import type JunitBuilder from 'junit-report-builder';
import { SEVERITY_RANK, type Severity } from './types';

/** A finding as the CLI reports it (from the GraphQL answer). */
export interface ReportFinding {
  rule: string;
  subject: string;
  severity: Severity;
  message: string;
  evidence: Record<string, unknown> | null;
  upstream: string;
  ars: string;
}

export interface ReportRule {
  id: string;
  title: string;
  source: string;
  /** evaluated | not-evaluated (with the reason) */
  status: string;
  reason: string | null;
}

/** Which data the findings rest on (ConformanceInput.basis as the gateway reports it). */
export interface ReportBasis {
  source: string;
  snapshotId: number | null;
  /** When the harvest snapshot was completed (ISO 8601), null for a live collection. */
  snapshotAsOf: string | null;
  live: string[];
}

export interface Report {
  run: { id: string; startedAt: string; finishedAt: string | null; scope: string | null; rules: string[] | null; basis: ReportBasis | null };
  gateway: string;
  rules: ReportRule[];
  findings: ReportFinding[];
}

export const summary = (findings: readonly ReportFinding[]) => ({
  error: findings.filter((f) => f.severity === 'error').length,
  warning: findings.filter((f) => f.severity === 'warning').length,
  info: findings.filter((f) => f.severity === 'info').length,
});

export function toJson(r: Report): string {
  return JSON.stringify({ run: r.run, gateway: r.gateway, summary: summary(r.findings), rules: r.rules, findings: r.findings }, null, 2) + '\n';
}

/**
 * JUnit XML as GitLab CI and Jenkins read it: one `testsuite` per rule, one `testcase` per subject with a `failure`
 * (message; evidence as the failure text). A rule without findings is one passing case; a rule that could not be
 * evaluated is a skipped case, so it never looks like a pass.
 */
export function toJunit(r: Report): string {
  // 25 000 lines (lodash and xmlbuilder inlined) that only `--format junit` needs: loaded here, not with every
  // start of the CLI, `serve` included (issue 15 P7).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const junit = require('junit-report-builder') as typeof JunitBuilder;
  const builder = junit.newBuilder().name(`thuegate conformance${r.run.scope ? ` ${r.run.scope}` : ''}`);
  for (const rule of r.rules) {
    const suite = builder.testSuite().name(`${rule.id} ${rule.title}`).property('rule', rule.id).property('source', rule.source);
    if (r.run.basis) suite.property('basis', basisLine(r.run.basis));
    const findings = r.findings.filter((f) => f.rule === rule.id);
    if (rule.status !== 'evaluated') {
      suite.testCase().className(rule.id).name('not evaluated').skipped().standardOutput(rule.reason ?? 'not evaluated');
      continue;
    }
    if (!findings.length) suite.testCase().className(rule.id).name('all subjects conform');
    for (const f of findings) {
      suite
        .testCase()
        .className(rule.id)
        .name(f.subject)
        .failure(`[${f.severity}] ${f.message}`, f.severity)
        .stacktrace(f.evidence ? JSON.stringify(f.evidence, null, 2) : 'evidence withheld (needs the integrator role)');
    }
  }
  return builder.build() + '\n';
}

export function toText(r: Report): string {
  const lines = [`thuegate conformance run ${r.run.id} (${r.run.scope ?? 'Thüringen'}) against ${r.gateway}`];
  if (r.run.basis) lines.push(`data: ${basisLine(r.run.basis)}`);
  const sorted = [...r.findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.subject < b.subject ? -1 : 1));
  for (const f of sorted) lines.push(`${f.severity.toUpperCase().padEnd(7)} ${f.rule.padEnd(5)} ${f.subject}  ${f.message}`);
  for (const rule of r.rules.filter((x) => x.status !== 'evaluated')) lines.push(`SKIPPED ${rule.id.padEnd(5)} ${rule.reason ?? ''}`);
  const s = summary(r.findings);
  lines.push(`${r.findings.length} finding(s): ${s.error} error, ${s.warning} warning, ${s.info} info; ${r.rules.length} rule(s) run`);
  return lines.join('\n') + '\n';
}

/** "harvest snapshot 12 as of 2026-12-02T07:40:00.000Z (+ live: …)" — the line every report carries. */
export function basisLine(b: ReportBasis): string {
  const head = b.source === 'snapshot' ? `harvest snapshot ${b.snapshotId} as of ${b.snapshotAsOf}` : 'live upstream reads (no harvest snapshot)';
  return b.source === 'snapshot' && b.live.length ? `${head}; read live: ${b.live.map((l) => l.split(':')[0]).join(', ')}` : head;
}

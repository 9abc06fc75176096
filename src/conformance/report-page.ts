import { Router, type Request, type Response } from 'express';
import { chartLibs } from '../reports/chart-libs';
import { municipalityDirectory } from '../reference/municipalities';
import { REPORT_CSS } from '../reports/availability-page';
import { escapeHtml, formatAsOf, formatCount } from '../reports/format';
import { isArs } from '../reference/municipalities';
import type { Role } from '../schema/context';
import { hasRole } from '../schema/auth-checker';
import { RULES } from './rules';
import type { ConformanceService, StoredFinding } from './service';
import { SEVERITIES } from './types';

const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const LAND = '16';

export interface ConformancePageData {
  runId: string;
  finishedAt: Date;
  scope: string | null;
  findings: StoredFinding[];
  /** May the reader see DVDV (D-rule) evidence? */
  integrator: boolean;
}

/** Findings per district (Kreis, first 5 ARS digits); Land-wide subjects (geo records, services) in their own bar. */
export function findingsPerDistrict(findings: readonly StoredFinding[]): { ars: string; name: string; count: number }[] {
  const names = new Map(municipalityDirectory().districts().map((d) => [d.ars.slice(0, 5), d.name]));
  const counts = new Map<string, number>();
  for (const f of findings) {
    const key = f.ars.length >= 5 ? f.ars.slice(0, 5) : LAND;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([ars, count]) => ({ ars, name: ars === LAND ? 'Thüringen (Land-wide)' : (names.get(ars) ?? ars), count })).sort((a, b) => b.count - a.count || a.ars.localeCompare(b.ars));
}

function chartSvg(rows: { ars: string; name: string; count: number }[]): string {
  const { Plot, JSDOM } = chartLibs();
  const dom = new JSDOM('');
  try {
    const svg = Plot.plot({
      document: dom.window.document,
      width: 760,
      height: 40 + Math.max(rows.length, 1) * 24 + 40,
      marginLeft: 200,
      marginRight: 50,
      x: { label: 'Findings', grid: true, labelArrow: 'none' },
      y: { domain: rows.map((r) => r.ars), tickFormat: (a: string) => rows.find((r) => r.ars === a)?.name ?? a, label: null, padding: 0.2 },
      marks: [Plot.barX(rows, { x: 'count', y: 'ars', fill: '#1d4f7a' }), Plot.text(rows, { x: 'count', y: 'ars', text: (r: { count: number }) => formatCount(r.count), dx: 6, textAnchor: 'start', fill: '#1a1a1a' }), Plot.ruleX([0])],
    }) as unknown as SVGSVGElement;
    svg.querySelector('style')?.remove(); // no inline style under the page's CSP
    for (const g of svg.querySelectorAll('[aria-label]')) g.removeAttribute('aria-label');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Findings per district: ${rows.map((r) => `${r.name} ${r.count}`).join('; ')}`);
    return svg.outerHTML;
  } finally {
    dom.window.close();
  }
}

/** The offline HTML report: counts per rule and severity, a chart per district, the findings with evidence. */
export function renderConformancePage(d: ConformancePageData): string {
  const perRule = RULES.map((r) => ({ r, counts: SEVERITIES.map((s) => d.findings.filter((f) => f.rule === r.id && f.severity === s).length) })).filter((x) => x.counts.some((c) => c > 0));
  const total = SEVERITIES.map((s) => d.findings.filter((f) => f.severity === s).length);
  const evidence = (f: StoredFinding) => (f.rule.startsWith('D-') && !d.integrator ? '<span class="note">withheld (integrator role)</span>' : `<code>${escapeHtml(JSON.stringify(f.evidence))}</code>`);
  const scopeText = d.scope ? `area ${d.scope}` : 'all of Thüringen';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conformance report – ${escapeHtml(scopeText)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/reports/conformance.css"></head>
<body><main>
<h1>Conformance report</h1>
<p class="facts">Run <code>${escapeHtml(d.runId)}</code> · finished ${escapeHtml(formatAsOf(d.finishedAt))} · ${escapeHtml(scopeText)} · ${formatCount(d.findings.length)} findings (${total.map((n, i) => `${n} ${SEVERITIES[i]}`).join(', ')})</p>
<p class="note">Rules: docs/conformance-rules.md (INSPIRE ETS, GDI-DE, XZuFi, DVDV). A finding keeps its identity across runs by rule and subject.</p>
<h2>Findings per rule and severity</h2>
<div class="table-scroll" tabindex="0"><table><caption>Findings per rule</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Title</th>${SEVERITIES.map((s) => `<th scope="col" class="num">${s}</th>`).join('')}</tr></thead>
<tbody>${perRule.map(({ r, counts }) => `<tr><th scope="row">${escapeHtml(r.id)}</th><td>${escapeHtml(r.title)}</td>${counts.map((c) => `<td class="num">${c}</td>`).join('')}</tr>`).join('\n')}</tbody>
<tfoot><tr><th scope="row">Total</th><td></td>${total.map((c) => `<td class="num">${c}</td>`).join('')}</tr></tfoot></table></div>
<h2>Findings per district</h2>
<figure>${chartSvg(findingsPerDistrict(d.findings))}</figure>
<h2>Findings</h2>
<div class="table-scroll" tabindex="0"><table><caption>All findings with evidence</caption>
<thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Subject</th><th scope="col">Message</th><th scope="col">Evidence</th></tr></thead>
<tbody>${d.findings.map((f) => `<tr><td>${f.severity}</td><td>${escapeHtml(f.rule)}</td><td><code>${escapeHtml(f.subject)}</code></td><td>${escapeHtml(f.message)}</td><td>${evidence(f)}</td></tr>`).join('\n')}</tbody></table></div>
</main></body></html>
`;
}

/** `GET /reports/conformance?scope=ARS`: the newest finished run covering the scope, as one offline page. */
export function createConformanceReportRouter(service: ConformanceService, roleOf: (req: Request) => Promise<Role>): Router {
  const router = Router();
  router.get('/reports/conformance.css', (_req, res) => void res.setHeader('Cache-Control', 'public, max-age=3600').type('text/css; charset=utf-8').send(REPORT_CSS));
  router.get('/reports/conformance', async (req: Request, res: Response, next) => {
    try {
      const scope = typeof req.query.scope === 'string' && req.query.scope !== '' ? req.query.scope : null;
      if (scope !== null && !isArs(scope)) {
        res.status(400).json({ errors: [{ message: `Parameter "scope": expected an ARS of 2, 3, 5, 9 or 12 digits, got ${JSON.stringify(scope)}`, extensions: { code: 'BAD_USER_INPUT' } }] });
        return;
      }
      const role = await roleOf(req);
      const run = await service.latestRun(scope);
      if (!run?.finishedAt) {
        res.status(404).json({ errors: [{ message: 'No finished conformance run covers this scope yet', extensions: { code: 'NOT_FOUND' } }] });
        return;
      }
      const findings = await service.findings(run.id, { scope });
      res.setHeader('Content-Security-Policy', PAGE_CSP);
      res.setHeader('Cache-Control', 'private, no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.type('text/html; charset=utf-8').send(renderConformancePage({ runId: run.id, finishedAt: run.finishedAt, scope, findings, integrator: hasRole(role, 'integrator') }));
    } catch (e) {
      next(e);
    }
  });
  return router;
}

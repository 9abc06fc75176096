import type { AvailabilityCount, AvailabilityReport } from '../availability/types';
import { renderAvailabilitySvg } from './availability-svg';
import {
  SIZE_CLASS_LABEL,
  SIZE_CLASS_ORDER,
  districtsInChartOrder,
  escapeHtml as h,
  formatAsOf,
  formatCount,
  formatShare,
  scopeLabel,
  serviceLabel,
} from './format';

/** Where the page finds its stylesheet, relative to the page (both live under /reports/). */
export const REPORT_STYLESHEET = 'report.css';

/**
 * The page's only style, served as a file: the report CSP allows styles from 'self' and nothing inline.
 * Colours keep WCAG 2.1 AA contrast on white (#1a1a1a text 17:1, #0b4f8a links 8:1, #555 notes 7.5:1).
 */
export const REPORT_CSS = `*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff; line-height: 1.45; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid #8a8a8a; padding-bottom: 0.2rem; }
a { color: #0b4f8a; }
a:focus-visible { outline: 3px solid #0b4f8a; outline-offset: 2px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.facts { margin: 0.25rem 0; }
.note, footer { color: #555; font-size: 0.9rem; }
figure { margin: 1rem 0; }
figure svg { display: block; width: 100%; max-width: 760px; height: auto; }
figure svg text, figure svg tspan { white-space: pre; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; min-width: 24rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #8a8a8a; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef4; }
tfoot th, tfoot td { font-weight: 600; background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-scroll { overflow-x: auto; }
.table-scroll:focus-visible { outline: 3px solid #0b4f8a; }
`;

/**
 * The availability report as one HTML page (issue 11, deliver 5): the chart, its table alternative, the
 * size-class table and the municipalities without the service. No script, no external resource.
 * English UI; German administrative terms are marked lang="de" (WCAG 3.1.2).
 */
export function renderAvailabilityPage(report: AvailabilityReport): string {
  const service = serviceLabel(report);
  const scope = scopeLabel(report);
  const query = `leikaKey=${encodeURIComponent(report.leikaKey)}${report.scopeArs ? `&scope=${encodeURIComponent(report.scopeArs)}` : ''}`;
  const districtName = new Map(report.byDistrict.map((d) => [d.ars, d.name]));
  const de = (s: string) => `<span lang="de">${h(s)}</span>`;
  const num = (n: number) => `<td class="num">${formatCount(n)}</td>`;
  const shareCell = (c: AvailabilityCount) => `<td class="num">${h(formatShare(c))}</td>`;

  const districtRows = districtsInChartOrder(report)
    .map((d) => `<tr><th scope="row">${h(d.name)}</th><td><code>${h(d.ars)}</code></td>${num(d.online)}${num(d.total)}${shareCell(d)}</tr>`)
    .join('\n');
  const sizeRows = SIZE_CLASS_ORDER.map((sc) => report.bySizeClass.find((c) => c.sizeClass === sc))
    .filter((c) => c !== undefined)
    .map((c) => `<tr><th scope="row">${h(SIZE_CLASS_LABEL[c.sizeClass])} <code>${h(c.sizeClass)}</code></th>${num(c.online)}${num(c.total)}${shareCell(c)}</tr>`)
    .join('\n');
  const missingRows = report.missing
    .map(
      (m) =>
        `<tr><th scope="row">${h(m.name)}</th><td><code>${h(m.ars)}</code></td><td><code>${h(m.ags)}</code></td><td>${h(districtName.get(m.districtArs) ?? m.districtArs)}</td>${num(m.population)}</tr>`,
    )
    .join('\n');
  const totalRow = (cols: number) =>
    `<tfoot><tr><th scope="row"${cols > 1 ? ` colspan="${cols}"` : ''}>${h(scope)} total</th>${num(report.online)}${num(report.total)}${shareCell(report)}</tr></tfoot>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`Online availability: ${service} (${report.leikaKey}), ${scope} — thuegate`)}</title>
<link rel="stylesheet" href="${REPORT_STYLESHEET}">
</head>
<body>
<header><p class="note">thuegate · state-wide index (${de('Landesweiter Index')}) · reports</p></header>
<main>
<h1>Online availability of “${h(service)}”</h1>
<p class="facts">LeiKa key (${de('Leistungsschlüssel')}) <code>${h(report.leikaKey)}</code> · scope: ${h(scope)}${report.scopeArs ? ` (<abbr title="Amtlicher Regionalschlüssel" lang="de">ARS</abbr> <code>${h(report.scopeArs)}</code>)` : ''} · as of (${de('Stand')}) <time datetime="${h(report.asOf.toISOString())}">${h(formatAsOf(report.asOf))}</time></p>
<p class="facts"><strong>${formatCount(report.online)} of ${formatCount(report.total)}</strong> municipalities (${de('Gemeinden')}) offer this service online: <strong>${h(formatShare(report))}</strong>.</p>

<section aria-labelledby="by-district">
<h2 id="by-district">By district (${de('Landkreis / kreisfreie Stadt')})</h2>
<figure aria-labelledby="chart-caption">
${renderAvailabilitySvg(report)}
<figcaption id="chart-caption" class="note">Bar chart: share of municipalities per district offering the service online, labelled “online/total (share)”. The table below holds the same figures.</figcaption>
</figure>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="district-caption">
<table>
<caption id="district-caption">Online availability per district, ${h(scope)} (table of the chart above)</caption>
<thead><tr><th scope="col">District</th><th scope="col"><abbr title="Amtlicher Regionalschlüssel" lang="de">ARS</abbr></th><th scope="col" class="num">Online</th><th scope="col" class="num">Municipalities</th><th scope="col" class="num">Share online</th></tr></thead>
<tbody>
${districtRows}
</tbody>
${totalRow(2)}
</table>
</div>
</section>

<section aria-labelledby="by-size">
<h2 id="by-size">By size of municipality (${de('Gemeindegrößenklasse')})</h2>
<p class="note">Population (${de('Einwohner')}) from the shipped Destatis reference data; classes: under 1,000; 1,000 to 5,000 inclusive; over 5,000.</p>
<table>
<caption>Online availability by size class, ${h(scope)}</caption>
<thead><tr><th scope="col">Size class</th><th scope="col" class="num">Online</th><th scope="col" class="num">Municipalities</th><th scope="col" class="num">Share online</th></tr></thead>
<tbody>
${sizeRows}
</tbody>
${totalRow(1)}
</table>
</section>

<section aria-labelledby="missing">
<h2 id="missing">Municipalities without the online service (${formatCount(report.missing.length)})</h2>
${
  report.missing.length
    ? `<div class="table-scroll" tabindex="0" role="region" aria-labelledby="missing-caption">
<table>
<caption id="missing-caption">${formatCount(report.missing.length)} municipalities in ${h(scope)} that do not offer “${h(service)}” online, by ARS</caption>
<thead><tr><th scope="col">Municipality</th><th scope="col"><abbr title="Amtlicher Regionalschlüssel" lang="de">ARS</abbr></th><th scope="col"><abbr title="Amtlicher Gemeindeschlüssel" lang="de">AGS</abbr></th><th scope="col">District</th><th scope="col" class="num">Population</th></tr></thead>
<tbody>
${missingRows}
</tbody>
</table>
</div>`
    : '<p>None: every municipality in scope offers the service online.</p>'
}
</section>

<section aria-labelledby="downloads">
<h2 id="downloads">Downloads</h2>
<ul>
<li><a href="availability.csv?${h(query)}">All municipalities as CSV</a> (one row per municipality, column <code>online</code>)</li>
<li><a href="availability.svg?${h(query)}">The chart as SVG</a></li>
</ul>
</section>
</main>
<footer><p>Derived from the latest harvest snapshot of the public portal data (PVOG, ThAVEL) as of ${h(formatAsOf(report.asOf))}. A municipality counts as online when its digital offer lists the LeiKa key.</p></footer>
</body>
</html>
`;
}

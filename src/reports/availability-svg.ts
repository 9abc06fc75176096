import type { AvailabilityReport } from '../availability/types';
import { chartLibs } from './chart-libs';
import { countLabel, districtsInChartOrder, formatAsOf, formatShare, scopeLabel, serviceLabel } from './format';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 760;
const HEADER = 92; // room above the plot area for the three heading lines
const ROW = 26;
/** #1d4f7a on white is 8.6:1, far above the 3:1 WCAG 1.4.11 asks of graphical objects. */
const BAR_FILL = '#1d4f7a';
const TEXT_FILL = '#1a1a1a';
const MAX_HEADING_CHARS = 90;

/**
 * Coverage per district as a horizontal bar chart, one self-contained SVG document (issue 11, deliver 5).
 * Rendered by Observable Plot into a throwaway jsdom document; the markup uses presentation attributes only,
 * so it renders under a CSP without 'unsafe-inline' styles, both inline in the report page and on its own.
 */
export function renderAvailabilitySvg(report: AvailabilityReport): string {
  const { Plot, JSDOM } = chartLibs();
  const dom = new JSDOM('');
  try {
    const { document } = dom.window;
    const rows = districtsInChartOrder(report);
    const nameOf = new Map(rows.map((d) => [d.ars, d.name]));
    const title = `Online availability per district, ${scopeLabel(report)}`;
    const service = serviceLabel(report);
    const facts = `LeiKa key ${report.leikaKey} · as of ${formatAsOf(report.asOf)} · ${report.online} of ${report.total} municipalities online (${formatShare(report)})`;

    const svg = Plot.plot({
      document,
      width: WIDTH,
      height: HEADER + Math.max(rows.length, 1) * ROW + 46,
      marginTop: HEADER,
      marginLeft: 190,
      marginRight: 130,
      marginBottom: 46,
      x: {
        domain: [0, 100],
        ticks: [0, 20, 40, 60, 80, 100],
        tickFormat: (v: number) => `${v} %`,
        grid: true,
        label: 'Share of municipalities (Gemeinden) with the service online',
        labelAnchor: 'center',
        labelArrow: 'none',
      },
      y: { domain: rows.map((d) => d.ars), tickFormat: (ars: string) => nameOf.get(ars) ?? ars, label: null, padding: 0.2 },
      marks: [
        Plot.barX(rows, { x: (d) => d.share * 100, y: 'ars', fill: BAR_FILL }),
        Plot.text(rows, { x: (d) => d.share * 100, y: 'ars', text: countLabel, dx: 6, textAnchor: 'start', fill: TEXT_FILL }),
        Plot.ruleX([0], { stroke: TEXT_FILL }),
      ],
    }) as unknown as SVGSVGElement;

    // Plot adds a <style> element (display/max-width only); an inline style would need 'unsafe-inline' in the CSP.
    svg.querySelector('style')?.remove();
    // Plot names its mark groups with aria-label, which ARIA prohibits on a <g> without a role (axe-core:
    // aria-prohibited-attr); inside role="img" they are not exposed anyway. Keep the names as data-mark.
    for (const g of svg.querySelectorAll('[aria-label]')) {
      g.setAttribute('data-mark', g.getAttribute('aria-label')!);
      g.removeAttribute('aria-label');
    }
    svg.setAttribute('font-size', '12');
    svg.setAttribute('color', TEXT_FILL);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${title}. ${service}. ${facts}.`);

    const el = (name: string, attrs: Record<string, string | number> = {}, text?: string) => {
      const e = document.createElementNS(SVG_NS, name);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const desc = rows.length
      ? `Horizontal bars, one per district, length = share of its municipalities offering the service online. ${rows
          .map((d) => `${d.name}: ${countLabel(d)}`)
          .join('; ')}.`
      : 'No municipalities in this scope.';
    svg.prepend(el('title', {}, `${title}: ${service} (LeiKa key ${report.leikaKey})`), el('desc', {}, desc));

    const heading = el('g', { 'text-anchor': 'start', fill: TEXT_FILL });
    heading.append(
      el('text', { x: 8, y: 24, 'font-size': 18, 'font-weight': 'bold' }, title),
      el('text', { x: 8, y: 48, 'font-size': 14 }, ellipsis(service, MAX_HEADING_CHARS)),
      el('text', { x: 8, y: 70, 'font-size': 13 }, facts),
    );
    svg.append(heading);
    if (!rows.length) svg.append(el('text', { x: WIDTH / 2, y: HEADER + ROW / 2 + 4, fill: TEXT_FILL }, 'No municipalities in this scope.'));

    return new dom.window.XMLSerializer().serializeToString(svg);
  } finally {
    dom.window.close();
  }
}

function ellipsis(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { renderAvailabilitySvg } from '../../src/reports/availability-svg';
import { EWA_KEY, buildReport, referenceMunicipalities, worldOnlineSet } from './fixture';

/** Parses the SVG as the XML document a browser gets at /reports/availability.svg. */
function parseSvg(svg: string) {
  const doc = new new JSDOM('').window.DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  const root = doc.documentElement;
  const group = (label: string) => [...root.querySelectorAll(`g[data-mark="${label}"] > *`)];
  return { root, group, texts: [...root.querySelectorAll('text')].map((t) => t.textContent ?? '') };
}

/** Expected per district, counted here from data/thueringen-gemeinden.csv and the world's eWA areas. */
function expectedDistricts() {
  const online = worldOnlineSet(EWA_KEY);
  const byDistrict = new Map<string, { name: string; total: number; online: number }>();
  for (const m of referenceMunicipalities()) {
    const d = byDistrict.get(m.districtArs) ?? byDistrict.set(m.districtArs, { name: m.districtName, total: 0, online: 0 }).get(m.districtArs)!;
    d.total++;
    if (online.has(m.ars)) d.online++;
  }
  return [...byDistrict.values()];
}

const translateX = (el: Element) => Number(/translate\(([-\d.]+)/.exec(el.getAttribute('transform') ?? '')![1]);

describe('renderAvailabilitySvg', () => {
  const report = buildReport();
  const svg = renderAvailabilitySvg(report);

  it('labels every one of the 22 districts of Thüringen with "online/total (share %)"', () => {
    const { group } = parseSvg(svg);
    const districts = expectedDistricts();
    expect(districts).toHaveLength(22);
    expect(districts.reduce((s, d) => s + d.total, 0)).toBe(605);
    const yLabels = group('y-axis tick label').map((t) => t.textContent);
    const values = group('text').map((t) => t.textContent);
    expect(new Set(yLabels)).toEqual(new Set(districts.map((d) => d.name)));
    for (const d of districts) {
      const row = yLabels.indexOf(d.name);
      expect(values[row], d.name).toBe(`${d.online}/${d.total} (${((100 * d.online) / d.total).toFixed(1)} %)`);
    }
    // Erfurt is a kreisfreie Stadt of 1 municipality; Saale-Holzland-Kreis has 91 (Destatis 31.12.2024).
    expect(values[yLabels.indexOf('Saale-Holzland-Kreis')]).toMatch(/^\d+\/91 /);
  });

  it('draws bar lengths proportional to the share on a 0 %–100 % axis', () => {
    const { group } = parseSvg(svg);
    const ticks = group('x-axis tick label');
    expect(ticks.map((t) => t.textContent)).toEqual(['0 %', '20 %', '40 %', '60 %', '80 %', '100 %']);
    const x0 = translateX(ticks[0]);
    const x100 = translateX(ticks[5]);
    const bars = group('bar');
    const values = group('text').map((t) => t.textContent!);
    expect(bars).toHaveLength(22);
    bars.forEach((bar, i) => {
      const [, online, total] = /^(\d+)\/(\d+)/.exec(values[i])!.map(Number);
      expect(Number(bar.getAttribute('x'))).toBeCloseTo(x0, 5);
      expect(Number(bar.getAttribute('width')) / (x100 - x0)).toBeCloseTo(online / total, 3);
    });
  });

  it('shows title, service name, LeiKa key and as-of date, with <title>, <desc>, role="img" and aria-label', () => {
    const { root, texts } = parseSvg(svg);
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(root.getAttribute('role')).toBe('img');
    expect(root.firstElementChild?.tagName).toBe('title');
    expect(root.querySelector('title')?.textContent).toContain('Wohnsitz anmelden');
    expect(root.querySelector('desc')?.textContent).toContain('Saale-Orla-Kreis:');
    expect(root.getAttribute('aria-label')).toContain(EWA_KEY);
    expect(texts).toContain('Online availability per district, Thüringen');
    expect(texts).toContain('[Sandbox] Wohnsitz anmelden (Anmeldung)');
    const online = worldOnlineSet(EWA_KEY);
    const n = referenceMunicipalities().filter((m) => online.has(m.ars)).length;
    expect(texts).toContain(`LeiKa key ${EWA_KEY} · as of 2026-11-01 06:00 UTC · ${n} of 605 municipalities online (${((100 * n) / 605).toFixed(1)} %)`);
  });

  it('needs no inline style (CSP) and keeps markup in names as text', () => {
    expect(svg).not.toMatch(/<style|style=|<script|<foreignObject/i);
    const hostile = { ...report, serviceName: '<script>alert(1)</script> & "Wohngeld"' };
    const { root, texts } = parseSvg(renderAvailabilitySvg(hostile));
    expect(root.querySelector('script')).toBeNull();
    expect(texts).toContain('<script>alert(1)</script> & "Wohngeld"');
  });

  it('draws one bar for a district scope', () => {
    const { group, texts } = parseSvg(renderAvailabilitySvg(buildReport(EWA_KEY, '16070')));
    expect(group('bar')).toHaveLength(1);
    expect(group('y-axis tick label').map((t) => t.textContent)).toEqual(['Ilm-Kreis']);
    expect(texts).toContain('Online availability per district, Ilm-Kreis');
  });
});

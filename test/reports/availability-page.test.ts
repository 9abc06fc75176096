import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { renderAvailabilityPage } from '../../src/reports/availability-page';
import { EWA_KEY, buildReport, referenceMunicipalities, worldOnlineSet } from './fixture';

const parse = (html: string) => new JSDOM(html).window.document;
const cells = (row: Element) => [...row.children].map((c) => c.textContent!.trim());
const pct = (online: number, total: number) => `${((100 * online) / total).toFixed(1)} %`;

describe('renderAvailabilityPage', () => {
  const report = buildReport();
  const html = renderAvailabilityPage(report);
  const doc = parse(html);
  const online = worldOnlineSet(EWA_KEY);
  const ref = referenceMunicipalities();
  const table = (captionStart: string) => {
    const t = [...doc.querySelectorAll('table')].find((x) => x.querySelector('caption')?.textContent?.startsWith(captionStart));
    expect(t, `table captioned "${captionStart}…"`).toBeDefined();
    return t!;
  };

  it('is an English page with one h1, section headings, the chart and a table alternative per district', () => {
    expect(doc.documentElement.lang).toBe('en');
    expect(doc.querySelectorAll('h1')).toHaveLength(1);
    expect([...doc.querySelectorAll('h2')].map((x) => x.textContent)).toEqual([
      'By district (Landkreis / kreisfreie Stadt)',
      'By size of municipality (Gemeindegrößenklasse)',
      `Municipalities without the online service (${605 - ref.filter((m) => online.has(m.ars)).length})`,
      'Downloads',
    ]);
    expect(doc.querySelector('figure svg[role="img"]')).not.toBeNull();
    const rows = [...table('Online availability per district').querySelectorAll('tbody tr')];
    expect(rows).toHaveLength(22);
    for (const row of rows) {
      expect(row.querySelector('th')?.getAttribute('scope')).toBe('row');
      const [name, ars, on, total, share] = cells(row);
      const ms = ref.filter((m) => m.districtArs === ars);
      expect(ms[0].districtName).toBe(name);
      expect([Number(on), Number(total.replace(',', ''))]).toEqual([ms.filter((m) => online.has(m.ars)).length, ms.length]);
      expect(share).toBe(pct(Number(on), ms.length));
    }
    for (const th of doc.querySelectorAll('thead th')) expect(th.getAttribute('scope')).toBe('col');
  });

  it('counts the size classes < 1,000, 1,000–5,000 inclusive and > 5,000 inhabitants', () => {
    const rows = [...table('Online availability by size class').querySelectorAll('tbody tr')].map(cells);
    const classes = [
      ['UNDER_1000', (p: number) => p < 1000],
      ['FROM_1000_TO_5000', (p: number) => p >= 1000 && p <= 5000],
      ['OVER_5000', (p: number) => p > 5000],
    ] as const;
    expect(rows).toHaveLength(3);
    classes.forEach(([code, inClass], i) => {
      const ms = ref.filter((m) => inClass(m.population));
      const n = ms.filter((m) => online.has(m.ars)).length;
      expect(rows[i][0]).toContain(code);
      expect(rows[i].slice(1)).toEqual([String(n), String(ms.length), pct(n, ms.length)]);
    });
    const n = ref.filter((m) => online.has(m.ars)).length;
    expect(cells(table('Online availability by size class').querySelector('tfoot tr')!).slice(1)).toEqual([String(n), '605', pct(n, 605)]);
  });

  it('lists exactly the municipalities without the service', () => {
    const missing = ref.filter((m) => !online.has(m.ars));
    const rows = [...table(`${missing.length} municipalities in Thüringen that do not offer`).querySelectorAll('tbody tr')];
    const listed = rows.map((r) => cells(r)[1]);
    expect(listed).toHaveLength(missing.length);
    expect(new Set(listed)).toEqual(new Set(missing.map((m) => m.ars)));
    // Name, ARS, AGS, district name, population, as in data/.
    const first = missing.sort((a, b) => a.ars.localeCompare(b.ars))[0];
    expect(cells(rows[0])).toEqual([first.name, first.ars, first.ags, first.districtName, first.population.toLocaleString('en-GB')]);
  });

  it('loads nothing from elsewhere and has no inline script or style', () => {
    expect(doc.querySelectorAll('script, style, [style]')).toHaveLength(0);
    expect(html).not.toMatch(/\son\w+=/i);
    const urls = [...doc.querySelectorAll('[href], [src]')].map((e) => e.getAttribute('href') ?? e.getAttribute('src'));
    expect(urls).toContain('report.css');
    for (const u of urls) expect(u).not.toMatch(/^(https?:)?\/\//);
  });

  it('escapes every text value', () => {
    const hostile = buildReport();
    hostile.serviceName = '<img src=x onerror=alert(1)> "Wohngeld" & Co';
    hostile.missing = [{ ...hostile.missing[0], name: '</td><script>x()</script>' }];
    const d = parse(renderAvailabilityPage(hostile));
    expect(d.querySelectorAll('script, img')).toHaveLength(0);
    expect(d.querySelector('h1')?.textContent).toBe('Online availability of “<img src=x onerror=alert(1)> "Wohngeld" & Co”');
    expect(d.querySelector('section[aria-labelledby="missing"] tbody th')?.textContent).toBe('</td><script>x()</script>');
  });
});

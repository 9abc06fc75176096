/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium, warnWithoutChromium } from '../helpers/chromium';
import { EWA_KEY, buildReport } from './fixture';
import { startReportsServer } from './server';

warnWithoutChromium('availability report browser test');
/** Where the screenshot goes for a person to look at; outside the repository. */
const SCREENSHOT = process.env.REPORT_SCREENSHOT ?? '/tmp/thuegate-availability-report.png';

interface AxeResult { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }

describe.skipIf(!haveChromium)('availability report page in headless Chromium, offline, under its CSP', () => {
  let srv: Awaited<ReturnType<typeof startReportsServer>>;
  let browser: Browser;

  beforeAll(async () => {
    srv = await startReportsServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
  });

  it('renders the labelled chart and the tables, needs no other origin, breaks no CSP rule, and axe-core finds no serious violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    const foreign: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(srv.url)) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const styles: string[] = [];
    page.on('response', (r) => r.request().resourceType() === 'stylesheet' && styles.push(`${r.status()} ${r.url()}`));

    await page.goto(`${srv.url}/reports/availability?leikaKey=${EWA_KEY}`);
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]); // a CSP violation is reported as a console error
    expect(styles).toEqual([`200 ${srv.url}/reports/report.css`]);
    // The stylesheet applied: captions are bold (browser default is normal).
    expect(await page.locator('caption').first().evaluate((c) => getComputedStyle(c).fontWeight)).toBe('600');

    // Every district name and value label is in the rendered SVG, laid out with a size and inside the drawing.
    const report = buildReport();
    const texts = await page.locator('figure svg').evaluate((svg) => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')].map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent!, w: r.width, inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1 };
      });
    });
    const shown = new Map(texts.map((t) => [t.text, t]));
    for (const d of report.byDistrict) {
      for (const label of [d.name, `${d.online}/${d.total} (${((100 * d.online) / d.total).toFixed(1)} %)`]) {
        expect(shown.get(label), label).toMatchObject({ inside: true });
        expect(shown.get(label)!.w, label).toBeGreaterThan(5);
      }
    }
    for (const label of ['Online availability per district, Thüringen', '[Sandbox] Wohnsitz anmelden (Anmeldung)', '0 %', '60 %', '100 %']) {
      expect(shown.get(label), label).toMatchObject({ inside: true });
    }
    expect(await page.getByRole('img', { name: /Online availability per district, Thüringen/ }).count()).toBe(1);

    // axe-core from node_modules, evaluated over the DevTools protocol (the page's CSP forbids injected scripts).
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const axe = (await page.evaluate(() =>
      (window as unknown as { axe: { run(ctx: Document, o: object): Promise<unknown> } }).axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      }),
    )) as AxeResult;
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)).toEqual([]);
    if (axe.violations.length) console.warn('axe-core, minor/moderate:', axe.violations.map((v) => `${v.impact} ${v.id}`).join(', '));

    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    await page.locator('figure').screenshot({ path: SCREENSHOT.replace(/\.png$/, '-chart.png') });
  });
});

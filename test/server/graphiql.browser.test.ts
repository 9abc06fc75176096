/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium, warnWithoutChromium } from '../helpers/chromium';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

warnWithoutChromium('graphiql browser test');

describe.skipIf(!haveChromium)('GraphiQL explorer at / in headless Chromium, offline', () => {
  let gw: TestGateway;
  let browser: Browser;
  const foreign: string[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });

  it('loads with no request leaving the gateway, runs a query and shows the answer', async () => {
    const page = await browser.newPage();
    const origin = new URL(gw.url).origin;
    // Any request to another origin would fail here anyway (no internet); recording it proves the page needs none.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));

    await page.goto(`${gw.url}/`);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20_000 });
    await page.evaluate(() => {
      const cm = (document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror;
      cm.setValue('{ municipality(ags: "16072011") { name district { name } } }');
    });
    await page.click('.graphiql-execute-button');
    const response = page.locator('.result-window');
    await expect.poll(async () => response.innerText(), { timeout: 15_000 }).toContain('Lauscha, Stadt');
    expect(await response.innerText()).toContain('Sonneberg');
    expect(foreign).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('loads the schema: Docs lists the root types and finds Municipality with its description; no error in the result pane', async () => {
    const page = await browser.newPage();
    const introspection: number[] = [];
    page.on('response', async (r) => {
      if (r.url().endsWith('/graphql') && r.request().postData()?.includes('__schema')) introspection.push(r.status());
    });
    await page.goto(`${gw.url}/`);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20_000 });
    await page.click('button[aria-label="Show Documentation Explorer"]');
    const docs = page.locator('.graphiql-doc-explorer');
    // "Error fetching schema" would stand here when the introspection query is refused (depth limit).
    await expect.poll(async () => docs.innerText(), { timeout: 15_000 }).toContain('Query');
    expect(await docs.innerText()).not.toMatch(/error/i);
    await page.fill('.graphiql-doc-explorer-search input', 'Municipality');
    const hit = page.locator('.graphiql-doc-explorer-search [role="option"]', { hasText: /^Municipality$/ }).first();
    await hit.waitFor({ timeout: 10_000 });
    await hit.click();
    await expect.poll(async () => page.locator('.graphiql-doc-explorer-title').innerText(), { timeout: 10_000 }).toBe('Municipality');
    expect(await docs.innerText()).toContain('Gemeinde: a politically independent municipality of Thüringen');
    expect(introspection).toEqual([200]);
    expect(await page.locator('.result-window').innerText()).not.toContain('exceeds the limit');
  });
});

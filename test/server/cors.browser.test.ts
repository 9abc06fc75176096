/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n*** CORS browser test SKIPPED: ${CHROMIUM} not found (apt-get install chromium) ***\n`);

/** A municipal portal page on its own origin that asks the gateway with fetch and shows what it got. */
const PORTAL_PAGE = `<!doctype html><html lang="en"><head><title>portal</title></head><body><p id="out">waiting</p><script>
  const gateway = new URLSearchParams(location.search).get('gateway');
  fetch(gateway + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ municipality(ags: "16072011") { name } }' }) })
    .then((r) => r.json())
    .then((j) => { document.getElementById('out').textContent = 'answer: ' + j.data.municipality.name; })
    .catch((e) => { document.getElementById('out').textContent = 'blocked: ' + e.name; });
</script></body></html>`;

async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(PORTAL_PAGE);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.skipIf(!haveChromium)('a browser page on another origin calling the gateway', () => {
  let gw: TestGateway;
  let browser: Browser;
  let allowed: Awaited<ReturnType<typeof pageServer>>;
  let other: Awaited<ReturnType<typeof pageServer>>;

  beforeAll(async () => {
    allowed = await pageServer();
    other = await pageServer();
    gw = await startTestGateway({ CORS_ORIGINS: allowed.origin });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    for (const s of [allowed?.server, other?.server]) await new Promise((r) => s?.close(r));
  });

  const outcome = async (origin: string) => {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/?gateway=${encodeURIComponent(gw.url)}`);
      const out = page.locator('#out');
      await expect.poll(() => out.innerText(), { timeout: 15_000 }).not.toBe('waiting');
      return await out.innerText();
    } finally {
      await page.close();
    }
  };

  it('gets the answer from an allowed origin', async () => {
    expect(await outcome(allowed.origin)).toBe('answer: Lauscha, Stadt');
    // Twice: the second answer comes from the response cache's fast path and must carry CORS headers too.
    expect(await outcome(allowed.origin)).toBe('answer: Lauscha, Stadt');
  });

  it('is blocked by the browser from an origin that is not on the list', async () => {
    expect(await outcome(other.origin)).toBe('blocked: TypeError');
  });
});

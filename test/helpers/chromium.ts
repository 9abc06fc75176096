import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** CI installs Debian's chromium (.ci/run); CHROMIUM_PATH points elsewhere on a developer machine. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** Without a browser the test is skipped, and says so loudly. */
export function warnWithoutChromium(test: string): void {
  if (!haveChromium) console.warn(`\n*** ${test} SKIPPED: ${CHROMIUM} not found (apt-get install chromium) ***\n`);
}

/** Headless, with everything that would phone home switched off: the tests prove the pages need no network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

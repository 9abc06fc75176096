import { describe, expect, it } from 'vitest';
import { buildReport } from './fixture';

/** Node's own module cache: vitest loads node_modules packages natively, so a loaded jsdom shows up here. */
const jsdomLoaded = () => Object.keys(require.cache).some((k) => /node_modules\/jsdom\//.test(k));

describe('chart libraries load with the first chart, not with the gateway (issue 15 P7)', { timeout: 180_000 }, () => {
  it('starting the gateway module graph loads no jsdom; the first chart loads it and renders', async () => {
    await import('../../src/server/gateway');
    expect(jsdomLoaded()).toBe(false);

    const { renderAvailabilitySvg } = await import('../../src/reports/availability-svg');
    const svg = renderAvailabilitySvg(buildReport());
    expect(jsdomLoaded()).toBe(true);
    expect(svg).toMatch(/^<svg[^>]* role="img"/);
    expect(svg).toContain('Online availability per district');
  });
});

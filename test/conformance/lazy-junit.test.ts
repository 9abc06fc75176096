import { describe, expect, it } from 'vitest';

/** Node's own module cache: vitest loads node_modules packages natively, so a loaded package shows up here. */
const junitLoaded = () => Object.keys(require.cache).some((k) => /node_modules\/junit-report-builder\//.test(k));

describe('junit-report-builder loads with the first JUnit report, not with every CLI start (issue 15 P7)', { timeout: 120_000 }, () => {
  it('the check command and the gateway load none of it; a JUnit report loads it', async () => {
    await import('../../src/conformance/cli');
    await import('../../src/server/gateway');
    expect(junitLoaded()).toBe(false);

    const { toJunit } = await import('../../src/conformance/report-formats');
    const xml = toJunit({
      run: { id: '1', startedAt: '2026-12-02T00:00:00Z', finishedAt: null, scope: null, rules: null, basis: null },
      gateway: 'http://127.0.0.1:4000',
      rules: [{ id: 'P-1', title: 'a rule', source: 'DESIGN', status: 'evaluated', reason: null }],
      findings: [],
    });
    expect(junitLoaded()).toBe(true);
    expect(xml).toMatch(/<testsuite [^>]*name="P-1 a rule"/);
  });
});

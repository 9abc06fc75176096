import { defineConfig } from 'vitest/config';
import base from './vitest.config';

/**
 * The tests `npm run mutation` (Stryker, stryker.config.json) runs against each mutant of the formats, scalars
 * and mappers: the unit and loopback tests of those modules — not the whole suite (no build step, no browser,
 * PostgreSQL or Redis), so a mutation run stays in the order of an hour on two cores.
 */
// Spread, not mergeConfig: mergeConfig concatenates arrays, which would keep the whole suite's include.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'test/schema/scalars.test.ts',
      'test/schema/ars-scalar.test.ts',
      'test/schema/key-scalar-messages.test.ts',
      'test/upstreams/pvog/online-links.test.ts',
      'test/upstreams/dvdv/parse.test.ts',
      'test/upstreams/dvdv/warning-header.test.ts',
      'test/upstreams/dvdv/mapper-values.test.ts',
      'test/upstreams/dvdv/unexpected-values.test.ts',
      'test/upstreams/dvdv/answer-mismatch.test.ts',
      'test/upstreams/pvog/xzufi.test.ts',
      'test/upstreams/geomis/iso19139.test.ts',
      'test/upstreams/geomis/csw-parse.test.ts',
      'test/upstreams/geomis/iso19139-conformance-fields.test.ts',
      'test/conformance/geo-rules.test.ts',
      'test/conformance/geo-fixtures.test.ts',
      'test/upstreams/geoproxy/capabilities.test.ts',
      'test/upstreams/thavel/catalogue.test.ts',
      'test/upstreams/thavel/catalogue-resolve.test.ts',
      'test/upstreams/pvog/suchdienst-mapper.test.ts',
      'test/formats/**/*.test.ts',
    ],
    globalSetup: [],
    reporters: ['default'],
    outputFile: undefined,
    fileParallelism: true,
    // Stryker re-runs the covering tests once per mutant: without isolation the modules a test file imports are
    // evaluated once per test-runner process, not once per mutant (several seconds each on a loaded machine).
    // Mutants are switched at run time (global active-mutant id), so shared modules see each mutant; mutants in
    // module-level code ("static") are left out by `ignoreStatic` in stryker.config.json.
    isolate: false,
  },
});

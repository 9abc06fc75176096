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
      'test/upstreams/pvog/online-links.test.ts',
      'test/upstreams/dvdv/parse.test.ts',
      'test/upstreams/dvdv/unexpected-values.test.ts',
      'test/upstreams/dvdv/answer-mismatch.test.ts',
      'test/upstreams/pvog/xzufi.test.ts',
      'test/upstreams/geomis/iso19139.test.ts',
      'test/upstreams/geomis/csw-parse.test.ts',
      'test/upstreams/geoproxy/capabilities.test.ts',
      'test/upstreams/thavel/catalogue.test.ts',
    ],
    globalSetup: [],
    reporters: ['default'],
    outputFile: undefined,
    fileParallelism: true,
  },
});

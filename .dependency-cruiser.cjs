/**
 * Module-graph rules of src/ (DESIGN.md §2: layers point one way). Checked by test/architecture/cycles.test.ts.
 * `tsPreCompilationDeps: true` keeps type-only imports in the graph: a cycle made of `import type` edges
 * still ties the modules together for a reader and for refactoring, so it counts.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'no import cycles in src/, type-only edges included', from: {}, to: { circular: true } },
    {
      name: 'adapters-apart',
      severity: 'error',
      comment: 'an adapter never imports another adapter; shared formats live in src/formats/, shared mechanics in runtime/',
      from: { path: '^src/upstreams/([^/]+)/', pathNot: '^src/upstreams/runtime/' },
      to: { path: '^src/upstreams/([^/]+)/', pathNot: ['^src/upstreams/$1/', '^src/upstreams/runtime/'] },
    },
    {
      name: 'config-without-adapters',
      severity: 'error',
      comment: 'src/config/ parses and validates without importing adapters; adapters contribute their sections at the root',
      from: { path: '^src/config/' },
      to: { path: '^src/upstreams/(?!runtime/names\\.ts$)' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};

import ts from 'typescript';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * type-graphql and MikroORM read `design:type` decorator metadata, which vite's own transform (oxc)
 * does not emit. TypeScript's transpileModule does, with the project's tsconfig options. (swc would
 * too, but its platform binaries are not all on the registry this project installs from, so its
 * optional dependencies break `npm ci`.)
 */
function typescriptDecorators(): Plugin {
  const { options } = ts.parseJsonConfigFileContent(ts.readConfigFile('tsconfig.json', ts.sys.readFile).config, ts.sys, '.');
  const compilerOptions: ts.CompilerOptions = { ...options, module: ts.ModuleKind.ESNext, sourceMap: false, inlineSourceMap: true, inlineSources: true, noEmit: false };
  return {
    name: 'typescript-decorators',
    enforce: 'pre',
    config: () => ({ esbuild: false, oxc: false }),
    transform(code: string, id: string) {
      if (!/\.ts$/.test(id) || id.includes('/node_modules/')) return null;
      const out = ts.transpileModule(code, { compilerOptions, fileName: id });
      return { code: out.outputText, map: null };
    },
  };
}

export default defineConfig({
  plugins: [typescriptDecorators()],
  resolve: {
    // graphql 16 ships index.js (CJS) and index.mjs without an exports map: vite would pick the .mjs for our
    // sources while type-graphql and Apollo load the .js, and two graphql instances break `instanceof`.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // PostgreSQL and Redis are shared real servers: one file at a time keeps their state predictable.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'dist/test-report.json' },
  },
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { projectRoot } from '../util/paths';
import { entryPaths } from './load';

/**
 * `npm run build` runs this after tsc: dist/src/cli.js and everything it requires, node_modules included, as one
 * CommonJS file that boot/load.ts runs with a V8 code cache (issue 15 P7). It bundles tsc's output, so decorator
 * metadata (type-graphql, MikroORM) is what tsc emitted.
 */
const EXTERNAL = [
  // Finds its WebAssembly module and file-system bundle beside its own files; loaded by the embedded database only.
  '@electric-sql/pglite',
  // Loaded on first use by reports (reports/chart-libs.ts) and `check --format junit`: large, nowhere on a start's
  // path, and sharing no state with bundled packages (an external copy of a bundled package would be a second instance).
  '@observablehq/plot',
  'jsdom',
  'junit-report-builder',
  // Drivers that knex and pg name in code paths this project never takes; they are not installed.
  'pg-native',
  'pg-query-stream',
  'mysql',
  'mysql2',
  'mariadb',
  'sqlite3',
  'better-sqlite3',
  'tedious',
  'oracledb',
  'libsql',
  '@libsql/*',
];

const SKIP = Symbol('resolving');

/**
 * A relative require esbuild cannot resolve (one a package wraps in try/catch) would stay a runtime require, and
 * resolve from dist/bundle/ instead of the package's own folder: MikroORM probes `../../package.json` for its version
 * and would read this project's. Here such a require fails as it did in place, with MODULE_NOT_FOUND.
 */
const unresolvedRelativeFails: Plugin = {
  name: 'unresolved-relative-require-fails',
  setup(b) {
    b.onResolve({ filter: /^\.\.?(\/|$)/ }, async (args) => {
      if (args.pluginData === SKIP || !args.importer.includes('/node_modules/')) return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: SKIP });
      return r.errors.length ? { path: `${args.path} (from ${relative(process.cwd(), args.importer)})`, namespace: 'unresolved' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'unresolved' }, (args) => ({
      contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}'`)}), { code: 'MODULE_NOT_FOUND' });`,
      loader: 'js',
    }));
  },
};

export interface BundleResult {
  file: string;
  bytes: number;
  inputs: number;
}

export async function bundleCli(root: string = projectRoot()): Promise<BundleResult> {
  const { bundle, plain } = entryPaths(root);
  const result = await build({
    entryPoints: [plain],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // MikroORM names entities and type-graphql names GraphQL types after classes; esbuild renames clashing
    // identifiers across modules, and this keeps every `.name` as written.
    keepNames: true,
    // What Node's require picks: `main` and the `require`/`node` export conditions only — not the `module` field or
    // condition, which would swap in a package's ES build and could load a second copy beside a required one.
    mainFields: ['main'],
    conditions: ['node'],
    external: EXTERNAL,
    plugins: [unresolvedRelativeFails],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const code = asciiOnly(namesOnlyWhereRead(result.outputFiles[0].text));
  // Without esbuild's own write nothing has made the folder yet (a fresh clone has no dist/bundle/).
  mkdirSync(dirname(bundle), { recursive: true });
  writeFileSync(bundle, code);
  return { file: bundle, bytes: code.length, inputs: Object.keys(result.metafile.inputs).length };
}

export const NAME_HELPER = 'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';

/**
 * `keepNames` wraps every function expression in `__name(fn, "name")`, which redefines `name` each time the
 * expression runs: every arrow function a request creates (callbacks, closures in resolvers and loaders) paid a
 * property redefinition, and giving that up took a tenth to a fifth off a compiled execution's CPU
 * (bench/CHANGES-perf-compiled.md). The names that matter are those of classes (MikroORM entities, type-graphql
 * types) and constructors; arrow functions, methods and async functions have no `prototype` and nothing reads their
 * `name`, so the helper leaves them as they are. Without the helper's exact text (another esbuild version) the
 * bundle is left unchanged.
 */
export function namesOnlyWhereRead(code: string): string {
  if (!code.includes(NAME_HELPER)) return code;
  return code.replace(
    NAME_HELPER,
    'var __name = (target, value) => typeof target === "function" && target.prototype === void 0 ? target : __defProp(target, "name", { value, configurable: true });',
  );
}

/**
 * esbuild escapes non-ASCII characters in strings, but not in comments and regular expressions. One such character
 * makes V8 hold the whole 14 MB source as a two-byte string: twice the memory, and slower to read and compile. Each
 * UTF-16 unit becomes `\uXXXX`, which means the same in a regular expression (with or without the u flag), a string,
 * an identifier, and is plain text in a comment — except right after a backslash, where it would change meaning:
 * then the source is left as it is (correct, only bigger in memory).
 */
export function asciiOnly(code: string): string {
  if (/\\[^\x00-\x7f]/.test(code)) return code;
  return code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

if (require.main === module) {
  bundleCli().then(
    (r) => console.log(`thuegate: bundled ${r.inputs} modules into ${relative(process.cwd(), r.file)} (${(r.bytes / 1e6).toFixed(1)} MB)`),
    (e: unknown) => {
      console.error(`thuegate: bundling failed (${e instanceof Error ? e.message : String(e)}); bin/thuegate.js runs dist/src/cli.js`);
      process.exitCode = 1;
    },
  );
}

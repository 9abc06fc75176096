import { isAscii } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { debuglog } from 'node:util';
import * as vm from 'node:vm';
import { crc32 } from 'node:zlib';
import { projectRoot } from '../util/paths';
import { STARTED_HOOK } from './started';

/**
 * How `bin/thuegate.js` starts the CLI (issue 15 P7, bench/CHANGES-perf-start3.md). `npm run build` bundles the
 * compiled CLI into one CommonJS file (boot/bundle.ts); it is run here through `vm.Script` with a V8 code cache, so a
 * start neither resolves and reads hundreds of module files nor compiles them again. Node 20 has no compile cache of
 * its own (`module.enableCompileCache` is Node ≥ 22.1), and hooking `Module.prototype._compile` for every file (the
 * v8-compile-cache package) breaks require(esm). One file and one cache keep this small: nothing else is hooked.
 *
 * The plain entry dist/src/cli.js runs instead when the bundle is missing, when tsc wrote dist/src after the bundle
 * (it would run older code), or with THUEGATE_BUNDLE=0. `NODE_DEBUG=thuegate` says which entry and cache ran.
 */

const debug = debuglog('thuegate');

export const entryPaths = (root: string) => ({
  bundle: join(root, 'dist', 'bundle', 'thuegate.js'),
  plain: join(root, 'dist', 'src', 'cli.js'),
});

/** Why the bundle must not run (undefined: it can). tsc rewrites every output file, so dist/src/cli.js dates each compile. */
export function bundleUnusable(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.THUEGATE_BUNDLE === '0') return 'THUEGATE_BUNDLE=0';
  const { bundle, plain } = entryPaths(root);
  let built: number;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return `${bundle} missing`;
  }
  try {
    if (statSync(plain).mtimeMs > built) return `${bundle} is older than ${plain} (npm run build refreshes it)`;
  } catch {
    // No tsc output beside it (e.g. a copied bundle): nothing it could be older than.
  }
  return undefined;
}

/** node_modules/.cache: the npm convention for derived files a tool may rebuild at any time (as the PGlite template). */
export const codeCacheDir = (root: string, env: NodeJS.ProcessEnv = process.env): string =>
  env.THUEGATE_CODE_CACHE_DIR || join(root, 'node_modules', '.cache', 'thuegate');

/*
 * Cache file: MAGIC, the bundle's key (CRC-32 and length of its bytes), CRC-32 of V8's data, V8's data. V8 checks its
 * own version, flags and the source *length* — not the source text, and in release builds not its payload checksum
 * either — so a cache of another bundle of the same length, or a damaged file, would run wrong code or crash. Both are
 * checked here. CRC-32 (zlib's, vectorised) rather than a cryptographic hash: this detects accidents, and anyone who
 * can write the cache can write the bundle too.
 */
const MAGIC = Buffer.from('thuegate-v8-code-cache-2\n');
const KEY_BYTES = 8;
const HEADER_BYTES = MAGIC.length + KEY_BYTES + 4;
const PREFIX = `v8-${process.version}-${process.arch}-`;

/** What identifies a bundle's bytes: CRC-32 and length. */
export function sourceKey(source: Buffer): Buffer {
  const key = Buffer.alloc(KEY_BYTES);
  key.writeUInt32BE(crc32(source), 0);
  key.writeUInt32BE(source.length >>> 0, 4);
  return key;
}

/** One file per Node version (V8 rejects another's) and bundle; the name lets a new build drop the old ones. */
export const codeCacheFile = (dir: string, key: Buffer): string => join(dir, `${PREFIX}${key.toString('hex')}.cache`);

export type CodeCacheRead = { status: 'found'; data: Buffer } | { status: 'missing' | 'corrupt' | 'stale'; data?: undefined };

export function encodeCodeCache(key: Buffer, data: Buffer): Buffer {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data), 0);
  return Buffer.concat([MAGIC, key, crc, data]);
}

export function readCodeCache(file: string, key: Buffer): CodeCacheRead {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch {
    return { status: 'missing' };
  }
  if (raw.length <= HEADER_BYTES || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return { status: 'corrupt' };
  if (!raw.subarray(MAGIC.length, MAGIC.length + KEY_BYTES).equals(key)) return { status: 'stale' };
  const data = raw.subarray(HEADER_BYTES);
  if (crc32(data) !== raw.readUInt32BE(MAGIC.length + KEY_BYTES)) return { status: 'corrupt' };
  return { status: 'found', data };
}

/** Best effort: a read-only install just starts without a cache. Written under a temporary name, then renamed. */
export function writeCodeCache(file: string, key: Buffer, data: Buffer): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, encodeCodeCache(key, data));
    renameSync(tmp, file);
  } catch (e) {
    debug('code cache not written to %s: %s', file, (e as Error).message);
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    return false;
  }
  // Caches of earlier bundles for this Node version can never match again.
  for (const f of readdirSync(dirname(file))) {
    if (f.startsWith(PREFIX) && f.endsWith('.cache') && join(dirname(file), f) !== file) {
      try {
        unlinkSync(join(dirname(file), f));
      } catch {
        // another process removed it first
      }
    }
  }
  debug('code cache written: %s (%d bytes)', file, data.length);
  return true;
}

export type CodeCacheStatus = CodeCacheRead['status'] | 'accepted' | 'rejected';

/**
 * Compiles the bundle (with the cache when there is a usable one) and returns the function that runs it. When no
 * cache was used, one is made once the CLI reports start-up done (boot/started.ts): by then V8 has compiled every
 * function the start ran, and the cache holds them all.
 */
export function prepareBundle(bundle: string, cacheDir: string): { status: CodeCacheStatus; run: () => void } {
  const bytes = readFileSync(bundle);
  const key = sourceKey(bytes);
  // The build makes the bundle ASCII (boot/bundle.ts): latin1 then decodes it without UTF-8's work into V8's compact
  // one-byte string.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const file = codeCacheFile(cacheDir, key);
  const found = readCodeCache(file, key);
  // Node's own CommonJS wrapper, so the bundle sees exactly what a required file sees.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: bundle,
    cachedData: found.data,
    // A real `import()` in the bundle (of an ES module left external) resolves as in any CommonJS file.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const status: CodeCacheStatus = found.data ? (script.cachedDataRejected ? 'rejected' : 'accepted') : found.status;
  debug('running %s, code cache %s (%s)', bundle, status, file);
  if (status !== 'accepted') {
    let done = false;
    (globalThis as Record<symbol, unknown>)[STARTED_HOOK] = () => {
      if (done) return;
      done = true;
      // After the current turn: whoever reported start-up finishes what it was doing first.
      setImmediate(() => writeCodeCache(file, key, script.createCachedData()));
    };
  }
  return {
    status,
    run: () => {
      const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
      const mod = { id: bundle, filename: bundle, exports: {}, loaded: false };
      fn.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
      mod.loaded = true;
    },
  };
}

/** bin/thuegate.js: the bundle when it is usable, else the plain compiled entry. */
export function main(root: string = projectRoot(), env: NodeJS.ProcessEnv = process.env): void {
  const { bundle, plain } = entryPaths(root);
  const unusable = bundleUnusable(root, env);
  let run: (() => void) | undefined;
  if (unusable) {
    debug('running %s: %s', plain, unusable);
  } else {
    try {
      run = prepareBundle(bundle, codeCacheDir(root, env)).run;
    } catch (e) {
      // Reading or compiling failed (nothing of it has run yet): the plain entry still works.
      debug('running %s: %s could not be compiled (%s)', plain, bundle, (e as Error).message);
    }
  }
  if (run) run();
  else require(plain);
}

import { isAscii } from 'node:buffer';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { asciiOnly, bundleCli, NAME_HELPER, namesOnlyWhereRead } from '../../src/boot/bundle';
import { bundleUnusable, codeCacheFile, encodeCodeCache, entryPaths, readCodeCache, sourceKey } from '../../src/boot/load';
import { projectRoot } from '../../src/util/paths';

/**
 * `thuegate serve` runs the bundle through a V8 code cache (src/boot/load.ts, issue 15 P7). The cache is derived
 * data: a missing, damaged, foreign or refused one must never stop a start — the start runs without it and leaves
 * a good one behind. `NODE_DEBUG=thuegate` makes the loader say which entry and which cache it used.
 */
const ROOT = projectRoot();
const BIN = join(ROOT, 'bin', 'thuegate.js');
const QUERY = '{ municipality(ars:"160510000000"){ name ags } }';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

interface Started {
  child: ChildProcess;
  url: string;
  /** The loader's debug lines (`THUEGATE <pid>: …`) so far; more arrive while the process runs. */
  boot: string[];
}

/** `thuegate serve` (embedded: PGlite in memory, sandbox upstreams in the process) with its code cache in `cacheDir`. */
function serve(cacheDir: string): Promise<Started> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', PORT: '0', PGLITE_DIR: 'memory://', NODE_DEBUG: 'thuegate', THUEGATE_CODE_CACHE_DIR: cacheDir };
  const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const boot: string[] = [];
  return new Promise<Started>((resolve, reject) => {
    const seen: string[] = [];
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${seen.join('\n')}`)), 60_000);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      seen.push(line);
      if (/^THUEGATE \d+: /.test(line)) boot.push(line);
      if (/thuegate listening/.test(line)) {
        clearTimeout(timer);
        resolve({ child, url: JSON.parse(line).url as string, boot });
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${seen.join('\n')}`)));
  });
}

async function answer(url: string): Promise<unknown> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
  return res.json();
}

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

const ERFURT = { data: { municipality: { name: 'Erfurt, Stadt', ags: '16051000' } } };
const bundleKey = () => sourceKey(readFileSync(entryPaths(ROOT).bundle));

describe('the bundled CLI with its V8 code cache', () => {
  it('starts from the bundle, writes the cache once up, uses it next time, and starts anyway from a damaged or refused cache', async () => {
    expect(bundleUnusable(ROOT), 'test/global-setup.ts bundles after compiling').toBeUndefined();
    const cacheDir = mkdtempSync(join(tmpdir(), 'thuegate-code-cache-'));
    const file = codeCacheFile(cacheDir, bundleKey());
    const bundleLine = (status: string) => new RegExp(`running ${entryPaths(ROOT).bundle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, code cache ${status} `);

    // 1. No cache yet: runs the bundle, answers, then writes the cache.
    let gw = await serve(cacheDir);
    expect(gw.boot.join('\n')).toMatch(bundleLine('missing'));
    expect(await answer(gw.url)).toEqual(ERFURT);
    await until('the code cache', () => gw.boot.some((l) => l.includes('code cache written')));
    expect(readCodeCache(file, bundleKey()).status).toBe('found');
    expect(await stop(gw.child)).toBe(0);

    // 2. V8 accepts it.
    gw = await serve(cacheDir);
    expect(gw.boot.join('\n')).toMatch(bundleLine('accepted'));
    expect(await answer(gw.url)).toEqual(ERFURT);
    expect(await stop(gw.child)).toBe(0);

    // 3. Damaged in the middle of V8's data (same length, so V8's own header checks would pass): not used, replaced.
    const good = readFileSync(file);
    const damaged = Buffer.from(good);
    for (let i = Math.floor(damaged.length / 2); i < Math.floor(damaged.length / 2) + 64; i++) damaged[i] ^= 0xff;
    writeFileSync(file, damaged);
    gw = await serve(cacheDir);
    expect(gw.boot.join('\n')).toMatch(bundleLine('corrupt'));
    expect(await answer(gw.url)).toEqual(ERFURT);
    await until('the replaced code cache', () => gw.boot.some((l) => l.includes('code cache written')));
    expect(readCodeCache(file, bundleKey())).toMatchObject({ status: 'found' });
    expect(await stop(gw.child)).toBe(0);

    // 4. Intact but for another script (as after a Node upgrade or a change of V8 flags): V8 refuses it; replaced.
    writeFileSync(file, encodeCodeCache(bundleKey(), new vm.Script('"another script"').createCachedData()));
    gw = await serve(cacheDir);
    expect(gw.boot.join('\n')).toMatch(bundleLine('rejected'));
    expect(await answer(gw.url)).toEqual(ERFURT);
    await until('the replaced code cache', () => gw.boot.some((l) => l.includes('code cache written')));
    expect(await stop(gw.child)).toBe(0);
    expect(readdirSync(cacheDir)).toEqual([file.slice(cacheDir.length + 1)]);
  }, 240_000);

  it('reads a cache only when it is whole and made for this very bundle source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thuegate-code-cache-'));
    const source = sourceKey(Buffer.from('bundle one'));
    const other = sourceKey(Buffer.from('bundle two'));
    const data = Buffer.from('v8 data '.repeat(100));
    const file = codeCacheFile(dir, source);
    expect(readCodeCache(file, source).status).toBe('missing');
    writeFileSync(file, encodeCodeCache(source, data));
    expect(readCodeCache(file, source)).toEqual({ status: 'found', data });
    expect(readCodeCache(file, other).status).toBe('stale');
    const flipped = encodeCodeCache(source, data);
    flipped[flipped.length - 10] ^= 1;
    writeFileSync(file, flipped);
    expect(readCodeCache(file, source).status).toBe('corrupt');
    writeFileSync(file, encodeCodeCache(source, data).subarray(0, 30));
    expect(readCodeCache(file, source).status).toBe('corrupt');
  });

  it('the bundle is ASCII (a one-byte string in V8), and making it so keeps what expressions, strings and names mean', () => {
    expect(isAscii(readFileSync(entryPaths(ROOT).bundle))).toBe(true);
    const source = [
      'const grüße = /^[A-ZÄÖÜß‘’]+$/i.test("ÄÖÜ’") && /^😀$/u.test("😀") && /^😀$/.test("😀") && /^[😀]$/u.test("😀");',
      '// “a comment”',
      'module.exports = [grüße, "ß😀", `ä${1}`];',
    ].join('\n');
    const run = (code: string) => {
      const m = { exports: undefined as unknown };
      new Function('module', code)(m);
      return m.exports;
    };
    const ascii = asciiOnly(source);
    expect(isAscii(Buffer.from(ascii))).toBe(true);
    expect(run(ascii)).toEqual(run(source));
    expect(run(ascii)).toEqual([true, 'ß😀', 'ä1']);
    // After a backslash an escape would change the meaning: left as it is.
    expect(asciiOnly('/\\ä/')).toBe('/\\ä/');
  });

  it("keeps the names of classes and constructors (MikroORM entities, GraphQL types) and leaves arrow functions' alone", () => {
    const code = namesOnlyWhereRead(
      `var __defProp = Object.defineProperty;\n${NAME_HELPER}\n` +
        'var Entity2 = __name(class {}, "Entity"); function Legacy2() {} __name(Legacy2, "Legacy"); var f = __name(() => 1, "f"); var g = __name(async () => 1, "g");\n' +
        'module.exports = [Entity2.name, Legacy2.name, f.name, g.name];',
    );
    const mod = { exports: [] as string[] };
    vm.runInNewContext(code, { module: mod });
    expect(mod.exports).toEqual(['Entity', 'Legacy', '', '']);
    // The bundle esbuild makes has exactly this helper (else the rewrite silently does nothing).
    expect(readFileSync(entryPaths(projectRoot()).bundle, 'utf8')).toContain('var __name = (target, value) => typeof target === "function" && target.prototype === void 0 ? target');
  });

  it('bundles in a tree that has no dist/bundle/ yet (a fresh clone), and the bundle runs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'thuegate-fresh-'));
    const { bundle, plain } = entryPaths(root);
    mkdirSync(join(root, 'dist', 'src'), { recursive: true });
    writeFileSync(join(root, 'dist', 'src', 'greeting.js'), 'module.exports = "grüße";');
    writeFileSync(plain, 'console.log(require("./greeting"))');
    await bundleCli(root);
    expect(isAscii(readFileSync(bundle))).toBe(true);
    expect(spawnSync(process.execPath, [bundle], { encoding: 'utf8' }).stdout).toBe('grüße\n');
  });

  it('falls back to dist/src/cli.js when the bundle is missing, older than the compile, or switched off', () => {
    const root = mkdtempSync(join(tmpdir(), 'thuegate-entry-'));
    const { bundle, plain } = entryPaths(root);
    mkdirSync(join(root, 'dist', 'src'), { recursive: true });
    writeFileSync(plain, 'console.log("plain")');
    const entry = (env: Record<string, string> = {}) =>
      spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(ROOT, 'dist', 'src', 'boot', 'load.js'))}).main(${JSON.stringify(root)}, ${JSON.stringify(env)})`], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', NODE_DEBUG: 'thuegate' },
      });
    let r = entry();
    expect(r.stdout).toBe('plain\n');
    expect(r.stderr).toContain('dist/bundle/thuegate.js missing');

    mkdirSync(join(root, 'dist', 'bundle'));
    writeFileSync(bundle, 'console.log("bundle", typeof require, __filename === module.filename)');
    r = entry({ THUEGATE_CODE_CACHE_DIR: join(root, 'cache') });
    expect(r.stdout).toBe('bundle function true\n');
    expect(r.stderr).toMatch(/code cache missing/);

    r = entry({ THUEGATE_BUNDLE: '0' });
    expect(r.stdout).toBe('plain\n');

    const later = new Date(Date.now() + 60_000);
    utimesSync(plain, later, later);
    expect(bundleUnusable(root)).toMatch(/older than .*dist\/src\/cli\.js/);
    expect(entry().stdout).toBe('plain\n');
  });
});

#!/usr/bin/env node
'use strict';
/**
 * Breaking-change gate for the published schema (issue 14 item 5, README "Schema changes and deprecation").
 *
 * Compares schema/schema.graphql with its version at the newest `schema-v*` git tag (the previous commit when
 * there is no such tag) using graphql-inspector's `diff`, and fails on every breaking change whose schema
 * coordinate (e.g. `Municipality.ags`, `Query.municipality.ars`) is not listed under a "Breaking" heading of
 * CHANGELOG.md. Listing a type (`Municipality`) covers its fields and arguments.
 *
 *   node scripts/check-schema-breaks.js [--base REF] [--schema FILE] [--changelog FILE]
 *
 * Exit 0: no unlisted break; 1: unlisted breaks (named on stderr); 2: the check could not run.
 */
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const SCHEMA_PATH = 'schema/schema.graphql';

// As the completion handler of `graphql-inspector diff --onComplete`: decide with the CHANGELOG.
function onComplete({ breakingChanges }) {
  const listed = listedBreaks(readFileSync(process.env.SCHEMA_BREAKS_CHANGELOG, 'utf8'));
  const covered = (path) => listed.some((c) => path === c || path.startsWith(`${c}.`));
  const unlisted = breakingChanges.filter((c) => !c.path || !covered(c.path));
  for (const c of breakingChanges) console.log(`${unlisted.includes(c) ? 'UNLISTED' : 'listed  '} ${c.path ?? '(no coordinate)'}: ${c.message}`);
  if (unlisted.length > 0) {
    console.error(`schema: ${unlisted.length} breaking change(s) not listed under "Breaking" in CHANGELOG.md: ${unlisted.map((c) => c.path ?? c.message).join(', ')}`);
    process.exit(1);
  }
  console.log(`schema: ${breakingChanges.length} breaking change(s), all listed in CHANGELOG.md`);
}

/** Backticked schema coordinates in the sections under a heading that says "Breaking". */
function listedBreaks(changelog) {
  const out = [];
  let inBreaking = false;
  for (const line of changelog.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      inBreaking = /breaking/i.test(heading[1]);
      continue;
    }
    if (!inBreaking) continue;
    for (const m of line.matchAll(/`([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)`/g)) out.push(m[1]);
  }
  return out;
}

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const tryGit = (...args) => {
  try {
    return git(...args);
  } catch {
    return null;
  }
};

function main(argv) {
  const opt = (name) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const schema = resolve(opt('schema') ?? join(ROOT, SCHEMA_PATH));
  const changelog = resolve(opt('changelog') ?? join(ROOT, 'CHANGELOG.md'));
  let base = opt('base');
  if (!base) {
    const tags = tryGit('tag', '--list', 'schema-v*', '--sort=-v:refname');
    base = tags ? tags.split('\n')[0] : tryGit('rev-parse', '--verify', '--quiet', 'HEAD~1') ? 'HEAD~1' : null;
  }
  if (!base) {
    console.log('schema: no schema-v* tag and no previous commit: nothing to compare with');
    return 0;
  }
  const old = tryGit('show', `${base}:${SCHEMA_PATH}`);
  if (old === null) {
    console.log(`schema: ${SCHEMA_PATH} does not exist at ${base}: nothing to compare with`);
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'schema-breaks-'));
  try {
    const oldFile = join(dir, 'base.graphql');
    writeFileSync(oldFile, old + '\n');
    console.log(`schema: comparing ${SCHEMA_PATH} with ${base}`);
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', '@graphql-inspector', 'cli', 'cjs', 'index.js'), 'diff', oldFile, schema, '--onComplete', __filename],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, SCHEMA_BREAKS_CHANGELOG: changelog } },
    );
    return r.status ?? 2;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = onComplete;
if (require.main === module) process.exit(main(process.argv.slice(2)));

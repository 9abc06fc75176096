import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openAsBlob, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { migrationNames } from '../../migrations/names';
import { projectRoot } from '../util/paths';

/**
 * A throwaway `memory://` PGlite used to run initdb and every migration on each start — most of the start-up
 * time of an embedded gateway (issue 15, P7: PGlite's initdb alone was a third of the start profile,
 * bench/CHANGES-perf-mem.md). Instead it is restored from a tarball of an initialised, fully migrated, empty
 * cluster (PGlite's `loadDataDir`; the tarball is what `dumpDataDir` wrote). The tarball is made once per PGlite
 * version and migration set — the first start without one makes it, `npm run build` makes it ahead — and lives
 * in node_modules/.cache (the npm convention for derived files a tool may rebuild at any time).
 */

/** Bumped when what the template contains changes in a way the key below does not see. */
const FORMAT = 1;

export const defaultTemplateDir = (): string => join(projectRoot(), 'node_modules', '.cache', 'thuegate');

let pgliteVersion: string | undefined;
function pgliteVersionOf(): string {
  if (pgliteVersion) return pgliteVersion;
  // The package's export map hides package.json; it sits two levels above the resolved entry (dist/index.cjs).
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (pgliteVersion = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version);
}

/** The file for the running PGlite version and the checked-in migrations; another set never matches it. */
export function templateFile(dir: string): string {
  const key = createHash('sha256').update(JSON.stringify([FORMAT, pgliteVersionOf(), migrationNames])).digest('hex').slice(0, 16);
  return join(dir, `pglite-template-${key}.tar`);
}

/**
 * The stored template, or undefined when there is none for this PGlite version and migration set. A file-backed
 * Blob: PGlite reads it once while restoring, and the 28 MB are never copied onto the heap as a whole.
 */
export async function readTemplate(dir: string): Promise<Blob | undefined> {
  const file = templateFile(dir);
  if (!existsSync(file)) return undefined;
  try {
    return await openAsBlob(file);
  } catch {
    return undefined; // unreadable: the caller initialises from scratch as before
  }
}

/**
 * Stores `pglite`'s data directory as the template. Best effort: a read-only install (a container image running
 * as another user) just keeps paying initdb. Written under a temporary name and renamed, so a concurrent start
 * never reads half a file.
 */
export async function writeTemplate(dir: string, pglite: PGlite): Promise<boolean> {
  const file = templateFile(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const tarball = await pglite.dumpDataDir('none');
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, Buffer.from(await tarball.arrayBuffer()));
    renameSync(tmp, file);
    return true;
  } catch {
    rmSync(tmp, { force: true });
    return false;
  }
}

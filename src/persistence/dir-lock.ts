import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

export class DirectoryInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded database in ${dir} is in use by process ${pid}; stop it first (or set DATABASE_URL to share a PostgreSQL server between processes)`,
    );
    this.name = 'DirectoryInUseError';
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite is a single-process database: two processes writing one data directory corrupt it (e.g. `thuegate
 * clients add` while `thuegate serve` runs). A pid file `<dir>.lock` created with O_EXCL keeps the second one out; a file
 * left by a process that died is taken over.
 */
export function lockDirectory(dir: string): () => void {
  // Beside the directory, not in it: PGlite treats a non-empty fresh directory as a broken cluster.
  const file = `${dir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) throw new DirectoryInUseError(dir, owner);
      if (owner === process.pid) throw new DirectoryInUseError(dir, owner);
      unlinkSync(file); // stale lock of a dead process
    }
  }
  throw new Error(`could not lock ${dir}`);
}

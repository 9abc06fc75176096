import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** A server the bench started in its own process. */
export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Lines `name<TAB>url` it printed on stdout. */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts `node <args>` and waits until it printed `waitFor` (a name in its `name<TAB>url` lines) or until `ready()` passes. */
export async function startNode(
  name: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; waitFor?: string[]; ready?: () => Promise<boolean>; timeoutMs?: number; cwd?: string } = {},
): Promise<Proc> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const urls: Record<string, string> = {};
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (l) => {
    const m = /^(\w+)\t(https?:\/\/\S+)$/.exec(l.trim());
    if (m) urls[m[1]] = m[2];
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready: ${stderr}`))),
  );
  exited.catch(() => undefined);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const isReady = async () => (opts.waitFor ?? []).every((k) => urls[k]) && (!opts.ready || (await opts.ready().catch(() => false)));
  try {
    while (!(await Promise.race([isReady(), exited]))) {
      if (Date.now() > deadline) throw new Error(`${name} not ready after ${opts.timeoutMs ?? 60_000} ms: ${stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } catch (e) {
    // Nobody else holds this process yet: a server that never became ready must not outlive the run.
    if (child.exitCode === null) child.kill('SIGKILL');
    throw e;
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  };
  return { name, child, pid: child.pid!, urls, stop };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const TICKS = 100; // USER_HZ on Linux

/** Child processes of `pid` (e.g. Hive Gateway's forked workers), from /proc. */
function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** CPU seconds and RSS of a process and all its descendants (a server that forks workers counts as a whole). */
export function procTreeStats(pid: number): { cpuSeconds: number; rssMb: number } {
  const total = { cpuSeconds: 0, rssMb: 0 };
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    try {
      const s = procStats(p);
      total.cpuSeconds += s.cpuSeconds;
      total.rssMb += s.rssMb;
    } catch {
      continue; // exited meanwhile
    }
    todo.push(...children(p));
  }
  return total;
}

/** CPU seconds (user+system) and RSS in MB of a process, from /proc. */
export function procStats(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { cpuSeconds, rssMb: rssKb / 1024 };
}

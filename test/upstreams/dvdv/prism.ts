import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { projectRoot } from '../../../src/util/paths';

/** The official DVDV2 v2 OpenAPI (Dataport, EUPL 1.2; test/fixtures/dvdv/SOURCES.md). */
export const DVDV_OPENAPI = join(projectRoot(), 'test/fixtures/dvdv/dvdv2-v2-openapi.dataport.yaml');

export interface PrismMock {
  /** Base URL for the DVDV client: the rewriting proxy in front of Prism. */
  url: string;
  /** Requests Prism answered, by status. */
  statuses: number[];
  close(): Promise<void>;
}

/**
 * `prism mock` (static examples, or `--dynamic` answers generated from the schemas) of the official OpenAPI on
 * a random loopback port, behind a small proxy: Prism matches the `{entryPath}` parameter (`intern/directory`,
 * with a slash) only percent-encoded, so the proxy encodes the entry path of every request the client sends.
 */
export async function startPrism(opts: { dynamic: boolean }): Promise<PrismMock> {
  const bin = join(projectRoot(), 'node_modules/@stoplight/prism-cli/dist/index.js');
  const args = [bin, 'mock', '-h', '127.0.0.1', '-p', '0', ...(opts.dynamic ? ['--dynamic'] : []), DVDV_OPENAPI];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const prismUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`prism did not start within 90 s:\n${out}`)), 90_000);
    const onData = (b: Buffer) => {
      out += b.toString('utf8');
      const m = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code}:\n${out}`));
    });
  });
  // Keep draining Prism's request log so its pipe never fills.
  child.stdout!.resume();
  child.stderr!.resume();

  const target = new URL(prismUrl);
  const statuses: number[] = [];
  const proxy: Server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/^\/(intern\/directory|extern\/standaloneauth\/directory|extern\/bundesmasterauth\/directory)\//, (_m, entry: string) => `/${encodeURIComponent(entry)}/`);
    const up = request({ host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } }, (r) => {
      statuses.push(r.statusCode ?? 0);
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    statuses,
    close: async () => {
      await new Promise<void>((r) => proxy.close(() => r()));
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

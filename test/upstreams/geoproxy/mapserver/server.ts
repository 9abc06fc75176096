import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A tiny HTTP → CGI bridge for the Debian `mapserv` binary (packages mapserver-bin/cgi-mapserver),
 * on 127.0.0.1 and a free port: `GET /<route>?<query>` runs `mapserv` with that query and the
 * route's mapfile (through a MapServer 8 config file, which is where MS_MAPFILE must be set).
 */

export function mapservVersion(): string | null {
  const r = spawnSync('mapserv', ['-v'], { encoding: 'utf8' });
  return r.status === 0 && /MapServer version/.test(r.stdout) ? r.stdout.trim() : null;
}

export interface MapserverBridge {
  url: string;
  requests: number;
  close(): Promise<void>;
}

function runCgi(config: string, query: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn('mapserv', [], {
      env: { PATH: process.env.PATH, MAPSERVER_CONFIG_FILE: config, QUERY_STRING: query, REQUEST_METHOD: 'GET', GATEWAY_INTERFACE: 'CGI/1.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => {
      const all = Buffer.concat(out);
      let sep = all.indexOf('\r\n\r\n');
      let sepLen = 4;
      if (sep === -1 || (all.indexOf('\n\n') !== -1 && all.indexOf('\n\n') < sep)) {
        sep = all.indexOf('\n\n');
        sepLen = 2;
      }
      if (sep === -1) return resolve({ status: 502, headers: { 'content-type': 'text/plain' }, body: Buffer.from('no CGI header') });
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of all.subarray(0, sep).toString('latin1').split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i <= 0) continue;
        const k = line.slice(0, i).trim().toLowerCase();
        const v = line.slice(i + 1).trim();
        if (k === 'status') status = Number(v.split(' ')[0]) || 200;
        else headers[k] = v;
      }
      resolve({ status, headers, body: all.subarray(sep + sepLen) });
    });
  });
}

export async function startMapserverBridge(dir: string, mapfiles: Record<string, string>): Promise<MapserverBridge> {
  const configs = new Map<string, string>();
  for (const [route, mapfile] of Object.entries(mapfiles)) {
    const conf = join(dir, `${route.replace(/[^\w]/g, '_')}.conf`);
    writeFileSync(conf, `CONFIG\n  ENV\n    MS_MAPFILE "${mapfile}"\n  END\nEND\n`);
    configs.set(`/${route}`, conf);
  }
  const bridge = { url: '', requests: 0, close: async () => {} };
  const server = createServer((req, res) => {
    bridge.requests++;
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const conf = configs.get(u.pathname);
    if (!conf || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such service');
      return;
    }
    runCgi(conf, u.search.slice(1)).then(
      (r) => res.writeHead(r.status, r.headers).end(r.body),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(e.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  bridge.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bridge.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return bridge;
}

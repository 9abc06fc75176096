import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { UpstreamName } from '../../upstreams/runtime/names';
import { DEFAULT_DRIP_CHUNK_BYTES, FaultInjector, type FaultPlan, type FaultRule } from '../faults';
import { compileRoute, type CompiledRoute, type SandboxRequest, type SandboxResponse, type SandboxRoute } from './router';

export interface SandboxServerOptions {
  name: UpstreamName;
  routes: readonly SandboxRoute[];
  faults?: FaultPlan | string;
  /** Loopback only; the sandbox never listens on a public interface unless told. */
  host?: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Gzip bodies of at least this size when the client accepts gzip (like real servers); Infinity disables. */
  compressMinBytes?: number;
  maxRequestBodyBytes?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string | string[] | undefined>;
  /** Route key, or `(unmatched)`. */
  route: string;
  /** Epoch ms of arrival (retry timing assertions). */
  at: number;
  fault?: FaultRule;
}

export interface SandboxServer {
  readonly name: UpstreamName;
  /** `http://127.0.0.1:<port>` without trailing slash. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  setFaults(plan: FaultPlan | string | undefined): void;
  /** Serves another set of routes from the next request on (a changed world, see SandboxWorld.mutate). */
  setRoutes(routes: readonly SandboxRoute[]): void;
  /** Requests received (faulted ones included): all, or those matching a route key / `METHOD path`. */
  requestCount(route?: string): number;
  resetCounts(): void;
  /** The most recent requests (up to 500), oldest first. */
  requests(): readonly RecordedRequest[];
}

const UNMATCHED = '(unmatched)';
const PAD = Buffer.alloc(64 * 1024, 0x20); // whitespace: legal after a JSON value or an XML root element

const delay = (ms: number, res: ServerResponse): Promise<boolean> =>
  new Promise((resolve) => {
    if (ms <= 0) return resolve(!res.destroyed);
    const t = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    const onClose = () => {
      clearTimeout(t);
      resolve(false);
    };
    res.once('close', onClose);
  });

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes with backpressure; false once the client has gone. */
async function writeChunk(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  // Whichever event wins, the other listener must go: a long oversize stream waits for drain thousands of times.
  const done = new AbortController();
  const ignoreAbort = (e: unknown) => {
    if ((e as { name?: string }).name !== 'AbortError') throw e;
    return false;
  };
  const drained = once(res, 'drain', { signal: done.signal }).then(() => true, ignoreAbort);
  const closed = once(res, 'close', { signal: done.signal }).then(() => false, ignoreAbort);
  try {
    return await Promise.race([drained, closed]);
  } finally {
    done.abort();
  }
}

/**
 * The HTTP base every upstream sandbox is built on: a tiny router on a loopback socket plus the
 * fault injector, so each sandbox speaks its protocol and can be broken on request the same way.
 */
export async function startSandboxServer(opts: SandboxServerOptions): Promise<SandboxServer> {
  let routes: CompiledRoute[] = opts.routes.map(compileRoute);
  const faults = new FaultInjector(opts.name, opts.faults);
  const compressMin = opts.compressMinBytes ?? 1024;
  const maxBody = opts.maxRequestBodyBytes ?? 10 * 1024 * 1024;
  const counts = new Map<CompiledRoute | typeof UNMATCHED, number>();
  let total = 0;
  let recent: RecordedRequest[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    let matched: { route: CompiledRoute; params: Record<string, string> } | undefined;
    for (const r of routes) {
      const params = r.match(method, url.pathname);
      if (params) {
        matched = { route: r, params };
        break;
      }
    }
    const key = matched?.route.key ?? UNMATCHED;
    const fault = faults.pick(method, url.pathname);
    total++;
    const slot = matched?.route ?? UNMATCHED;
    counts.set(slot, (counts.get(slot) ?? 0) + 1);
    recent.push({ method, path: url.pathname, search: url.search, headers: { ...req.headers }, route: key, at: Date.now(), fault });
    if (recent.length > 500) recent = recent.slice(-500);

    const body = await readBody(req, maxBody);
    if (fault?.latencyMs && !(await delay(fault.latencyMs, res))) return;
    if (fault?.reset) {
      req.socket.resetAndDestroy();
      return;
    }
    let out: SandboxResponse;
    if (fault?.status !== undefined) {
      out = {
        status: fault.status,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          ...(fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}),
        },
        body: `sandbox fault: HTTP ${fault.status}`,
      };
    } else if (body === undefined) {
      out = { status: 413, headers: { 'content-type': 'text/plain' }, body: `request body larger than ${maxBody} bytes` };
    } else if (!matched) {
      out = { status: 404, headers: { 'content-type': 'text/plain' }, body: `no sandbox route for ${method} ${url.pathname}` };
    } else {
      const sreq: SandboxRequest = {
        method,
        path,
        url,
        params: matched.params,
        query: url.searchParams,
        headers: req.headers,
        body,
        text: () => body.toString('utf8'),
        json: <T>() => JSON.parse(body.toString('utf8')) as T,
      };
      try {
        out = await matched.route.route.handler(sreq);
      } catch (e) {
        out = { status: 500, headers: { 'content-type': 'text/plain' }, body: `sandbox handler failed: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
    await send(req, res, out, fault);
  }

  async function send(req: IncomingMessage, res: ServerResponse, out: SandboxResponse, fault: FaultRule | undefined): Promise<void> {
    const status = out.status ?? 200;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(out.headers ?? {})) headers[k.toLowerCase()] = v;
    let payload = typeof out.body === 'string' ? Buffer.from(out.body, 'utf8') : (out.body ?? Buffer.alloc(0));

    if (fault?.malformed && payload.length > 0) {
      // NUL is illegal in XML and JSON: whatever the format, a parser must reject this.
      payload = Buffer.concat([Buffer.from('\u0000{<', 'utf8'), payload.subarray(0, Math.ceil(payload.length / 2))]);
    }
    const rawBytesFault = fault?.truncate !== undefined || fault?.oversizeBytes !== undefined || fault?.dripMs !== undefined;
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (!rawBytesFault && acceptsGzip && !headers['content-encoding'] && payload.length >= compressMin) {
      payload = gzipSync(payload);
      headers['content-encoding'] = 'gzip';
      headers['vary'] = 'accept-encoding';
    }

    if (fault?.oversizeBytes !== undefined) {
      delete headers['content-length'];
      res.writeHead(status, headers);
      if (!(await writeChunk(res, payload))) return;
      let sent = payload.length;
      while (sent < fault.oversizeBytes) {
        const n = Math.min(PAD.length, fault.oversizeBytes - sent);
        if (!(await writeChunk(res, n === PAD.length ? PAD : PAD.subarray(0, n)))) return;
        sent += n;
      }
      res.end();
      return;
    }

    headers['content-length'] = String(payload.length);
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const limit = fault?.truncate !== undefined ? Math.floor(payload.length * fault.truncate) : payload.length;
    if (fault?.dripMs !== undefined) {
      const size = fault.dripChunkBytes ?? DEFAULT_DRIP_CHUNK_BYTES;
      for (let off = 0; off < limit; off += size) {
        if (off > 0 && !(await delay(fault.dripMs, res))) return;
        if (!(await writeChunk(res, payload.subarray(off, Math.min(off + size, limit))))) return;
      }
    } else if (limit > 0) {
      if (!(await writeChunk(res, payload.subarray(0, limit)))) return;
    }
    if (fault?.truncate !== undefined) {
      // Head promised more bytes than we send: close the connection mid-body.
      res.socket?.end(() => res.socket?.destroy());
      setTimeout(() => res.socket?.destroy(), 50).unref();
      return;
    }
    res.end();
  }

  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('sandbox failure');
      } else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    name: opts.name,
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    setFaults: (plan) => faults.set(plan),
    setRoutes: (next) => {
      routes = next.map(compileRoute);
    },
    requestCount: (route) => {
      if (route === undefined || route === '*') return total;
      if (route === UNMATCHED) return counts.get(UNMATCHED) ?? 0;
      let n = 0;
      for (const r of routes) {
        if (r.key === route || `${r.route.method.toUpperCase()} ${r.route.path}` === route) n += counts.get(r) ?? 0;
      }
      return n;
    },
    resetCounts: () => {
      counts.clear();
      total = 0;
      recent = [];
    },
    requests: () => recent,
  };
}

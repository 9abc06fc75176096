import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { graphql, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { createCache } from '../../../src/cache';
import { createLogger } from '../../../src/observability/log';
import { gatewaySchema } from '../../../src/schema/build';
import { createRequestContext } from '../../../src/schema/context-factory';
import { loadConfig } from '../../../src/server/config';
import { buildServices, buildUpstreams } from '../../../src/server/gateway';
import { UPSTREAMS, type UpstreamName } from '../../../src/upstreams/runtime/names';
import { projectRoot } from '../../../src/util/paths';

/** A recorded DVDV body from test/fixtures/dvdv (sources in SOURCES.md there), parsed afresh for each use. */
export const fixture = (name: string): any => JSON.parse(readFileSync(join(projectRoot(), 'test/fixtures/dvdv', name), 'utf8'));
/** Stadt Flensburg, Passbehörde `psb:01001000_00` (the OpenAPI's realistic example). */
export const flensburg = () => fixture('example-OrganizationDescription-flensburg-psb.from-openapi.json');
export const FLENSBURG = { key: 'psb:01001000_00', category: 'Passbehörde' };

export interface DvdvGraph {
  /** Runs a query through the gateway schema as an integrator (the role DVDV fields need). */
  exec(query: string, variables?: Record<string, unknown>): Promise<ExecutionResult>;
  close(): Promise<void>;
}

/**
 * The gateway schema with DVDV configured like an operator (base URL, entry path), other upstreams pointed at a
 * closed port. A fresh data cache each time, so nothing an earlier test fetched is served.
 */
export function dvdvGraph(baseUrl: string, entryPath = 'intern/directory'): DvdvGraph {
  const config = loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'silent', DVDV_BASE_URLS: baseUrl, DVDV_ENTRY_PATH: entryPath });
  const urls = Object.fromEntries(UPSTREAMS.map((n) => [n, [n === 'dvdv' ? baseUrl : 'http://127.0.0.1:9']])) as Record<UpstreamName, string[]>;
  const cache = createCache({ maxBytes: 8 << 20 });
  const upstreams = buildUpstreams(config, urls, cache, createLogger('silent'));
  const services = buildServices(config, upstreams, cache, () => 0);
  let n = 0;
  return {
    exec: (query, variables) => {
      const ctx = createRequestContext(services, { requestId: `d${++n}`, role: 'integrator', signal: new AbortController().signal, deadline: Date.now() + 15_000 });
      return graphql({ schema: gatewaySchema(), source: query, contextValue: ctx, variableValues: variables }) as Promise<ExecutionResult>;
    },
    close: async () => {
      await Promise.all(Object.values(upstreams.sources).map((u) => u.client.close()));
      await cache.close();
    },
  };
}

export interface DvdvCall {
  method: string;
  path: string;
  /** The function after `/v2/` (`batch/…` for the POST forms). */
  fn: string;
  /** `request_json` of a GET, or the JSON array of a batch POST. */
  request: any;
}
export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A DVDV operator on a loopback port answering what the test says (bodies as the API would send them). */
export async function craftedDvdv(answer: (call: DvdvCall) => Answer): Promise<{ url: string; calls: DvdvCall[]; close(): Promise<void> }> {
  const calls: DvdvCall[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = req.method === 'POST' ? await read(req) : url.searchParams.get('request_json');
    const call: DvdvCall = { method: req.method ?? 'GET', path: url.pathname, fn: url.pathname.replace(/^.*\/v2\//, ''), request: raw ? JSON.parse(raw) : undefined };
    calls.push(call);
    const a = answer(call);
    const json = a.body !== undefined;
    res.writeHead(a.status, { ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...a.headers });
    res.end(json ? JSON.stringify(a.body) : undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The codes of a result's errors (what a client branches on). */
export const codes = (r: ExecutionResult): unknown[] => (r.errors ?? []).map((e) => (e as GraphQLFormattedError).extensions?.code);

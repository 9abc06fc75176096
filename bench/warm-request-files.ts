import 'reflect-metadata';
import { Session } from 'node:inspector/promises';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/server/config';
import { createLogger } from '../src/observability/log';
import { startGateway } from '../src/server/gateway';
import { projectRoot } from '../src/util/paths';

/**
 * Which src/ files run during one warm request (issue 10: "at most 25"). V8 precise coverage with call
 * counts: start-up and a warm-up request run first (module bodies, data cache filled from the sandbox),
 * counters are reset, then the measured request runs. A file counts when any function in it ran. The
 * measured document differs from the warm-up by its operation name only, so the response cache misses
 * and the request executes (parsing, validation, resolvers, loaders, data cache) — the honest case.
 * Run: `npm run build && node dist/bench/warm-request-files.js` (prints JSON: count and files).
 */
const QUERY = '{ municipality(ars:"160720011011"){ services(first:5){ edges{ node{ leikaKey name } } } } }';

async function post(url: string, query: string): Promise<unknown> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as { errors?: unknown[] };
  if (res.status !== 200 || body.errors) throw new Error(`request failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function main(): Promise<void> {
  const gw = await startGateway(loadConfig({ PORT: '0', PGLITE_DIR: 'memory://', LOG_LEVEL: 'error' }), createLogger('error'));
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await post(gw.url, `query Warm ${QUERY}`);
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    await session.post('Profiler.takePreciseCoverage'); // resets the counters: start-up and warm-up excluded
    await post(gw.url, `query Measured ${QUERY}`);
    const { result } = await session.post('Profiler.takePreciseCoverage');
    await session.post('Profiler.stopPreciseCoverage');
    const distSrc = `${projectRoot()}${sep}dist${sep}src${sep}`;
    const files = result
      .filter((s) => s.url.startsWith('file:') && fileURLToPath(s.url).startsWith(distSrc))
      .filter((s) => s.functions.some((f) => f.ranges.some((r) => r.count > 0)))
      .map((s) => relative(`${projectRoot()}${sep}dist`, fileURLToPath(s.url)).replace(/\.js$/, '.ts').split(sep).join('/'))
      .sort();
    process.stdout.write(JSON.stringify({ query: QUERY, count: files.length, files }, null, 2) + '\n');
  } finally {
    session.disconnect();
    await gw.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/util/paths';
import type { BenchContext } from '../lib/context';
import { freePort, type Proc } from '../lib/proc';

/**
 * Hive Gateway anchor, set up as ../../../shared/bench-anchors.md describes: `mesh-compose` (@graphql-mesh/compose-cli
 * 1.8.2) composes a supergraph from the REST stand-in declared as a JSON-Schema subgraph (@omnigraph/json-schema
 * 0.112.4, executed through @graphql-mesh/transport-rest 0.12.2), then `hive-gateway supergraph` (@graphql-hive/gateway
 * 2.15.1) serves it, no cache. Composed at bench time into the run's scratch directory, so the supergraph always
 * matches the stand-in's URL.
 */
const link = { type: 'object', title: 'Link', properties: { title: { type: 'string' }, url: { type: 'string' } } };
const responseSchema = {
  type: 'object',
  title: 'ServicePage',
  properties: {
    content: {
      type: 'array',
      items: {
        type: 'object',
        title: 'Service',
        properties: {
          municipalityName: { type: 'string' },
          leikaKey: { type: 'string' },
          name: { type: 'string' },
          onlineServiceLinks: { type: 'array', items: link },
          onlineServices: { type: 'array', items: link },
        },
      },
    },
    totalElements: { type: 'integer' },
    number: { type: 'integer' },
    size: { type: 'integer' },
  },
};

/** The benchmark query in the shape of the composed schema: the same 20 services with their links. */
export const hiveQuery = (ars: string) =>
  `{ services(ars:"${ars}", size:20){ content{ municipalityName leikaKey name onlineServiceLinks{ title url } onlineServices{ title url } } } }`;

function run(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mesh-compose exited ${code}: ${err}`))));
  });
}

export async function startHive(ctx: BenchContext, standinUrl: string): Promise<{ proc: Proc; url: string }> {
  const dir = join(ctx.work, 'hive');
  mkdirSync(dir, { recursive: true });
  // The config imports the compose packages; a node_modules link lets Node resolve them from the scratch directory.
  symlinkSync(join(projectRoot(), 'node_modules'), join(dir, 'node_modules'), 'dir');
  // argTypeMap values must be JSON Schema objects: a string such as 'String!' is read as a file path (bench-anchors.md).
  const operation = {
    type: 'Query',
    field: 'services',
    path: '/v7/servicedescriptions/{args.ars}',
    method: 'GET',
    argTypeMap: { ars: { type: 'string' }, size: { type: 'integer' } },
    queryParamArgMap: { size: 'size' },
    responseSchema,
  };
  writeFileSync(
    join(dir, 'mesh.config.mjs'),
    [
      `import { defineConfig } from '@graphql-mesh/compose-cli';`,
      `import { loadJSONSchemaSubgraph } from '@omnigraph/json-schema';`,
      `export const composeConfig = defineConfig({`,
      `  subgraphs: [{ sourceHandler: loadJSONSchemaSubgraph('PVOG', { endpoint: ${JSON.stringify(standinUrl)}, operations: [${JSON.stringify(operation)}] }) }],`,
      `});`,
      '',
    ].join('\n'),
  );
  const modules = join(projectRoot(), 'node_modules');
  ctx.log('Hive Gateway: composing the supergraph');
  await run([join(modules, '@graphql-mesh', 'compose-cli', 'esm', 'bin.js'), '-o', 'supergraph.graphql'], dir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  // One worker (--fork 1) like every other server here: the machine has 2 cores, shared with the load generator.
  const proc = await ctx.start('hive', [join(modules, '@graphql-hive', 'gateway', 'dist', 'bin.js'), 'supergraph', join(dir, 'supergraph.graphql'), '--port', String(port), '--host', '127.0.0.1', '--fork', '1'], {
    cwd: dir,
    env: { NODE_ENV: 'production' },
    timeoutMs: 300_000, // minutes on a loaded shared machine; seconds on an idle one
    ready: async () => {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      return r.status === 200;
    },
  });
  return { proc, url };
}

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/**
 * REST stand-in for the anchors (../../../shared/bench-anchors.md): serves the benchmark municipality's service list —
 * taken from the gateway's own answer, so every server returns the same data — as a PVOG-like page
 * `GET /v7/servicedescriptions/{ars}?size=N` → `{ content, totalElements, number, size }`.
 * Usage: `node rest-standin.js <municipality-json-file>`; prints its URL.
 */
interface Municipality { name: string; services: { edges: { node: Record<string, unknown> }[] } }
const m = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { ars: string; municipality: Municipality };
const services = m.municipality.services.edges.map((e) => e.node);
const server = createServer((req, res) => {
  req.resume();
  const u = new URL(req.url ?? '/', 'http://x');
  const hit = /^\/v7\/servicedescriptions\/(\d{12})$/.exec(u.pathname);
  if (!hit || hit[1] !== m.ars) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"content":[],"totalElements":0,"number":0,"size":0}');
    return;
  }
  const size = Math.max(1, Math.min(1000, Number(u.searchParams.get('size') ?? 20) || 20));
  const content = services.slice(0, size).map((s) => ({ ...s, municipalityName: m.municipality.name }));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ content, totalElements: services.length, number: 0, size }));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`url\thttp://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/**
 * Ceiling anchor: a bare node:http server answering every request with the exact bytes (and content type) the
 * gateway answers the benchmark query with. Usage: `node bare.js <body-file> <content-type>`; prints its URL.
 */
const body = readFileSync(process.argv[2]);
const type = process.argv[3] ?? 'application/json';
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body));
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`url\thttp://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

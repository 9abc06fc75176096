import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Config } from '../config/config';
import type { Logger } from '../observability/log';
import type { Database } from '../persistence/orm';
import { ClientInputError, addClient, listClients, revokeClient } from '../services/clients';
import type { Authenticator } from './auth';

/**
 * The local admin endpoint of an embedded gateway (issue 14): PGlite is single-process (src/persistence/dir-lock.ts),
 * so `thuegate clients add|list|revoke` cannot open the data directory while `serve` runs. It talks to the
 * running process instead, over a Unix socket beside the data directory (`<PGLITE_DIR>.sock`, mode 0600): only
 * the OS user who can read the data directory anyway can connect, and nothing listens on the network.
 * One JSON request per connection, one JSON answer.
 */

export type AdminRequest = { op: 'clients.add'; name: string; role: string } | { op: 'clients.list' } | { op: 'clients.revoke'; id: string };
export type AdminAnswer = { ok: true; result: unknown } | { ok: false; error: string; field?: string };

/** Where the admin socket of an embedded gateway on `pgliteDir` listens (an absolute data directory path). */
export function adminSocketPath(pgliteDir: string): string {
  return `${pgliteDir.replace(/\/+$/, '')}.sock`;
}

/** Unix socket paths are limited to about 107 bytes (sun_path); longer data directory paths get no admin socket. */
export const MAX_SOCKET_PATH = 100;

export interface AdminSocketOptions {
  path: string;
  db: Database;
  /** After a revocation: forget cached key lookups, so the key stops working now rather than after the auth cache TTL. */
  onRevoked?: () => void;
  logger: Logger;
}

/** Starts the admin socket; resolves with its stop function. The caller holds the data directory lock, so a socket file found here is stale. */
export async function startAdminSocket(opts: AdminSocketOptions): Promise<() => Promise<void>> {
  const { path, db, logger } = opts;
  if (existsSync(path)) unlinkSync(path);
  const server = createServer((socket) => void serve(socket));

  async function serve(socket: Socket): Promise<void> {
    socket.setTimeout(10_000, () => socket.destroy());
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    for await (const chunk of socket) {
      buffered += chunk as string;
      if (buffered.length > 16_384) return void socket.destroy();
      const nl = buffered.indexOf('\n');
      if (nl < 0) continue;
      const answer = await handle(buffered.slice(0, nl));
      socket.end(JSON.stringify(answer) + '\n');
      return;
    }
  }

  async function handle(line: string): Promise<AdminAnswer> {
    let req: AdminRequest;
    try {
      req = JSON.parse(line) as AdminRequest;
    } catch {
      return { ok: false, error: 'request: expected one line of JSON' };
    }
    try {
      switch (req?.op) {
        case 'clients.add': {
          const c = await addClient(db, { name: req.name, role: req.role });
          logger.info('API client added through the admin socket', { id: c.id, role: c.role, keyPrefix: c.keyPrefix });
          return { ok: true, result: c };
        }
        case 'clients.list':
          return { ok: true, result: await listClients(db) };
        case 'clients.revoke': {
          const c = await revokeClient(db, req.id);
          opts.onRevoked?.();
          logger.info('API client revoked through the admin socket', { id: c.id, keyPrefix: c.keyPrefix });
          return { ok: true, result: c };
        }
        default:
          return { ok: false, error: 'op: expected one of clients.add, clients.list, clients.revoke' };
      }
    } catch (e) {
      if (e instanceof ClientInputError) return { ok: false, error: e.message, field: e.field };
      logger.error('admin socket request failed', { op: req.op, error: (e as Error).message });
      return { ok: false, error: `internal error: ${(e as Error).message}` };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // server.close removes the socket file; a crashed process leaves it behind, and the next start removes it.
    });
}

/** The admin socket of an embedded gateway on a PGlite directory; none for PostgreSQL (the CLI opens it directly) or in-memory PGlite. */
export async function embeddedAdminSocket(config: Config, db: Database, authenticator: Authenticator, logger: Logger): Promise<(() => Promise<void>) | undefined> {
  if (config.databaseUrl || db.kind !== 'pglite' || config.pgliteDir.startsWith('memory://')) return undefined;
  const path = adminSocketPath(resolve(config.pgliteDir));
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    logger.warn('PGLITE_DIR path too long for the admin socket: `thuegate clients` needs the gateway stopped', { path });
    return undefined;
  }
  return startAdminSocket({ path, db, onRevoked: () => authenticator.clear(), logger });
}

import { connect } from 'node:net';
import { adminSocketPath, type AdminAnswer, type AdminRequest } from '../server/admin-socket';
import { ClientInputError, type ClientSummary, type NewClient } from '../services/clients';
import type { ClientsBackend } from './clients';

/** Raised when no running gateway answers on the admin socket (not running, or an older version without one). */
export class AdminSocketUnavailableError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`no gateway answers on ${path} (${reason})`);
    this.name = 'AdminSocketUnavailableError';
  }
}

/** Sends one request to the admin socket of a running embedded gateway (src/server/admin-socket.ts). */
export function adminRequest(path: string, req: AdminRequest, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffered = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('connect', () => {
      connected = true;
      socket.write(JSON.stringify(req) + '\n');
    });
    socket.on('data', (chunk: string) => (buffered += chunk));
    socket.once('error', (e: NodeJS.ErrnoException) =>
      reject(connected ? e : new AdminSocketUnavailableError(path, e.code ?? e.message)),
    );
    socket.once('end', () => {
      let answer: AdminAnswer;
      try {
        answer = JSON.parse(buffered) as AdminAnswer;
      } catch {
        return reject(new Error(`admin socket ${path} sent no JSON answer`));
      }
      if (answer.ok) return resolve(answer.result);
      // Input errors keep their field, so the command prints and exits exactly as it does locally.
      reject(answer.field ? Object.assign(new ClientInputError(answer.field, ''), { message: answer.error }) : new Error(answer.error));
    });
  });
}

const dates = <T extends ClientSummary>(c: T): T => ({
  ...c,
  createdAt: new Date(c.createdAt),
  revokedAt: c.revokedAt ? new Date(c.revokedAt) : null,
  lastUsedAt: c.lastUsedAt ? new Date(c.lastUsedAt) : null,
});

/** The clients operations over the admin socket; same results as on the database. */
export function remoteClients(path: string) {
  return {
    add: async (input: { name: string; role: string }) => (await adminRequest(path, { op: 'clients.add', ...input })) as NewClient,
    list: async () => ((await adminRequest(path, { op: 'clients.list' })) as ClientSummary[]).map(dates),
    revoke: async (id: string) => dates((await adminRequest(path, { op: 'clients.revoke', id })) as ClientSummary),
  };
}

/**
 * The clients commands while `thuegate serve` holds the embedded database (`dir`, locked by process `pid`): through the
 * running gateway's admin socket. When nothing answers there, the command is refused with what to run instead.
 */
export function throughRunningGateway(dir: string, pid: number, command: string, note: (text: string) => void): ClientsBackend {
  const path = adminSocketPath(dir);
  const remote = remoteClients(path);
  const via = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    try {
      const r = await fn(...a);
      note(`(through the running gateway, process ${pid}, admin socket ${path})\n`);
      return r;
    } catch (e) {
      if (!(e instanceof AdminSocketUnavailableError)) throw e;
      throw new Error(
        `the embedded database ${dir} is in use by process ${pid} and its admin socket ${path} does not answer (${e.message.replace(/^.*\((.*)\)$/, '$1')}). ` +
          `Stop that process (kill -TERM ${pid}), then run: ${command} — or run the gateway with DATABASE_URL (PostgreSQL), where this command works beside it.`,
      );
    }
  };
  return { add: via(remote.add), list: via(remote.list), revoke: via(remote.revoke), close: async () => undefined };
}

import { Command, Option } from 'commander';
import { API_CLIENT_ROLES } from '../persistence/entities';
import type { Database } from '../persistence/orm';
import { ClientInputError, addClient, listClients, revokeClient, type ClientSummary, type NewClient } from '../services/clients';

/** Where the commands act: the database itself, or a running embedded gateway's admin socket (cli/admin-client.ts). */
export interface ClientsBackend {
  add(input: { name: string; role: string }): Promise<NewClient>;
  list(): Promise<ClientSummary[]>;
  revoke(idOrPrefix: string): Promise<ClientSummary>;
  close(): Promise<void>;
}

export function databaseClients(db: Database): ClientsBackend {
  return {
    add: (input) => addClient(db, input),
    list: () => listClients(db),
    revoke: (id) => revokeClient(db, id),
    close: () => db.close(),
  };
}

const isDatabase = (x: Database | ClientsBackend): x is Database => 'orm' in x;

export interface ClientsCommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Called with the exit code on a user error (default: process.exitCode). */
  fail(code: number): void;
}

const defaultIo: ClientsCommandIo = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  fail: (code) => void (process.exitCode = code),
};

function formatRow(c: ClientSummary): string {
  const status = c.revokedAt ? `revoked ${c.revokedAt.toISOString()}` : 'active';
  const used = c.lastUsedAt ? c.lastUsedAt.toISOString() : 'never';
  return [c.id, c.keyPrefix + '…', c.role.padEnd(10), status.padEnd(32), `last used ${used}`, c.name].join('  ');
}

/**
 * `thuegate clients add|list|revoke` (DESIGN §6). `open` opens (and migrates) the configured database, or
 * reaches the running gateway that holds it; the command closes it. Input errors print one line naming the field
 * and exit with code 2.
 */
export function registerClientsCommand(
  program: Command,
  open: () => Promise<Database | ClientsBackend>,
  io: ClientsCommandIo = defaultIo,
  /** Tells running gateways about a revocation (Redis pub/sub); resolves to a line for the operator. */
  notifyRevoked?: (clientId: string) => Promise<string>,
): Command {
  const clients = program.command('clients').description('manage API clients (keys are stored hashed; a new key is shown once)');

  const run = async (fn: (db: ClientsBackend) => Promise<void>) => {
    const opened = await open();
    const db = isDatabase(opened) ? databaseClients(opened) : opened;
    try {
      await fn(db);
    } catch (e) {
      if (!(e instanceof ClientInputError)) throw e;
      io.err(`thuegate clients: ${e.message}\n`);
      io.fail(2);
    } finally {
      await db.close();
    }
  };

  clients
    .command('add')
    .description('create a client and print its API key (only once — store it now)')
    .requiredOption('--name <name>', 'who the key is for, e.g. "Fachverfahren XMeld Stadt Erfurt"')
    .addOption(new Option('--role <role>', 'what the key may read').choices([...API_CLIENT_ROLES]).makeOptionMandatory())
    .action((opts: { name: string; role: string }) =>
      run(async (db) => {
        const c = await db.add(opts);
        io.out(`id:     ${c.id}\nrole:   ${c.role}\nprefix: ${c.keyPrefix}\nkey:    ${c.key}\n`);
        io.err('Store the key now: only its hash is kept, it cannot be shown again.\n');
      }),
    );

  clients
    .command('list')
    .description('list clients (id, key prefix, role, status, last use, name); never shows keys')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      run(async (db) => {
        const rows = await db.list();
        if (opts.json) io.out(JSON.stringify(rows, null, 2) + '\n');
        else io.out(rows.length ? rows.map(formatRow).join('\n') + '\n' : 'no clients\n');
      }),
    );

  clients
    .command('revoke')
    .description('revoke a client by id or key prefix; its key stops working on every gateway within a second (with REDIS_URL; otherwise within the auth cache TTL, 30 s)')
    .argument('<id>', 'client id (uuid) or key prefix as shown by "clients list"')
    .action((id: string) =>
      run(async (db) => {
        const c = await db.revoke(id);
        io.out(`revoked ${c.id} (${c.keyPrefix}…, ${c.name}) at ${c.revokedAt!.toISOString()}\n`);
        if (notifyRevoked) io.out(`${await notifyRevoked(c.id)}\n`);
      }),
    );

  return clients;
}

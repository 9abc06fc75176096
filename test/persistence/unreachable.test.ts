import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseConfigError, DatabaseUnavailableError, MigrationError } from '../../src/persistence/errors';
import { openDatabase } from '../../src/persistence/orm';

describe('database faults', () => {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('ping on a closed port rejects quickly, naming the target but not the password', async () => {
    const db = await openDatabase({ databaseUrl: 'postgresql://thuegate:s3cret-pw@127.0.0.1:1/thuegate', pingTimeoutMs: 2_000 });
    try {
      const started = Date.now();
      const err = await db.ping().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(err).toBeInstanceOf(DatabaseUnavailableError);
      const message = (err as Error).message;
      expect(message).toContain('postgresql://thuegate@127.0.0.1:1/thuegate');
      expect(message).toMatch(/ECONNREFUSED/);
      expect(message).not.toContain('s3cret-pw');
    } finally {
      await db.close();
    }
  });

  it('ping against a server that accepts but never answers gives up after pingTimeoutMs', async () => {
    server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.resume(); // swallow everything, answer nothing (reading is also how we notice the client hanging up)
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const db = await openDatabase({ databaseUrl: `postgresql://postgres@127.0.0.1:${port}/x`, pingTimeoutMs: 500 });
    try {
      const started = Date.now();
      await expect(db.ping()).rejects.toThrow(DatabaseUnavailableError);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(450);
      expect(elapsed).toBeLessThan(1_500);
    } finally {
      await db.close();
    }
    // The stuck connection attempt is abandoned, not left open to keep node alive.
    const deadline = Date.now() + 2_000;
    while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sockets.size).toBe(0);
  });

  it('migrate against an unreachable database fails with a typed error', async () => {
    const db = await openDatabase({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/thuegate' });
    try {
      const err = await db.migrate().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toContain('postgresql://postgres@127.0.0.1:1/thuegate');
    } finally {
      await db.close();
    }
  });

  it.each([
    ['mysql://root@127.0.0.1:3306/x', /DATABASE_URL: expected a PostgreSQL URL/],
    ['postgresql://postgres@127.0.0.1:5432', /database name missing/],
    ['postgresql://postgres:hunter2@127.0.0.1:5432/', /database name missing/],
    ['not a url', /DATABASE_URL: expected a PostgreSQL URL/],
  ])('rejects DATABASE_URL %s', async (url, message) => {
    const err = await openDatabase({ databaseUrl: url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('hunter2');
  });
});

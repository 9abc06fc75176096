import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClientsCommand } from '../../../src/cli/clients';
import { ApiClient } from '../../../src/persistence/entities';
import { openDatabase, type Database } from '../../../src/persistence/orm';
import { AuthenticationError, createAuthenticator } from '../../../src/server/auth';
import { addClient, hashApiKey, listClients, revokeClient } from '../../../src/services/clients';
import { createThrowawayDatabase, type ThrowawayPostgres } from '../../persistence/helpers';

// API clients on the machine's real PostgreSQL (a throwaway database per file).
let pg: ThrowawayPostgres;
let db: Database;

beforeAll(async () => {
  pg = await createThrowawayDatabase();
  db = await openDatabase({ databaseUrl: pg.url, poolMax: 2 });
  await db.migrate();
});
afterAll(async () => {
  await db?.close();
  await pg?.drop();
});

describe('clients service', () => {
  it('stores only the SHA-256 of a tg_ key with 32 random bytes and shows the key once', async () => {
    const c = await addClient(db, { name: 'Fachverfahren Test', role: 'integrator' });
    expect(c.key).toMatch(/^tg_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(c.key.slice(3), 'base64url')).toHaveLength(32);
    const row = await db.orm.em.fork().findOneOrFail(ApiClient, { id: c.id });
    expect(row.keyHash).toBe(hashApiKey(c.key));
    expect(row.keyHash).not.toContain(c.key.slice(3, 20));
    expect(row.keyPrefix).toBe(c.key.slice(0, 11));
    const listed = (await listClients(db)).find((x) => x.id === c.id)!;
    expect(listed).toMatchObject({ name: 'Fachverfahren Test', role: 'integrator', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(c.key);
  });

  it('rejects a bad role or empty name naming the field', async () => {
    await expect(addClient(db, { name: 'x', role: 'root' })).rejects.toThrow(/role: expected one of public, integrator, admin/);
    await expect(addClient(db, { name: '  ', role: 'public' })).rejects.toThrow(/^name: expected/);
  });

  it('revokes by prefix or id; an ambiguous or unknown reference is refused', async () => {
    const a = await addClient(db, { name: 'A', role: 'public' });
    const r = await revokeClient(db, a.keyPrefix);
    expect(r.id).toBe(a.id);
    expect(r.revokedAt).toBeInstanceOf(Date);
    const again = await revokeClient(db, a.id);
    expect(again.revokedAt!.getTime()).toBe(r.revokedAt!.getTime());
    await expect(revokeClient(db, 'tg_')).rejects.toThrow(/id: expected/);
    await expect(revokeClient(db, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(/existing client/);
  });
});

describe('authenticator', () => {
  it('maps keys to roles; no key is public; unknown and revoked keys are UNAUTHENTICATED', async () => {
    const auth = createAuthenticator(db, { cacheTtlMs: 60_000 });
    const integ = await addClient(db, { name: 'I', role: 'integrator' });
    const admin = await addClient(db, { name: 'Adm', role: 'admin' });
    expect(await auth.roleFor({})).toEqual({ role: 'public' });
    expect(await auth.roleFor({ 'x-api-key': integ.key })).toEqual({ role: 'integrator', clientId: integ.id });
    expect(await auth.roleFor({ authorization: `ApiKey ${admin.key}` })).toEqual({ role: 'admin', clientId: admin.id });
    const unknown = auth.roleFor({ 'x-api-key': integ.key.slice(0, -2) + 'xx' });
    await expect(unknown).rejects.toBeInstanceOf(AuthenticationError);
    await expect(unknown).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'unknown-key' } });
    await expect(auth.roleFor({ 'x-api-key': 'not-a-key' })).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    await expect(auth.roleFor({ authorization: 'ApiKey' })).rejects.toMatchObject({ extensions: { reason: 'malformed-header' } });

    await revokeClient(db, integ.id);
    // Cached positive lookup survives until cleared / TTL: that bounded delay is the documented trade-off.
    expect((await auth.roleFor({ 'x-api-key': integ.key })).role).toBe('integrator');
    auth.clear();
    await expect(auth.roleFor({ 'x-api-key': integ.key })).rejects.toMatchObject({ message: 'API key has been revoked', extensions: { reason: 'revoked-key' } });
  });

  it('answers repeated lookups from its cache and writes lastUsedAt at most once a minute', async () => {
    let t = Date.parse('2026-01-01T10:00:00Z');
    const auth = createAuthenticator(db, { now: () => t, cacheTtlMs: 120_000 });
    const c = await addClient(db, { name: 'cache', role: 'integrator' });
    const lastUsed = async () => (await db.orm.em.fork().findOneOrFail(ApiClient, { id: c.id })).lastUsedAt?.getTime();
    const settle = () => new Promise((r) => setTimeout(r, 150)); // the touch is fire-and-forget
    await auth.roleFor({ 'x-api-key': c.key });
    await settle();
    expect(await lastUsed()).toBe(t);
    const first = t;
    t += 30_000;
    await auth.roleFor({ 'x-api-key': c.key });
    await settle();
    expect(await lastUsed()).toBe(first);
    t += 31_000;
    await auth.roleFor({ 'x-api-key': c.key });
    await settle();
    expect(await lastUsed()).toBe(t);
    // Take the row away behind the authenticator's back: within the TTL it still answers from cache…
    await db.orm.em.fork().nativeDelete(ApiClient, { id: c.id });
    expect((await auth.roleFor({ 'x-api-key': c.key })).role).toBe('integrator');
    // …and after the TTL it asks the database again.
    t += 121_000;
    await expect(auth.roleFor({ 'x-api-key': c.key })).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('thuegate clients command', () => {
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    let code = 0;
    const program = new Command().exitOverride();
    program.configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
    registerClientsCommand(program, () => openDatabase({ databaseUrl: pg.url, poolMax: 1 }), {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      fail: (c) => (code = c),
    });
    try {
      await program.parseAsync(['node', 'thuegate', 'clients', ...args]);
    } catch (e) {
      code = (e as { exitCode?: number }).exitCode ?? 1;
    }
    return { out: out.join(''), err: err.join(''), code };
  };

  it('add prints the key once; list shows prefix and role but no key; revoke marks it revoked', async () => {
    const added = await cli('add', '--name', 'CLI Client', '--role', 'integrator');
    expect(added.code).toBe(0);
    const key = /key:\s+(tg_\S+)/.exec(added.out)![1];
    const id = /id:\s+(\S+)/.exec(added.out)![1];
    const listed = await cli('list');
    expect(listed.out).toMatch(new RegExp(`${id}\\s+${key.slice(0, 11)}….*integrator.*active.*CLI Client`));
    expect(listed.out).not.toContain(key);
    const revoked = await cli('revoke', id);
    expect(revoked.out).toContain(`revoked ${id}`);
    expect((await cli('list', '--json')).out).toContain('"revokedAt": "');
  });

  it('rejects a wrong role with the allowed choices and has --help', async () => {
    const bad = await cli('add', '--name', 'x', '--role', 'superuser');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/superuser.*invalid.*public, integrator, admin/is);
    const help = await cli('--help');
    expect(help.out).toMatch(/add \[options\]/);
    expect(help.out).toMatch(/revoke/);
    const unknown = await cli('revoke', 'tg_zzzzzzzz');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/id: expected an existing client/);
  });
});

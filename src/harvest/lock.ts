import { hostname } from 'node:os';
import type { Database } from '../persistence/orm';

/**
 * One harvester across all replicas: a session-level PostgreSQL advisory lock (it works on PGlite too,
 * whose single connection is the session). On PostgreSQL the lock lives on a connection taken out of the
 * pool for the whole harvest, so the harvest's own queries cannot release it by accident, and a killed
 * process loses it with its connection.
 */

// "thuh": distinct from the migration lock ("thue", src/persistence/orm.ts).
export const HARVEST_LOCK_KEY = 0x7468_7568;

export interface HarvestLock {
  release(): Promise<void>;
}

export interface LockHolder {
  /** Printable: PostgreSQL backend, client address, application and since when. */
  description: string;
}

export const thisHolder = (): string => `${hostname()} pid ${process.pid}`;

interface PgClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}
interface KnexClientLike {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(c: PgClient): Promise<void>;
}

export async function tryHarvestLock(db: Database): Promise<HarvestLock | null> {
  const conn = db.orm.em.getConnection();
  if (db.kind === 'pglite') {
    const rows = await conn.execute<{ ok: boolean }[]>(`select pg_try_advisory_lock(${HARVEST_LOCK_KEY}) as ok`);
    if (!rows[0]?.ok) return null;
    return { release: async () => void (await conn.execute(`select pg_advisory_unlock(${HARVEST_LOCK_KEY})`)) };
  }
  const client = conn.getKnex().client as unknown as KnexClientLike;
  const pg = await client.acquireConnection();
  try {
    const r = await pg.query(`select pg_try_advisory_lock(${HARVEST_LOCK_KEY}) as ok`);
    if (!r.rows[0]?.ok) {
      await client.releaseConnection(pg);
      return null;
    }
  } catch (e) {
    await client.releaseConnection(pg);
    throw e;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      try {
        await pg.query(`select pg_advisory_unlock(${HARVEST_LOCK_KEY})`);
      } finally {
        await client.releaseConnection(pg);
      }
    },
  };
}

/** Who holds the harvest lock, as PostgreSQL and the building snapshot tell it (best effort). */
export async function describeHolder(db: Database): Promise<string> {
  const conn = db.orm.em.getConnection();
  const parts: string[] = [];
  try {
    const snap = await conn.execute<{ id: number; holder: string | null; started_at: string }[]>(
      `select id, holder, started_at from harvest_snapshot where status = 'building' order by id desc limit 1`,
    );
    if (snap[0]) parts.push(`${snap[0].holder ?? 'unknown holder'} (building snapshot ${snap[0].id} since ${new Date(snap[0].started_at).toISOString()})`);
  } catch {
    /* the table may not exist yet on an unmigrated database */
  }
  if (db.kind === 'postgresql') {
    try {
      const rows = await conn.execute<{ pid: number; application_name: string; client_addr: string | null; backend_start: string }[]>(
        `select a.pid, a.application_name, a.client_addr::text as client_addr, a.backend_start from pg_locks l join pg_stat_activity a on a.pid = l.pid
         where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = ${HARVEST_LOCK_KEY} limit 1`,
      );
      if (rows[0]) {
        parts.push(`PostgreSQL backend pid ${rows[0].pid} (${rows[0].application_name || 'no application name'}${rows[0].client_addr ? ` from ${rows[0].client_addr}` : ''}, connected ${new Date(rows[0].backend_start).toISOString()})`);
      }
    } catch {
      /* pg_stat_activity may be restricted: the snapshot row still says who */
    }
  }
  return parts.length ? parts.join('; ') : 'another process (no details available)';
}

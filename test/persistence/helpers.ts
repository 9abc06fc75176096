import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../../src/persistence/orm';

/** The machine's PostgreSQL (trust auth); only used to create and drop throwaway databases. */
export const ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export interface ThrowawayPostgres {
  url: string;
  name: string;
  admin: Database;
  /** Open connections to the throwaway database, as PostgreSQL itself counts them. */
  connections(): Promise<number>;
  drop(): Promise<void>;
}

export async function createThrowawayDatabase(): Promise<ThrowawayPostgres> {
  const admin = await openDatabase({ databaseUrl: ADMIN_URL, poolMax: 1 });
  const name = `thuegate_t_${randomBytes(6).toString('hex')}`;
  await admin.orm.em.getConnection().execute(`create database "${name}"`);
  return {
    url: `postgresql://postgres@127.0.0.1:5432/${name}`,
    name,
    admin,
    connections: async () => {
      const rows = await admin.orm.em
        .getConnection()
        .execute<{ n: string }[]>(`select count(*)::text as n from pg_stat_activity where datname = ?`, [name]);
      return Number(rows[0].n);
    },
    drop: async () => {
      try {
        await admin.orm.em.getConnection().execute(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.close();
      }
    },
  };
}

/** Column names per table in the public schema, from PostgreSQL's own catalogue. */
export async function columnsByTable(db: Database): Promise<Map<string, string[]>> {
  const rows = await db.orm.em
    .getConnection()
    .execute<{ table_name: string; column_name: string }[]>(
      `select table_name, column_name from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
    );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
  return out;
}

/** What the entities declare: table → column names (the contract the migrations must fulfil). */
export function declaredColumns(db: Database): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const meta of Object.values(db.orm.getMetadata().getAll())) {
    if (!meta.tableName || meta.embeddable || meta.virtual) continue;
    out.set(
      meta.tableName,
      meta.props.flatMap((p) => p.fieldNames ?? []),
    );
  }
  return out;
}

import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.js';

export type Sql = postgres.Sql;
export type Db = ReturnType<typeof drizzle<typeof schema>>;

export interface Database {
  sql: Sql;
  db: Db;
  close(): Promise<void>;
}

export function connect(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Row ids are bigint; as numbers (safe to 2^53, as drizzle's mode 'number') they compare and
    // serialise simply. Note: drizzle's driver makes date/timestamp values travel as text both ways.
    types: { bigint: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) } },
  });
  const db = drizzle(sql, { schema });
  return { sql, db, close: () => sql.end({ timeout: 5 }) };
}

// Batched statements (see coalesce.ts) get their rows as one JSON document, in one of two ways.
// - Prepared, with the JSON as a parameter: planned once per connection. Right only when every table is
//   reached per input row through a correlated lookup on an index (a LATERAL ... LIMIT 1, an aggregate or
//   a scalar subquery, which Postgres never turns into a join), so the cached plan does not depend on
//   how big the tables were when it was made. The request paths (answers, streaks, learners) use this.
// - runBatch: the rows inlined as one literal, escaped by pg, on postgres.js's simple protocol: one round
//   trip, planned for the rows at hand every time. For statements that join the batch to big tables (the
//   fan-out's), where a generic plan made while a table was still small would seq-scan it for the life of
//   the connection once it has grown, and an unprepared one with parameters costs a second round trip.
import pg from 'pg';
import type { Sql } from './client.js';

/** `statement` gets the rows as a SQL json expression and how many there are (for a `limit` that tells the planner). */
export function runBatch<T extends object>(sql: Sql, statement: (rows: string, count: number) => string, rows: unknown[]): Promise<T[]> {
  return sql.unsafe<T[]>(statement(`${pg.escapeLiteral(JSON.stringify(rows))}::json`, rows.length));
}

/** Rows tagged with their input's index `n`, back in input order: one row or null per input. */
export function perInput<T extends { n: number }>(rows: T[], count: number): (Omit<T, 'n'> | null)[] {
  const out: (Omit<T, 'n'> | null)[] = Array.from({ length: count }, () => null);
  for (const { n, ...row } of rows) out[n] = row;
  return out;
}

// Runs a batched statement (see coalesce.ts) with its rows inlined as one JSON literal, escaped by pg.
// On postgres.js's simple protocol that is one round trip, planned for the rows at hand every time: a
// prepared statement's cached generic plan, made while a table was still small, would seq-scan it for the
// life of the connection once it has grown, and an unprepared one with parameters costs a second round trip.
import pg from 'pg';
import type { Sql } from './client.js';

/** `statement` gets the rows as a SQL json expression and how many there are (for a `limit` that tells the planner). */
export function runBatch<T extends object>(sql: Sql, statement: (rows: string, count: number) => string, rows: unknown[]): Promise<T[]> {
  return sql.unsafe<T[]>(statement(`${pg.escapeLiteral(JSON.stringify(rows))}::json`, rows.length));
}

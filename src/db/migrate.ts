import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { Database } from './client.js';

/** drizzle/ at the package root, found from this file whether it runs from src/ or a bundle in dist/. */
function migrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'drizzle', 'meta', '_journal.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('drizzle/ migrations folder not found next to the package');
    dir = parent;
  }
  return path.join(dir, 'drizzle');
}

// Any number of processes may start at once; an advisory lock lets one migrate while the others wait.
const MIGRATION_LOCK = 7_216_441;

export async function runMigrations({ sql, db }: Database): Promise<void> {
  const reserved = await sql.reserve();
  try {
    await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(db, { migrationsFolder: migrationsDir() });
  } finally {
    await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    reserved.release();
  }
}

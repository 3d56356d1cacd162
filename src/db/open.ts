// Where the database comes from: DATABASE_URL, or the embedded server under DATA_DIR.
import type { Logger } from 'pino';
import { connect, type Database } from './client.js';
import { startEmbeddedPostgres } from './embedded.js';
import { runMigrations } from './migrate.js';

export interface OpenDatabase extends Database {
  embedded: boolean;
  /** Where it is, for BullMQ's PostgreSQL backend. Contains credentials: never log it. */
  url: string;
}

export async function openDatabase(options: { url?: string; dataDir: string; log: Logger; max?: number }): Promise<OpenDatabase> {
  const embedded = options.url ? null : await startEmbeddedPostgres(options.dataDir, options.log);
  const url = options.url ?? embedded!.url;
  const database = connect(url, { max: options.max });
  try {
    await runMigrations(database);
  } catch (error) {
    await database.close();
    await embedded?.stop();
    throw error;
  }
  return {
    ...database,
    embedded: embedded !== null,
    url,
    close: async () => {
      await database.close();
      await embedded?.stop();
    },
  };
}

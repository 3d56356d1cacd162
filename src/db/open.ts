// Where the database comes from: DATABASE_URL, or the embedded server under DATA_DIR.
import type { Logger } from 'pino';
import { connect, type Database } from './client.js';
import { startEmbeddedPostgres } from './embedded.js';
import { runMigrations } from './migrate.js';

export interface OpenDatabase extends Database {
  embedded: boolean;
}

export async function openDatabase(options: { url?: string; dataDir: string; log: Logger; max?: number }): Promise<OpenDatabase> {
  const embedded = options.url ? null : await startEmbeddedPostgres(options.dataDir, options.log);
  const database = connect(options.url ?? embedded!.url, { max: options.max });
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
    close: async () => {
      await database.close();
      await embedded?.stop();
    },
  };
}

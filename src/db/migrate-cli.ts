// `npm run db:migrate`: applies drizzle/ migrations to DATABASE_URL (or the embedded server).
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openDatabase } from './open.js';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
log.info('migrations are up to date');
await database.close();

// Real BullMQ for integration tests, on either backend, with workers running the app's real job handlers.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { JobContext } from '../../src/app/jobs/context.js';
import { jobHandlers } from '../../src/app/jobs/handlers.js';
import type { AppContext, Log, Messenger, Platform } from '../../src/app/ports.js';
import { nudgeStore } from '../../src/db/stores/nudges.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { createJobEngine, type JobEngine } from '../../src/jobs/engine.js';
import type { TestDatabase } from './db.js';

/** Both backends; Redis in a database of its own per test file, so wiping it disturbs no other file. */
export const jobBackends = (redisDb: number) =>
  [
    ['redis', `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/${redisDb}`],
    ['postgres', undefined],
  ] as const;

/** Empties a test file's own Redis database when the file is done, so runs leave nothing behind. */
export async function emptyRedisDb(redisUrl: string | undefined): Promise<void> {
  if (!redisUrl) return;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

export function startJobs(
  database: TestDatabase,
  app: AppContext,
  log: Log,
  messenger: Messenger,
  { redisUrl, workers = true, platform = 'console' }: { redisUrl: string | undefined; workers?: boolean; platform?: Platform },
): { engine: JobEngine; ctx: JobContext } {
  const engine = createJobEngine({ redisUrl, databaseUrl: database.url, log, prefix: `t${randomBytes(4).toString('hex')}`, lessonRatePerSecond: 0, retryDelayMs: 20 });
  const ctx: JobContext = { app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs: engine.jobs, messengers: { [platform]: messenger }, log };
  if (workers) engine.startWorkers(jobHandlers(ctx));
  return { engine, ctx };
}

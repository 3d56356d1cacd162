// Composition root: config -> content -> database -> jobs -> platforms. The only file that wires layers.
import path from 'node:path';
import type { Logger } from 'pino';
import { dispatch } from './app/dispatch.js';
import type { JobContext } from './app/jobs/context.js';
import { jobHandlers } from './app/jobs/handlers.js';
import type { AppContext, Clock, Messenger, Platform } from './app/ports.js';
import { ConfigError, describeConfig, loadConfig, type Config } from './config.js';
import { formatProblem, loadCourse } from './content/load.js';
import { indexCourse, type CourseIndex } from './core/course.js';
import { openDatabase } from './db/open.js';
import { createStores } from './db/stores/index.js';
import { nudgeStore } from './db/stores/nudges.js';
import { schedulerStore } from './db/stores/scheduler.js';
import { startHealthServer } from './health.js';
import { createJobEngine } from './jobs/engine.js';
import { createLogger } from './logger.js';
import { SimulatedClock } from './platforms/console/clock.js';
import { consoleMessenger } from './platforms/console/messenger.js';
import { Playground } from './platforms/console/playground.js';

async function loadCatalog(config: Config, log: Logger): Promise<CourseIndex> {
  const dir = path.resolve(config.CONTENT_DIR, config.COURSE_ID);
  const { course, problems } = await loadCourse(dir);
  if (!course) {
    for (const problem of problems) log.error(formatProblem(problem));
    throw new Error(`the course in ${dir} has ${problems.length} problem(s); run npm run content:check`);
  }
  return indexCourse(course);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  log.info(describeConfig(config), 'starting Backend Mentor');
  if (config.mode === 'platforms') throw new ConfigError(['Discord and Slack connections are not available in this version yet; unset their variables to use the playground']);
  const catalog = await loadCatalog(config, log);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => database.close()];

  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      for (const cleanup of cleanups.reverse()) await cleanup();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void shutdown(signal).finally(() => process.exit(0)));
  }
  if (config.HEALTH_PORT) {
    const health = await startHealthServer(config.HEALTH_PORT, async () => void (await database.sql`select 1`));
    cleanups.push(() => health.close());
  }

  const clock: Clock & Partial<SimulatedClock> = config.mode === 'playground' ? new SimulatedClock() : { now: () => new Date() };
  const app: AppContext = {
    stores: createStores(database.db),
    clock,
    catalog,
    defaults: { timezone: config.DEFAULT_TIMEZONE, deliveryTime: '09:00' },
  };
  const engine = createJobEngine({ redisUrl: config.REDIS_URL, databaseUrl: database.url, log, lessonRatePerSecond: config.DELIVERY_RATE_PER_SECOND });
  cleanups.push(() => engine.close());

  const simulated = clock as SimulatedClock;
  const playground = new Playground({
    handle: (inbound) => dispatch(app, log, inbound),
    onClockMoved: () => engine.runTickNow(),
    clock: simulated,
    input: process.stdin,
    output: process.stdout,
    echo: !process.stdin.isTTY,
    user: config.PLAYGROUND_USER,
    zone: config.DEFAULT_TIMEZONE,
  });
  const messengers: Partial<Record<Platform, Messenger>> = { console: consoleMessenger(playground) };
  const jobContext: JobContext = { app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs: engine.jobs, messengers, log };
  engine.startWorkers(jobHandlers(jobContext));
  await engine.scheduleRecurring();
  log.info({ backend: engine.backend }, 'jobs are running');

  await playground.run();
  await shutdown('input ended');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee the Configuration table in README.md.\n`);
  } else {
    process.stderr.write(`Backend Mentor could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});

// Composition root: config -> content -> database -> jobs -> platforms. The only file that wires layers.
import path from 'node:path';
import type { Logger } from 'pino';
import { dispatch } from './app/dispatch.js';
import type { JobContext } from './app/jobs/context.js';
import { jobHandlers } from './app/jobs/handlers.js';
import { dispatchDirect } from './app/direct.js';
import type { Inbound } from './app/inbound.js';
import type { AppContext, Messenger, Platform, PlatformAdapter } from './app/ports.js';
import { ConfigError, describeConfig, loadConfig, type Config } from './config.js';
import { formatProblem, loadCourse } from './content/load.js';
import { indexCourse, type CourseIndex } from './core/course.js';
import { openDatabase, type OpenDatabase } from './db/open.js';
import { directLookup } from './db/stores/direct.js';
import { installationStore } from './db/stores/installations.js';
import { createStores } from './db/stores/index.js';
import { createChartRenderer } from './charts/png.js';
import { nudgeStore } from './db/stores/nudges.js';
import { schedulerStore } from './db/stores/scheduler.js';
import { startHealthServer } from './health.js';
import { createJobEngine } from './jobs/engine.js';
import { checkRedis } from './jobs/redis-check.js';
import { createLogger } from './logger.js';
import { SimulatedClock } from './platforms/console/clock.js';
import { createDiscordAdapter } from './platforms/discord/index.js';
import { createSlackAdapter } from './platforms/slack/index.js';
import { consoleMessenger } from './platforms/console/messenger.js';
import { Playground } from './platforms/console/playground.js';
import { keepServingThroughErrors } from './process-guard.js';

const SHUTDOWN_GRACE_MS = 15_000;

async function loadCatalog(config: Config, log: Logger): Promise<CourseIndex> {
  const dir = path.resolve(config.CONTENT_DIR, config.COURSE_ID);
  const { course, problems } = await loadCourse(dir);
  if (!course) {
    for (const problem of problems) log.error(formatProblem(problem));
    throw new Error(`the course in ${dir} has ${problems.length} problem(s); run npm run content:check`);
  }
  return indexCourse(course);
}

/** Discord and Slack connections for the configured platforms (not started yet). */
function createPlatforms(config: Config, app: AppContext, database: OpenDatabase, log: Logger): PlatformAdapter[] {
  const handle = (inbound: Inbound) => dispatch(app, log, inbound);
  const platforms: PlatformAdapter[] = [];
  if (config.discord) {
    const lookup = directLookup(database.db);
    platforms.push(
      createDiscordAdapter({
        config: config.discord,
        handle,
        handleDirect: (user, request) => dispatchDirect(app, log, lookup, { platform: 'discord', user, request }),
        log,
        challengeTemplates: app.catalog.course.challenges,
      }),
    );
  }
  if (config.slack) platforms.push(createSlackAdapter({ config: config.slack, handle, installations: installationStore(database.db, { key: config.slack.oauth?.installationKey }), log }));
  return platforms;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  log.info(describeConfig(config), 'starting Backend Mentor');
  const catalog = await loadCatalog(config, log);
  // Before anything starts: BullMQ would retry an unusable REDIS_URL forever without saying what is wrong.
  if (config.REDIS_URL) await checkRedis(config.REDIS_URL);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => database.close()];

  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (err) {
          log.warn({ err }, 'a cleanup failed while shutting down; going on with the rest');
        }
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // A cleanup that hangs (say, a connection cut under it) must not keep the process up forever.
      setTimeout(() => {
        log.error({ signal }, `shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000} s; exiting anyway`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
      void shutdown(signal).finally(() => process.exit(0));
    });
  }
  if (config.HEALTH_PORT) {
    const health = await startHealthServer(config.HEALTH_PORT, async () => void (await database.sql`select 1`));
    cleanups.push(() => health.close());
  }

  const playgroundMode = config.mode === 'playground';
  const clock = playgroundMode ? new SimulatedClock() : { now: () => new Date() };
  const app: AppContext = {
    stores: createStores(database.db),
    clock,
    catalog,
    defaults: { timezone: config.DEFAULT_TIMEZONE, deliveryTime: '09:00' },
  };
  const engine = createJobEngine({ redisUrl: config.REDIS_URL, databaseUrl: database.url, log, lessonRatePerSecond: config.DELIVERY_RATE_PER_SECOND, concurrency: config.DELIVERY_CONCURRENCY });
  cleanups.push(() => engine.close());

  const playground = playgroundMode
    ? new Playground({
        handle: (inbound) => dispatch(app, log, inbound),
        onClockMoved: () => engine.runTickNow(),
        clock: clock as SimulatedClock,
        input: process.stdin,
        output: process.stdout,
        echo: !process.stdin.isTTY,
        user: config.PLAYGROUND_USER,
        zone: config.DEFAULT_TIMEZONE,
        log,
      })
    : null;
  const platforms = playground ? [] : createPlatforms(config, app, database, log);
  const messengers: Partial<Record<Platform, Messenger>> = Object.fromEntries(platforms.map((p) => [p.platform, p.messenger]));
  if (playground) messengers.console = consoleMessenger(playground);
  // Commands post challenges and tell review decisions right away through the same messengers.
  app.messengers = messengers;
  app.charts = createChartRenderer();

  // ROLE=bot answers chat; ROLE=worker runs the scheduler and jobs (sending through the platforms' REST
  // clients, without a gateway); ROLE=all and the playground do both.
  const runsJobs = playgroundMode || config.ROLE !== 'bot';
  const runsGateways = !playgroundMode && config.ROLE !== 'worker';
  if (runsJobs) {
    const jobContext: JobContext = { app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs: engine.jobs, messengers, log };
    engine.startWorkers(jobHandlers(jobContext));
    await engine.scheduleRecurring();
    log.info({ backend: engine.backend }, 'scheduler and job workers are running');
  }
  if (runsGateways) {
    for (const platform of platforms) {
      await platform.start();
      cleanups.push(() => platform.stop());
      log.info({ platform: platform.platform }, 'connected');
    }
  }
  // Started: from here one request's error must not stop the bot (a start-up failure above still exits 1).
  keepServingThroughErrors(log);

  if (playground) {
    await playground.run();
    await shutdown('input ended');
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee the Configuration table in README.md.\n`);
  } else {
    process.stderr.write(`Backend Mentor could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});

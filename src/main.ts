// Composition root: config -> content -> database -> platform. The only file that wires across layers.
import path from 'node:path';
import type { Logger } from 'pino';
import { dispatch } from './app/dispatch.js';
import type { AppContext } from './app/ports.js';
import { ConfigError, describeConfig, loadConfig, type Config } from './config.js';
import { indexCourse, type CourseIndex } from './core/course.js';
import { formatProblem, loadCourse } from './content/load.js';
import { openDatabase } from './db/open.js';
import { createStores } from './db/stores/index.js';
import { startHealthServer } from './health.js';
import { createLogger } from './logger.js';
import { SimulatedClock } from './platforms/console/clock.js';
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
  const catalog = await loadCatalog(config, log);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
  const health = config.HEALTH_PORT
    ? await startHealthServer(config.HEALTH_PORT, async () => void (await database.sql`select 1`))
    : null;

  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      health?.close();
      await database.close();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void shutdown(signal).finally(() => process.exit(0)));
  }

  const clock = new SimulatedClock();
  const app: AppContext = {
    stores: createStores(database.db),
    clock,
    catalog,
    defaults: { timezone: config.DEFAULT_TIMEZONE, deliveryTime: '09:00' },
  };
  const playground = new Playground({
    handle: (inbound) => dispatch(app, log, inbound),
    clock,
    input: process.stdin,
    output: process.stdout,
    echo: !process.stdin.isTTY,
    user: config.PLAYGROUND_USER,
    zone: config.DEFAULT_TIMEZONE,
  });
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

// A lesson worker in its own process, so a test can kill -9 it mid fan-out. Its messenger records in
// Postgres every send that reaches the "platform", doubles included; like the real messengers, only a
// retry that says it is unsure looks for an earlier send of its key first.
import path from 'node:path';
import type { JobContext } from '../../src/app/jobs/context.js';
import { deliverLesson } from '../../src/app/jobs/deliver-lesson.js';
import { tick } from '../../src/app/jobs/tick.js';
import type { Log, Messenger } from '../../src/app/ports.js';
import { loadCourse } from '../../src/content/load.js';
import { indexCourse } from '../../src/core/course.js';
import { connect } from '../../src/db/client.js';
import { createStores } from '../../src/db/stores/index.js';
import { nudgeStore } from '../../src/db/stores/nudges.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { createJobEngine } from '../../src/jobs/engine.js';

const env = process.env;
const database = connect(env.DATABASE_URL!);
const { course } = await loadCourse(path.resolve('content/backend-foundations'));
const now = new Date(env.TEST_NOW!);
const log: Log = { info() {}, warn() {}, error: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`) };

const messenger: Messenger = {
  async sendDirect(to, _reply, key, unsure) {
    await database.sql`insert into test_attempts (key) values (${key})`;
    if (unsure) {
      const [earlier] = await database.sql`select key from test_sends where key = ${key} limit 1`;
      if (earlier) return { ref: key, channelId: `dm-${to.userExternalId}` };
    }
    await database.sql`insert into test_sends (key, learner) values (${key}, ${to.userExternalId})`;
    await new Promise((resolve) => setTimeout(resolve, 2)); // the answer's way back: a kill here loses it
    return { ref: key, channelId: `dm-${to.userExternalId}` };
  },
  sendToChannel: async (_c, channelId, _r, key) => ({ ref: key, channelId }),
};

const engine = createJobEngine({
  redisUrl: env.REDIS_URL || undefined,
  databaseUrl: env.DATABASE_URL!,
  log,
  prefix: env.PREFIX,
  lessonRatePerSecond: 0,
  retryDelayMs: 20,
  lockDurationMs: 1_000,
});
const app = { stores: createStores(database.db), clock: { now: () => now }, catalog: indexCourse(course!), defaults: { timezone: 'UTC', deliveryTime: '09:00' } };
const ctx: JobContext = { app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs: engine.jobs, messengers: { console: messenger }, log };
engine.startWorkers({ tick: () => tick(ctx), deliverLesson: (job) => deliverLesson(ctx, job) });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  // The test drops the database right after; a close cut short must not leave this process behind.
  setTimeout(() => process.exit(1), 5_000).unref();
  void engine.close().then(() => database.close()).finally(() => process.exit(0));
});

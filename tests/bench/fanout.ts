// npm run bench:fanout: N learners due in the same minute, delivered through real BullMQ and the real
// delivery job with a recording messenger (no latency); against raw BullMQ no-op add+process in the
// same run. Redis with 100,000 learners, then the PostgreSQL backend with 10,000.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { withBackend, createPostgresBackend, createRedisBackend, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobContext } from '../../src/app/jobs/context.js';
import { deliverLesson } from '../../src/app/jobs/deliver-lesson.js';
import { tick } from '../../src/app/jobs/tick.js';
import type { Log, Messenger } from '../../src/app/ports.js';
import { loadCourse } from '../../src/content/load.js';
import { indexCourse } from '../../src/core/course.js';
import { connect } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { createStores } from '../../src/db/stores/index.js';
import { nudgeStore } from '../../src/db/stores/nudges.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { withDatabase } from './database.js';
import { createJobEngine } from '../../src/jobs/engine.js';
import { DEFAULT_LESSON_CONCURRENCY } from '../../src/jobs/payloads.js';

const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// The worker's default (DELIVERY_CONCURRENCY), and the same for the raw BullMQ baseline.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? DEFAULT_LESSON_CONCURRENCY);
const NOW = new Date('2026-05-05T10:00:00Z');
const log: Log = { info() {}, warn: (o, m) => console.error(m, o), error: (o, m) => console.error(m, o) };
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The benchmark's queues leave the shared Redis as they found it. */
async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}

/** Raw BullMQ: add N no-op jobs in batches and process them with the same concurrency. */
async function rawBullmq(count: number, backend: 'redis' | 'postgres', databaseUrl: string): Promise<number> {
  const redis = backend === 'redis' ? new Redis(REDIS, { maxRetriesPerRequest: null }) : null;
  const { Queue, Worker } = (backend === 'redis' ? withBackend(createRedisBackend) : withBackend(createPostgresBackend)) as unknown as ReturnType<typeof withBackend<never, unknown>>;
  const opts = { connection: redis ?? { connectionString: databaseUrl, schema: 'bullmq', migrate: true, max: 10 }, prefix: `raw${randomBytes(3).toString('hex')}` };
  const queue = new Queue('bench-raw', opts);
  // The benchmark database is dropped right after; connections cut then are expected.
  queue.on('error', () => {});
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    const worker = new Worker('bench-raw', async (_job: Job) => {}, { ...opts, concurrency: CONCURRENCY });
    worker.on('error', () => {});
    worker.on('completed', () => {
      done += 1;
      if (done === count) void worker.close().then(() => resolve());
    });
  });
  const started = performance.now();
  for (let i = 0; i < count; i += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: { jobId: `raw:${i + j}:x`, removeOnComplete: true } })));
  }
  await finished;
  const rate = count / ((performance.now() - started) / 1000);
  await queue.close();
  if (redis) await dropKeys(redis, opts.prefix);
  await redis?.quit();
  return rate;
}

async function fanout(backend: 'redis' | 'postgres', count: number) {
  await withDatabase('bm_fanout', async (url) => {
    const database = connect(url, { max: Number(process.env.BENCH_POOL ?? 10) });
    await runMigrations(database);
    await database.sql`insert into communities (platform, external_id) values ('console', 'bench')`;
    for (let i = 0; i < count; i += 20_000) {
      await database.sql`
        with l as (
          insert into learners (community_id, external_id, display_name, timezone, delivery_time)
          select 1, 'u' || g, 'u' || g, 'UTC', '09:00' from generate_series(${i + 1}::int, ${Math.min(count, i + 20_000)}::int) g
          returning id
        )
        insert into enrollments (learner_id, course_id, position, next_delivery_at)
        select id, 'backend-foundations', 1, ${'2026-05-05T09:59:00Z'} from l`;
    }
    const { course } = await loadCourse(path.resolve('content/backend-foundations'));
    const app = { stores: createStores(database.db), clock: { now: () => NOW }, catalog: indexCourse(course!), defaults: { timezone: 'UTC', deliveryTime: '09:00' } };

    let delivered = 0;
    let allDelivered: () => void = () => {};
    const done = new Promise<void>((resolve) => (allDelivered = resolve));
    const messenger: Messenger = {
      sendDirect: async (_to, _reply, key) => {
        if (++delivered === count) allDelivered();
        return { ref: key, channelId: 'dm' };
      },
      sendToChannel: async (_c, channelId, _r, key) => ({ ref: key, channelId }),
    };
    const prefix = `fan${randomBytes(3).toString('hex')}`;
    const engine = createJobEngine({ redisUrl: backend === 'redis' ? REDIS : undefined, databaseUrl: url, log, prefix, lessonRatePerSecond: 0, concurrency: CONCURRENCY });
    const ctx: JobContext = { app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs: engine.jobs, messengers: { console: messenger }, log };

    const startRss = process.memoryUsage().rss;
    let peakRss = startRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    let busyMs = 0;
    const timed = async (job: Parameters<typeof deliverLesson>[1]) => {
      const began = performance.now();
      try {
        return await deliverLesson(ctx, job);
      } finally {
        busyMs += performance.now() - began;
      }
    };
    engine.startWorkers({ tick: () => tick(ctx), deliverLesson: timed });
    const { enqueued } = await tick(ctx);
    const enqueueMs = performance.now() - started;
    await done;
    const deliverMs = performance.now() - started;
    const loop = performance.eventLoopUtilization(elu).utilization;
    const used = process.cpuUsage(cpu);
    clearInterval(sampler);
    await engine.close();
    if (backend === 'redis') {
      const redis = new Redis(REDIS);
      await dropKeys(redis, prefix);
      await redis.quit();
    }
    const [check] = await database.sql<{ sent: number }[]>`select count(*)::int as sent from deliveries where state = 'sent'`;
    await database.close();

    const rate = count / (deliverMs / 1000);
    const raw = await rawBullmq(count, backend, url);
    console.log(`\n${backend} backend, ${count.toLocaleString('en')} learners due in the same minute (concurrency ${CONCURRENCY})`);
    console.log(`  enqueue (tick, ${enqueued} jobs): ${seconds(enqueueMs)}`);
    console.log(`  deliver all: ${seconds(deliverMs)} (${check?.sent} delivery rows sent)`);
    console.log(`  deliveries/s: ${rate.toFixed(0)}`);
    console.log(`  raw BullMQ no-op add+process/s: ${raw.toFixed(0)}`);
    console.log(`  ratio: ${(rate / raw).toFixed(2)}`);
    console.log(`  peak RSS during fan-out: ${mb(peakRss)} (${mb(startRss)} before it)`);
    console.log(`  worker event loop busy: ${(loop * 100).toFixed(0)}%, process CPU: ${(((used.user + used.system) / 1000 / deliverMs) * 100).toFixed(0)}% of a core`);
    console.log(`  mean time inside the delivery job: ${(busyMs / count).toFixed(1)} ms`);
  });
}

const which = process.env.BENCH_BACKEND;
if (!which || which === 'redis') await fanout('redis', Number(process.env.BENCH_LEARNERS ?? 100_000));
if (!which || which === 'postgres') await fanout('postgres', Number(process.env.BENCH_PG_LEARNERS ?? 10_000));

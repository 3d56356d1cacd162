// BullMQ on Redis (REDIS_URL) or on PostgreSQL (BullMQ 6's backend, schema "bullmq"). Same queues,
// same workers, same job ids either way; only where the jobs live changes.
import {
  createPostgresBackend,
  createRedisBackend,
  UnrecoverableError,
  withBackend,
  type BackendClasses,
  type IQueueBackend,
  type Job,
  type Queue,
  type Worker,
} from 'bullmq';
import { Redis } from 'ioredis';
import type { ZodType } from 'zod';
import { PermanentJobError } from '../app/jobs/errors.js';
import type { CohortJob, Jobs, LessonJob, Log, NudgeJob } from '../app/ports.js';
import { isConnectionError, outageWatch, type OutageWatch } from './outage.js';
import { cohortJobId, cohortPayload, DEFAULT_LESSON_CONCURRENCY, JOB_NAMES, lessonJobId, lessonPayload, nudgeJobId, nudgePayload, QUEUES, tickPayload } from './payloads.js';
import { redisTarget } from './redis-check.js';

export interface EngineOptions {
  redisUrl?: string;
  databaseUrl: string;
  log: Log;
  /** Namespaces the queues (Redis key prefix); tests use one each. */
  prefix?: string;
  /** Deliveries per second across this process's lesson worker; 0 for no limit. */
  lessonRatePerSecond: number;
  /** Lesson jobs in flight per process; they share their database statements (db/coalesce.ts). */
  concurrency?: number;
  /** First retry delay (doubles each attempt). */
  retryDelayMs?: number;
  /** How soon a job held by a dead worker is taken over (BullMQ's lock duration). */
  lockDurationMs?: number;
}

export interface Handlers {
  tick(): Promise<unknown>;
  nudgeScan?(): Promise<unknown>;
  deliverLesson(job: LessonJob): Promise<unknown>;
  nudge?(job: NudgeJob): Promise<unknown>;
  /** Every minute: what cohort work is due in Postgres (reminders, closes, unsent posts, the digest). */
  cohortScan?(): Promise<unknown>;
  cohort?(job: CohortJob): Promise<unknown>;
}

export interface JobEngine {
  backend: 'redis' | 'postgres';
  jobs: Jobs;
  /** The minute tick (and the nudge and cohort scans), under stable ids so one instance runs each however many processes start. */
  scheduleRecurring(): Promise<void>;
  startWorkers(handlers: Handlers): void;
  /** Runs a tick now and waits until the lessons it enqueued are done (the playground after /clock). */
  runTickNow(): Promise<void>;
  close(): Promise<void>;
}

type Classes = BackendClasses<IQueueBackend, unknown>;

/** How long close() waits for workers to finish their jobs before it lets them go. */
const CLOSE_WAIT_MS = 5_000;

/** What a promise gives within `ms`, or `late` if it takes longer. */
function within<T, L>(promise: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<L>((resolve) => (timer = setTimeout(() => resolve(late), ms)));
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

/**
 * Whether a Redis worker's blocking connection is up. A graceful close of a worker whose connection is
 * down or still reconnecting never ends: BullMQ waits for an 'end' event that ioredis, its retry timer
 * cleared by the disconnect, never sends. Such a worker is closed with force (its jobs in flight could not
 * record their outcome anyway; they are taken over as stalled, and every job is idempotent by key).
 */
async function blockingLive(worker: Worker): Promise<boolean> {
  const client = worker.getBackend().blockingClient;
  if (!client) return true;
  return (await within(client, 100, null))?.status === 'ready';
}

/** Cohort work the scan finds again while it is undone in Postgres (a post without its message, a decision untold). */
const rescannedTypes = new Set<CohortJob['type']>(['challenge-post', 'review-notify', 'challenge-close']);

const jobOptions = (retryDelayMs: number) =>
  ({
    attempts: 6,
    backoff: { type: 'exponential', delay: retryDelayMs },
    // Finished jobs go soon: the delivery row, not the job id, is what stops a second send, and a job
    // table that keeps growing slows every claim on the PostgreSQL backend.
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  }) as const;

// Lessons, challenge posts and review decisions are due while Postgres says so, and the minute scans
// enqueue them again: a job id left in a completed or failed set would stop that. A send that fails
// records its next try in Postgres and completes; these retries are only for surprises (a database blip).
const rescannedOptions = (retryDelayMs: number) =>
  ({ attempts: 3, backoff: { type: 'exponential', delay: retryDelayMs }, removeOnComplete: true, removeOnFail: true }) as const;

function classesFor(options: EngineOptions): { classes: Classes; connection: unknown; redis?: Redis } {
  if (options.redisUrl) {
    // Workers block on Redis; BullMQ requires maxRetriesPerRequest: null on their connections.
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    return { classes: withBackend(createRedisBackend) as unknown as Classes, connection: redis, redis };
  }
  const connection = { connectionString: options.databaseUrl, schema: 'bullmq', migrate: true, max: 10 };
  return { classes: withBackend(createPostgresBackend) as unknown as Classes, connection };
}

/** What a job's last failed attempt means: a nudge is dropped for the day; the rest are found again by a scan. */
const finalWords = (name: string) =>
  name === JOB_NAMES.nudge ? 'nudge dropped: it failed on every attempt and is not sent today' : 'job failed on every attempt; the next scan enqueues it again if Postgres says it is still due';

/** Parses a payload; a malformed one can never succeed, so it fails without retries. */
function parse<T>(schema: ZodType<T>, job: Job): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`bad ${job.name} payload: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function createJobEngine(options: EngineOptions): JobEngine {
  const { classes, connection, redis } = classesFor(options);
  const base = { connection, ...(options.prefix ? { prefix: options.prefix } : {}) };
  const lessons = new classes.Queue(QUEUES.lessons, base) as Queue;
  const nudges = new classes.Queue(QUEUES.nudges, base) as Queue;
  const ticks = new classes.Queue(QUEUES.ticks, base) as Queue;
  const cohort = new classes.Queue(QUEUES.cohort, base) as Queue;
  const workers: Worker[] = [];
  let closing = false;
  const retryOptions = jobOptions(options.retryDelayMs ?? 2_000);
  const rescanned = rescannedOptions(options.retryDelayMs ?? 2_000);
  const lock = options.lockDurationMs ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs } : {};
  let tickEvents: ReturnType<() => InstanceType<Classes['QueueEvents']>> | null = null;
  let recurringScheduled = false;

  // Every queue, worker and QueueEvents re-emits its connections' errors: a lost connection is one
  // outage line (the watch), anything else a line of its own. Without a listener BullMQ prints stacks.
  const watch: OutageWatch | null = redis && options.redisUrl ? outageWatch(options.log, redisTarget(options.redisUrl)) : null;
  const report = (where: string) => (err: Error) => {
    if (closing) options.log.info({ err, queue: where }, 'connection closed while shutting down');
    else if (watch && isConnectionError(err)) watch.failed(err);
    else options.log.error({ err, queue: where }, `${where} error`);
  };
  for (const queue of [lessons, nudges, ticks, cohort]) queue.on('error', report(queue.name));
  redis?.on('ready', () => {
    if (closing || !watch?.recovered() || !recurringScheduled) return;
    // A Redis that comes back empty (no persistence, a failover) has lost the minute tick's scheduler.
    upsertSchedulers().catch((err: unknown) => options.log.warn({ err }, 'could not schedule the minute tick again after Redis came back; the next restart will'));
  });

  async function upsertSchedulers(): Promise<void> {
    await ticks.upsertJobScheduler('minute-tick', { every: 60_000 }, { name: JOB_NAMES.tick, data: {} });
    await ticks.upsertJobScheduler('nudge-scan', { every: 15 * 60_000 }, { name: JOB_NAMES.nudgeScan, data: {} });
    await ticks.upsertJobScheduler('cohort-scan', { every: 60_000 }, { name: JOB_NAMES.cohortScan, data: {} });
  }

  const jobs: Jobs = {
    async enqueueLessons(items) {
      if (items.length === 0) return;
      await lessons.addBulk(items.map((data) => ({ name: JOB_NAMES.lesson, data, opts: { ...rescanned, jobId: lessonJobId(data) } })));
    },
    async enqueueNudges(items) {
      if (items.length === 0) return;
      await nudges.addBulk(items.map((data) => ({ name: JOB_NAMES.nudge, data, opts: { ...retryOptions, attempts: 3, jobId: nudgeJobId(data) } })));
    },
    async enqueueCohort(items) {
      if (items.length === 0) return;
      await cohort.addBulk(items.map((data) => ({ name: JOB_NAMES.cohort, data, opts: { ...(rescannedTypes.has(data.type) ? rescanned : retryOptions), jobId: cohortJobId(data) } })));
    },
  };

  const run = async <T>(job: Job, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
      const attempt = job.attemptsMade + 1;
      options.log.warn({ err: error, job: job.id, name: job.name, attempt }, attempt < (job.opts.attempts ?? 1) ? 'job failed; BullMQ will retry' : finalWords(job.name));
      throw error;
    }
  };

  return {
    backend: options.redisUrl ? 'redis' : 'postgres',
    jobs,
    async scheduleRecurring() {
      await upsertSchedulers();
      recurringScheduled = true;
    },
    startWorkers(handlers) {
      const limiter = options.lessonRatePerSecond > 0 ? { max: options.lessonRatePerSecond, duration: 1000 } : undefined;
      workers.push(
        new classes.Worker(
          QUEUES.lessons,
          (job: Job) => run(job, () => handlers.deliverLesson(parse(lessonPayload, job))),
          { ...base, ...lock, concurrency: options.concurrency ?? DEFAULT_LESSON_CONCURRENCY, ...(limiter ? { limiter } : {}) },
        ) as Worker,
        new classes.Worker(
          QUEUES.ticks,
          (job: Job) =>
            run(job, async () => {
              parse(tickPayload, job);
              if (job.name === JOB_NAMES.nudgeScan) return handlers.nudgeScan?.();
              if (job.name === JOB_NAMES.cohortScan) return handlers.cohortScan?.();
              return handlers.tick();
            }),
          { ...base, ...lock, concurrency: 1 },
        ) as Worker,
      );
      if (handlers.nudge) {
        const nudge = handlers.nudge;
        workers.push(new classes.Worker(QUEUES.nudges, (job: Job) => run(job, () => nudge(parse(nudgePayload, job))), { ...base, ...lock, concurrency: 8 }) as Worker);
      }
      if (handlers.cohort) {
        const handle = handlers.cohort;
        workers.push(new classes.Worker(QUEUES.cohort, (job: Job) => run(job, () => handle(parse(cohortPayload, job))), { ...base, ...lock, concurrency: 4 }) as Worker);
      }
      for (const worker of workers) worker.on('error', report(`${worker.name} worker`));
    },
    async runTickNow() {
      if (!tickEvents) {
        tickEvents = new classes.QueueEvents(QUEUES.ticks, base);
        tickEvents.on('error', report('tick events'));
        await tickEvents.waitUntilReady();
      }
      for (const name of [JOB_NAMES.tick, JOB_NAMES.nudgeScan, JOB_NAMES.cohortScan]) {
        const job = await ticks.add(name, {}, { removeOnComplete: 100, removeOnFail: 100 });
        await job.waitUntilFinished(tickEvents as never, 30_000);
      }
      // Then wait, with a bound, for the lessons, nudges and cohort work those enqueued.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const counts = await Promise.all([lessons, nudges, cohort].map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
        if (counts.every((c) => Object.values(c).every((n) => n === 0))) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      closing = true;
      // With Redis away, jobs in flight cannot record their end, and quit would wait in ioredis's offline queue.
      const offline = watch?.down === true;
      const done = new Set<string>();
      const closeWorker = async (w: Worker) => {
        await w.close(watch !== null && (offline || !(await blockingLive(w))));
        done.add(w.name);
      };
      const closed = Promise.all(workers.map(closeWorker));
      const late = !(await within(closed.then(() => true), CLOSE_WAIT_MS, false));
      if (late) {
        const open = workers.map((w) => w.name).filter((name) => !done.has(name));
        options.log.warn({ waitedMs: CLOSE_WAIT_MS, open }, 'job workers did not close in time (a Redis connection dropped while closing); closing without them');
      }
      await Promise.all([lessons.close(), nudges.close(), ticks.close(), cohort.close()]);
      await (offline || late ? tickEvents?.disconnect() : tickEvents?.close());
      if (offline || late) redis?.disconnect();
      else await redis?.quit();
    },
  };
}

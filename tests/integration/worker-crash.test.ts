// kill -9 of a worker in the middle of a fan-out, then a restart: every learner gets exactly one
// lesson for the day, on both backends.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../../src/app/jobs/context.js';
import { tick } from '../../src/app/jobs/tick.js';
import { nudgeStore } from '../../src/db/stores/nudges.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { createJobEngine } from '../../src/jobs/engine.js';
import { TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { emptyRedisDb } from '../support/jobs.js';

// A Redis database of its own (cohort-jobs has 12, scheduling 13).
const REDIS_URL = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/11`;
const LEARNERS = 1500;
const NOW = '2026-05-05T10:00:00Z';

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/worker-process.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

/** SIGTERM, then waits (bounded) for the exit, so no worker outlives its test; SIGKILL if it hangs. */
async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const hung = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(hung);
}

describe.each([
  ['redis', REDIS_URL],
  ['postgres', ''],
] as const)('a worker killed mid fan-out on %s', (_backend, redisUrl) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    await emptyRedisDb(redisUrl || undefined);
  });

  it('loses nothing and doubles nothing', async () => {
    const { sql } = database;
    await sql`create table test_attempts (key text not null)`;
    await sql`create table test_sends (key text not null, learner text not null)`;
    const [community] = await sql`insert into communities (platform, external_id) values ('console', 'crash') returning id`;
    await sql`
      with l as (
        insert into learners (community_id, external_id, display_name, timezone, delivery_time)
        select ${community!.id}, 'u' || g, 'u' || g, 'UTC', '09:00' from generate_series(1, ${LEARNERS}) g
        returning id
      )
      insert into enrollments (learner_id, course_id, position, next_delivery_at)
      select id, 'backend-foundations', 1, ${'2026-05-05T09:00:00Z'} from l`;

    const prefix = `crash${randomBytes(3).toString('hex')}`;
    const t = await testApp(database, new TestClock(new Date(NOW)));
    const producer = createJobEngine({ redisUrl: redisUrl || undefined, databaseUrl: database.url, log: t.log, prefix, lessonRatePerSecond: 0 });
    const ctx: JobContext = { app: t.app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs: producer.jobs, messengers: {}, log: t.log };
    expect((await tick(ctx)).enqueued).toBe(LEARNERS);

    const env = { DATABASE_URL: database.url, REDIS_URL: redisUrl, PREFIX: prefix, TEST_NOW: NOW };
    const first = await startWorker(env);
    await expect.poll(async () => (await sql`select count(*)::int as n from test_sends`)[0]!.n, { timeout: 60_000, interval: 20 }).toBeGreaterThan(200);
    first.kill('SIGKILL');
    const killedAt = (await sql`select count(*)::int as n from test_sends`)[0]!.n as number;
    expect(killedAt).toBeLessThan(LEARNERS);

    const second = await startWorker(env);
    try {
      // A tick after the restart, as the scheduler would run, re-enqueues anything whose job was lost.
      await tick(ctx);
      await expect
        .poll(async () => (await sql`select count(*)::int as n from deliveries where state = 'sent'`)[0]!.n, { timeout: 90_000, interval: 100 })
        .toBe(LEARNERS);
    } finally {
      await stopWorker(second);
      await producer.close();
    }
    const [rows] = await sql`
      select (select count(*)::int from deliveries) as deliveries,
             (select count(distinct learner_id)::int from deliveries where local_date = '2026-05-05') as learners,
             (select count(*)::int from test_sends) as sends,
             (select count(distinct key)::int from test_sends) as keys,
             (select count(distinct learner)::int from test_sends) as recipients,
             (select count(*)::int from test_attempts) as attempts`;
    expect(rows).toMatchObject({ deliveries: LEARNERS, learners: LEARNERS, sends: LEARNERS, keys: LEARNERS, recipients: LEARNERS });
    // Each learner's send was tried once, and again only where the kill caught it in flight.
    expect(rows!.attempts).toBeGreaterThanOrEqual(LEARNERS);
    expect(rows!.attempts).toBeLessThan(LEARNERS + 300);
  }, 180_000);
});

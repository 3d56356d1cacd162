// Daily delivery through real BullMQ, run against both backends: Redis and PostgreSQL.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tick } from '../../src/app/jobs/tick.js';
import type { JobEngine } from '../../src/jobs/engine.js';
import { TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { emptyRedisDb, jobBackends, startJobs } from '../support/jobs.js';
import { RecordingMessenger } from '../support/recording-messenger.js';


describe.each(jobBackends(13))('scheduling on %s', (backend, redisUrl) => {
  let database: TestDatabase;
  let engine: JobEngine | null = null;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await engine?.close();
    engine = null;
  });
  afterAll(async () => {
    await database?.drop();
    await emptyRedisDb(redisUrl);
  });

  /** A fresh app, engine and messenger over the shared database; learners get unique names per test. */
  async function setup(startAt: string, { workers = true } = {}) {
    const clock = new TestClock(new Date(startAt));
    const t = await testApp(database, clock);
    const messenger = new RecordingMessenger();
    const started = startJobs(database, t.app, t.log, messenger, { redisUrl, workers });
    engine = started.engine;
    const { ctx } = started;
    const name = (base: string) => `${base}-${randomBytes(3).toString('hex')}`;
    const nextDelivery = async (user: string) => (await t.app.stores.enrollments.find(await t.learnerId(user), t.app.catalog.course.id))!.nextDeliveryAt!.toISOString();
    /** The local days whose lesson the messenger sent (not handed out as a reply), with their message keys. */
    const sentDays = async (user: string) =>
      (await database.sql<{ day: string; key: string }[]>`
        select to_char(local_date, 'YYYY-MM-DD') as day, 'lesson:' || id as key from deliveries
        where learner_id = ${await t.learnerId(user)} and state = 'sent' and message_ref is not null order by local_date`).map((r) => ({ ...r }));
    return { t, clock, messenger, engine: started.engine, ctx, name, nextDelivery, sentDays };
  }

  it('delivers every due learner exactly once and schedules the next day at their local time', async () => {
    const { t, clock, messenger, engine, name, nextDelivery, sentDays } = await setup('2026-05-04T06:00:00Z');
    const users = Array.from({ length: 30 }, (_, i) => name(`l${i}`));
    for (const user of users) await t.learn(user, 'start Europe/Berlin 09:00');
    // Lesson 1 came with start (08:00 in Berlin), so the next one is tomorrow at 09:00 CEST.
    expect(await nextDelivery(users[0]!)).toBe('2026-05-05T07:00:00.000Z');

    clock.set('2026-05-04T07:01:00Z');
    await engine.runTickNow();
    for (const user of users) expect(messenger.to(user)).toHaveLength(0);

    clock.set('2026-05-05T07:01:00Z');
    await engine.runTickNow();
    await engine.runTickNow();
    for (const user of users) {
      const mine = messenger.to(user);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.reply.title).toContain(`Lesson 2 of`);
      expect([{ day: '2026-05-05', key: mine[0]!.key }]).toEqual(await sentDays(user));
      expect(await nextDelivery(user)).toBe('2026-05-06T07:00:00.000Z');
    }
    expect(t.log.errors).toEqual([]);
  });

  it('retries a failed send on later ticks, seconds then minutes apart, without ever sending the lesson twice', async () => {
    const { t, clock, messenger, engine, name, nextDelivery } = await setup('2026-05-04T06:00:00Z');
    const flaky = name('flaky');
    await t.learn(flaky, 'start UTC 07:00');
    messenger.failFirst.set(flaky, 2);
    clock.set('2026-05-05T07:30:00Z');
    await engine.runTickNow();
    expect(messenger.to(flaky)).toHaveLength(0);
    // Postgres holds the next try, not a job waiting in a queue.
    expect(await nextDelivery(flaky)).toBe('2026-05-05T07:30:10.000Z');
    await engine.runTickNow();
    expect(messenger.attempts.get(flaky)).toBe(1);
    clock.set('2026-05-05T07:31:00Z');
    await engine.runTickNow();
    expect(await nextDelivery(flaky)).toBe('2026-05-05T07:31:20.000Z');
    clock.set('2026-05-05T07:32:00Z');
    await engine.runTickNow();
    expect(messenger.to(flaky)).toHaveLength(1);
    expect(messenger.to(flaky)[0]!.reply.title).toContain('Lesson 2 of');
    clock.set('2026-05-05T07:40:00Z');
    await engine.runTickNow();
    expect(messenger.to(flaky)).toHaveLength(1);
    expect(messenger.attempts.get(flaky)).toBe(3);
    const deliveries = await database.sql`select state, attempts from deliveries where learner_id = ${await t.learnerId(flaky)} order by local_date`;
    expect(deliveries.map((d) => [d.state, d.attempts])).toEqual([['sent', 0], ['sent', 3]]);
    expect(await nextDelivery(flaky)).toBe('2026-05-06T07:00:00.000Z');
  });

  it('hands a lesson still being retried to a learner who asks for it, and then stops trying', async () => {
    const { t, clock, messenger, engine, name, nextDelivery } = await setup('2026-05-04T06:00:00Z');
    const asker = name('asker');
    await t.learn(asker, 'start UTC 07:00');
    messenger.failFirst.set(asker, 1);
    clock.set('2026-05-05T07:00:00Z');
    await engine.runTickNow();
    expect(messenger.to(asker)).toHaveLength(0);
    expect((await t.learn(asker, 'today')).title).toContain('Lesson 2 of');
    expect(await nextDelivery(asker)).toBe('2026-05-06T07:00:00.000Z');
    clock.set('2026-05-05T07:05:00Z');
    await engine.runTickNow();
    expect(messenger.to(asker)).toHaveLength(0);
    expect(messenger.attempts.get(asker)).toBe(1);
    clock.set('2026-05-06T07:00:00Z');
    await engine.runTickNow();
    expect(messenger.to(asker).map((m) => m.reply.title)).toEqual([expect.stringContaining('Lesson 3 of')]);
  });

  it('after a day with no worker, brings the missed lesson at the next day\'s time, not just after midnight', async () => {
    const { t, clock, messenger, engine, name, nextDelivery } = await setup('2026-05-04T06:00:00Z');
    const late = name('late');
    await t.learn(late, 'start UTC 07:00');
    // Nothing ran on 5 May; the first tick comes at 00:30 on the 6th.
    clock.set('2026-05-06T00:30:00Z');
    await engine.runTickNow();
    expect(messenger.to(late)).toHaveLength(0);
    expect(await nextDelivery(late)).toBe('2026-05-06T07:00:00.000Z');
    clock.set('2026-05-06T07:00:30Z');
    await engine.runTickNow();
    expect(messenger.to(late).map((m) => m.reply.title)).toEqual([expect.stringContaining('Lesson 2 of')]);
  });

  it('keeps 09:00 local across a DST change and gives UTC+14 and UTC-11 their own day', async () => {
    const { t, clock, messenger, engine, name, nextDelivery, sentDays } = await setup('2026-03-27T06:00:00Z');
    const berlin = name('berlin');
    await t.learn(berlin, 'start Europe/Berlin 09:00');
    expect(await nextDelivery(berlin)).toBe('2026-03-28T08:00:00.000Z'); // CET: UTC+1
    clock.set('2026-03-28T08:00:30Z');
    await engine.runTickNow();
    expect(messenger.to(berlin)).toHaveLength(1);
    expect(await nextDelivery(berlin)).toBe('2026-03-29T07:00:00.000Z'); // CEST: UTC+2, still 09:00 local

    const east = name('kiritimati');
    const west = name('pagopago');
    clock.set('2026-06-01T09:00:00Z'); // 23:00 on 1 June in Kiritimati, 22:00 on 31 May in Pago Pago
    await t.learn(east, 'start Pacific/Kiritimati 00:30');
    await t.learn(west, 'start Pacific/Pago_Pago 23:30');
    clock.set('2026-06-01T10:45:00Z'); // 00:45 on 2 June in Kiritimati, 23:45 on 31 May in Pago Pago
    await engine.runTickNow();
    expect(messenger.to(east)).toHaveLength(1);
    expect((await sentDays(east)).map((d) => d.day)).toEqual(['2026-06-02']);
    expect(messenger.to(west)).toEqual([]); // 31 May already had its lesson (from start)
    clock.set('2026-06-02T10:45:00Z'); // 23:45 on 1 June in Pago Pago
    await engine.runTickNow();
    expect(messenger.to(west)).toHaveLength(1);
    expect((await sentDays(west)).map((d) => d.day)).toEqual(['2026-06-01']);
    expect(t.log.errors).toEqual([]);
  });

  it('marks a learner with closed DMs unreachable, tells them once where they enrolled, and resumes with the same lesson', async () => {
    const { t, clock, messenger, engine, name } = await setup('2026-05-04T06:00:00Z');
    const closed = name('closed');
    await t.learn(closed, 'start UTC 07:00');
    await t.app.stores.learners.update(await t.learnerId(closed), { deliveryChannelId: 'general' });
    messenger.closedDms.add(closed);
    for (const day of ['2026-05-05', '2026-05-06']) {
      clock.set(`${day}T07:30:00Z`);
      await engine.runTickNow();
    }
    const notices = messenger.sent.filter((s) => s.channel === 'general');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.reply.text).toContain('/learn resume');
    expect(notices[0]!.reply.mentionUser).toBe(closed);
    expect(messenger.attempts.get(closed)).toBe(1);

    messenger.closedDms.delete(closed);
    expect((await t.learn(closed, 'resume')).text).toContain('Welcome back');
    clock.set('2026-05-07T07:30:00Z');
    await engine.runTickNow();
    const [lesson] = messenger.to(closed);
    expect(lesson!.reply.title).toContain('Lesson 2 of'); // the lesson that bounced, not lesson 3
  });

  it('restores everything still due after the queues are wiped mid-day', async () => {
    const { t, clock, engine, ctx, name } = await setup('2026-05-04T06:00:00Z', { workers: false });
    const users = Array.from({ length: 10 }, (_, i) => name(`w${i}`));
    for (const user of users) await t.learn(user, 'start UTC 07:00');
    clock.set('2026-05-05T07:10:00Z');
    // A tick enqueued the day's lessons, then the queue store was wiped before any worker took them.
    const { enqueued } = await tick(ctx);
    expect(enqueued).toBeGreaterThanOrEqual(users.length);
    await engine.close();
    if (backend === 'redis') {
      const redis = new Redis(redisUrl!);
      await redis.flushdb();
      await redis.quit();
    } else {
      await database.sql`drop schema bullmq cascade`;
    }
    const { engine: fresh, messenger } = await setup('2026-05-05T07:10:00Z');
    await fresh.runTickNow();
    for (const user of users) expect(messenger.to(user).map((m) => m.reply.title?.slice(0, 12))).toEqual(['Lesson 2 of ']);
  });

  it('nudges toward the day\'s practice once, after the quiz, outside quiet hours', async () => {
    const { t, clock, messenger, engine, name } = await setup('2026-05-04T06:00:00Z');
    const ada = name('ada');
    await t.learn(ada, 'start UTC 07:00');
    clock.set('2026-05-05T07:00:30Z');
    await engine.runTickNow();
    expect(messenger.to(ada).map((m) => m.key)).toEqual([expect.stringMatching(/^lesson:/)]);
    // Quiz done right away, practice not logged: nothing until two hours after the lesson arrived.
    let reply = await t.learn(ada, 'quiz');
    for (let i = 0; i < 5 && reply.actions?.[0]?.[0]?.action.kind === 'answer'; i++) reply = await t.press(ada, reply.actions[0][0]!.action);
    clock.set('2026-05-05T08:00:00Z');
    await engine.runTickNow();
    expect(messenger.to(ada)).toHaveLength(1);
    clock.set('2026-05-05T09:30:00Z');
    await engine.runTickNow();
    await engine.runTickNow();
    const nudges = messenger.to(ada).filter((m) => m.key.startsWith('nudge-'));
    expect(nudges.map((m) => m.key.split(':')[0])).toEqual(['nudge-practice']);
    expect(nudges[0]!.reply.actions?.flat().map((b) => b.action.kind)).toEqual(['practice']);
    const [row] = await database.sql`select count(*)::int as n from nudges where learner_id = ${await t.learnerId(ada)} and sent_at is not null`;
    expect(row!.n).toBe(1);
    // Quiet hours (21:00-08:00 by default): nothing, whatever else is due.
    clock.set('2026-05-05T22:30:00Z');
    await engine.runTickNow();
    expect(messenger.to(ada).filter((m) => m.key.startsWith('nudge-'))).toHaveLength(1);
    expect(t.log.errors).toEqual([]);
  });

  it('asks a quiet learner to come back after 2 and 5 days, then pauses them with a one-tap resume', async () => {
    const { t, clock, messenger, engine, name } = await setup('2026-05-04T06:00:00Z');
    const quiet = name('quiet');
    await t.learn(quiet, 'start UTC 07:00');
    await t.learn(quiet, 'settings nudges on');
    const kinds = async (day: string) => {
      clock.set(`${day}T12:00:00Z`);
      await engine.runTickNow();
      return messenger.to(quiet).filter((m) => m.key.startsWith('nudge-') && m.key.endsWith(day)).map((m) => m.key.split(':')[0]);
    };
    expect(await kinds('2026-05-05')).toEqual([]);
    expect(await kinds('2026-05-06')).toEqual(['nudge-come-back-2']);
    expect(await kinds('2026-05-07')).toEqual([]);
    expect(await kinds('2026-05-09')).toEqual(['nudge-come-back-5']);
    expect(await kinds('2026-05-14')).toEqual(['nudge-come-back-10']);
    const pause = await kinds('2026-05-18');
    expect(pause).toEqual(['nudge-auto-pause']);
    const last = messenger.to(quiet).at(-1)!;
    expect(last.reply.actions?.flat().map((b) => b.action)).toEqual([{ kind: 'run', verb: 'resume' }]);
    expect((await t.learn(quiet, 'settings')).text).toContain('Status: **paused**');
    expect(await kinds('2026-05-19')).toEqual([]); // paused: no lessons, no nudges
    expect(messenger.to(quiet).filter((m) => m.key.startsWith('lesson:') && m.key.endsWith('2026-05-19'))).toEqual([]);
  });
});

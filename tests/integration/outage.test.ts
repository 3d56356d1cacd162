// Principle 1 under the failures real platforms produce: 200 learners due in the same minute while every
// send fails for 30 minutes of the test's clock. Ticks on that clock, not real-time waits, bring the
// retries: each learner gets exactly one lesson, soon after the platform is back, and the next day the
// one after it. Then the same with the answer lost after posting for a third of the sends.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobEngine } from '../../src/jobs/engine.js';
import { TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { emptyRedisDb, jobBackends, startJobs } from '../support/jobs.js';
import { RecordingMessenger } from '../support/recording-messenger.js';

const LEARNERS = 200;
const MINUTE = 60_000;

describe.each(jobBackends(10))('a 30-minute outage on %s', (_backend, redisUrl) => {
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

  async function setup() {
    const clock = new TestClock(new Date('2026-05-04T06:00:00Z'));
    const t = await testApp(database, clock);
    const messenger = new RecordingMessenger();
    engine = startJobs(database, t.app, t.log, messenger, { redisUrl }).engine;
    const tag = randomBytes(3).toString('hex');
    const users = Array.from({ length: LEARNERS }, (_, i) => `o${tag}-${i}`);
    // Lesson 1 comes with start; lesson 2 is due for everyone at 09:00 Berlin (07:00 UTC) on 5 May.
    for (const user of users) await t.learn(user, 'start Europe/Berlin 09:00');
    return { t, clock, messenger, engine, users };
  }

  /** The lessons that reached a user (nudges aside). */
  const lessons = (messenger: RecordingMessenger, user: string) => messenger.to(user).filter((m) => m.key.startsWith('lesson:'));
  const titles = (messenger: RecordingMessenger, user: string) => lessons(messenger, user).map((m) => m.reply.title);

  /** The send attempts recorded on each user's latest delivery. */
  async function attemptRows(users: string[]) {
    return database.sql<{ attempts: number }[]>`
      select (select d.attempts from deliveries d where d.learner_id = l.id order by d.local_date desc limit 1) as attempts
      from learners l where l.external_id = any(${database.sql.array(users)}) order by l.external_id`;
  }

  /** Ticks once a minute of the test clock, as the scheduler would, up to `until` (ISO). */
  async function tickUntil(clock: TestClock, e: JobEngine, until: string): Promise<void> {
    while (clock.now().getTime() + MINUTE <= Date.parse(until)) {
      clock.advance(MINUTE);
      await e.runTickNow();
    }
  }

  /** When each user's lesson reached the platform, by the test clock, recorded by the messenger's caller. */
  async function deliveredRows(users: string[]) {
    return database.sql<{ user: string; lesson: string; day: string; attempts: number }[]>`
      select l.external_id as user, d.lesson_id as lesson, to_char(d.local_date, 'YYYY-MM-DD') as day, d.attempts
      from deliveries d join learners l on l.id = d.learner_id
      where l.external_id = any(${database.sql.array(users)}) and d.message_ref is not null and d.state = 'sent'
      order by l.external_id, d.local_date`;
  }

  for (const mode of ['refused', 'timeout'] as const) {
    it(`sends every lesson once, within 2 minutes of recovery, after every send ${mode === 'refused' ? 'answered 503' : 'timed out'} for 30 minutes`, async () => {
      const { t, clock, messenger, engine: e, users } = await setup();
      const recovery = new Date('2026-05-05T07:30:00Z');
      messenger.outage = { down: () => clock.now() < recovery, mode };
      clock.set('2026-05-05T07:00:00Z');
      await e.runTickNow();
      await tickUntil(clock, e, '2026-05-05T07:29:00Z');
      expect(messenger.sent).toHaveLength(0);
      expect(messenger.attempts.size).toBe(LEARNERS);

      await tickUntil(clock, e, '2026-05-05T07:32:00Z');
      expect(messenger.doubles()).toEqual([]);
      for (const user of users) expect(titles(messenger, user)).toEqual([expect.stringContaining('Lesson 2 of')]);
      // Backoff reached a minute apart: about 33 attempts in 32 minutes, never a storm.
      for (const { attempts } of await attemptRows(users)) expect(attempts).toBeLessThanOrEqual(36);

      // The next day brings lesson 3, once.
      clock.set('2026-05-06T06:58:00Z');
      await tickUntil(clock, e, '2026-05-06T07:02:00Z');
      for (const user of users) expect(titles(messenger, user)).toEqual([expect.stringContaining('Lesson 2 of'), expect.stringContaining('Lesson 3 of')]);
      expect(t.log.errors).toEqual([]);
    }, 120_000);
  }

  it('doubles nothing when the answer is lost after posting for a third of the sends, across an outage', async () => {
    const { clock, messenger, engine: e, users } = await setup();
    const recovery = new Date('2026-05-05T07:30:00Z');
    const lossy = new Set(users.filter((_, i) => i % 3 === 0));
    // Their first send posts and loses its answer; then the platform is down for 30 minutes.
    messenger.loseAnswer = (to) => lossy.has(to) && messenger.to(to).length === 1;
    clock.set('2026-05-05T07:00:00Z');
    await e.runTickNow();
    expect(messenger.sent).toHaveLength(LEARNERS);
    messenger.outage = { down: () => clock.now() < recovery, mode: 'timeout' };
    await tickUntil(clock, e, '2026-05-05T07:33:00Z');
    expect(messenger.doubles()).toEqual([]);
    expect(messenger.sent).toHaveLength(LEARNERS);
    const rows = await deliveredRows(users);
    expect(rows.filter((r) => r.day === '2026-05-05')).toHaveLength(LEARNERS);
    // Only the lost answers needed a look; the rest were done in one attempt.
    expect(messenger.lookups).toBe(lossy.size);
    expect(rows.filter((r) => r.day === '2026-05-05' && r.attempts === 1)).toHaveLength(LEARNERS - lossy.size);
  }, 120_000);

  it('carries a lesson still unsent at midnight over to the next day, at its time, and skips nothing', async () => {
    const { clock, messenger, engine: e, users } = await setup();
    const mine = users.slice(0, 5);
    const others = new Set(users.slice(5));
    // Down all of 5 May and past midnight for these five (the others get theirs).
    messenger.outage = { down: () => clock.now() < new Date('2026-05-06T01:00:00Z') && !others.has(currentUser), mode: 'refused' };
    let currentUser = '';
    const send = messenger.sendDirect.bind(messenger);
    messenger.sendDirect = (to, ...rest) => ((currentUser = to.userExternalId), send(to, ...rest));
    clock.set('2026-05-05T07:00:00Z');
    await e.runTickNow();
    // Ticks through the evening; the retries stop at Berlin's midnight (22:00 UTC).
    clock.set('2026-05-05T21:50:00Z');
    await tickUntil(clock, e, '2026-05-05T22:10:00Z');
    for (const user of mine) expect(lessons(messenger, user)).toHaveLength(0);
    const attemptsAtMidnight = (await attemptRows(mine)).map((r) => r.attempts);
    expect(attemptsAtMidnight.every((n) => n >= 10)).toBe(true);
    // No tries in the night: the lesson comes at 09:00 on 6 May.
    clock.set('2026-05-06T06:55:00Z');
    await e.runTickNow();
    expect((await attemptRows(mine)).map((r) => r.attempts)).toEqual(attemptsAtMidnight);
    await tickUntil(clock, e, '2026-05-06T07:01:00Z');
    for (const user of mine) expect(titles(messenger, user)).toEqual([expect.stringContaining('Lesson 2 of')]);
    const rows = await deliveredRows(mine);
    expect(rows.map((r) => r.day)).toEqual(mine.map(() => '2026-05-06'));
    clock.set('2026-05-07T06:58:00Z');
    await tickUntil(clock, e, '2026-05-07T07:01:00Z');
    for (const user of mine) expect(titles(messenger, user)).toEqual([expect.stringContaining('Lesson 2 of'), expect.stringContaining('Lesson 3 of')]);
  }, 120_000);
});

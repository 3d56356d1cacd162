// Changing zone or time, or resuming, moves the next lesson by one rule: real app, real Postgres, the
// real tick and deliver-lesson handlers (run inline instead of through BullMQ).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobContext } from '../../src/app/jobs/context.js';
import { deliverLesson } from '../../src/app/jobs/deliver-lesson.js';
import { tick } from '../../src/app/jobs/tick.js';
import { nudgeStore } from '../../src/db/stores/nudges.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { RecordingMessenger } from '../support/recording-messenger.js';

let database: TestDatabase;
let t: Awaited<ReturnType<typeof testApp>>;
let messenger: RecordingMessenger;
let ctx: JobContext;
/** Sends that threw (a job BullMQ would retry). */
let failedSends: unknown[];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());
beforeEach(async () => {
  // 02:00 on Fri 16 Jan in Kiritimati (UTC+14), 04:00 on Thu 15 Jan in Los Angeles (UTC-8).
  t = await testApp(database, new TestClock(new Date('2026-01-15T12:00:00Z')));
  messenger = new RecordingMessenger();
  failedSends = [];
  const jobs = {
    enqueueLessons: async (items: Parameters<typeof deliverLesson>[1][]) => {
      for (const job of items) await deliverLesson(ctx, job).catch((error: unknown) => void failedSends.push(error));
    },
    enqueueNudges: async () => {},
    enqueueCohort: async () => {},
  };
  ctx = { app: t.app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs, messengers: { console: messenger }, log: t.log };
});

/** Runs the minute tick at `iso`; returns the titles of the lessons it sent `user`. */
async function tickAt(iso: string, user: string) {
  t.clock.set(iso);
  const before = messenger.to(user).length;
  await tick(ctx);
  return messenger.to(user).slice(before).map((m) => m.reply.title);
}

/** Each lesson `user` has received, as [local date, lesson number], in date order. */
async function received(user: string) {
  const rows = await database.sql<{ day: string; lessonId: string }[]>`
    select to_char(local_date, 'YYYY-MM-DD') as day, lesson_id as "lessonId" from deliveries
    where learner_id = ${await t.learnerId(user)} and state = 'sent' order by local_date`;
  return rows.map((r) => [r.day, t.app.catalog.course.lessons.findIndex((l) => l.id === r.lessonId) + 1]);
}

const nextDelivery = async (user: string) => (await t.app.stores.enrollments.find(await t.learnerId(user), t.app.catalog.course.id))!.nextDeliveryAt;
const lesson = (n: number) => `Lesson ${n} of ${t.app.catalog.course.lessons.length}: ${t.app.catalog.lessonAt(n - 1)!.title}`;

describe('rescheduling after a change of zone or time', () => {
  it('moving west across the date line waits until the new local date passes the delivered one', async () => {
    expect((await t.learn('kai', 'start Pacific/Kiritimati 09:00')).title).toBe(lesson(1)); // given on 16 Jan
    const moved = await t.learn('kai', 'settings timezone America/Los_Angeles');
    expect(moved.text).toContain('Next lesson: Sat 17 Jan at 09:00');
    expect(await tickAt('2026-01-15T17:00:30Z', 'kai')).toEqual([]); // 15 Jan in LA: before the lesson's date
    expect(await tickAt('2026-01-16T17:00:30Z', 'kai')).toEqual([]); // 16 Jan: it already had its lesson
    expect(await tickAt('2026-01-17T17:00:30Z', 'kai')).toEqual([lesson(2)]);
    expect(await received('kai')).toEqual([['2026-01-16', 1], ['2026-01-17', 2]]);
    expect((await nextDelivery('kai'))!.toISOString()).toBe('2026-01-18T17:00:00.000Z');
    expect(failedSends).toEqual([]);
    expect(t.log.errors).toEqual([]);
  });

  // Also needs todaysLesson to show the latest lesson when its date is later than today (moved west).
  it('the playground repro: /learn today after moving west shows the lesson given, never one twice or a past next time', async () => {
    await t.learn('lea', 'start Pacific/Kiritimati 09:00');
    await t.learn('lea', 'settings timezone America/Los_Angeles');
    expect((await t.learn('lea', 'today')).title).toBe(lesson(1));
    t.clock.advance(24 * 3600_000); // 04:00 on 16 Jan in LA
    expect((await t.learn('lea', 'today')).title).toBe(lesson(1));
    expect((await nextDelivery('lea'))!.getTime()).toBeGreaterThan(t.clock.now().getTime());
    const progress = await t.learn('lea', 'progress');
    expect(progress.fields?.find((f) => f.name === 'Next lesson')?.value).toBe('Sat 17 Jan at 09:00');
    expect(await tickAt('2026-01-17T17:00:30Z', 'lea')).toEqual([lesson(2)]);
    expect((await t.learn('lea', 'today')).title).toBe(lesson(2));
    expect(await received('lea')).toEqual([['2026-01-16', 1], ['2026-01-17', 2]]);
    expect(t.log.errors).toEqual([]);
  });

  // Also needs todaysLesson to show the latest lesson when its date is later than today (moved west).
  it('start with a new zone on an existing enrolment reschedules the same way', async () => {
    await t.learn('max', 'start Pacific/Kiritimati 09:00');
    const restarted = await t.learn('max', 'start America/Los_Angeles 09:00');
    expect(restarted.title).toBe(lesson(1));
    expect(restarted.text).toContain('Updated.');
    expect((await nextDelivery('max'))!.toISOString()).toBe('2026-01-17T17:00:00.000Z');
    expect(t.log.errors).toEqual([]);
  });

  it('start with a new time on an existing enrolment moves the next lesson to it', async () => {
    t.clock.set('2026-11-25T09:00:00Z'); // 10:00 in Berlin
    await t.learn('ned', 'start Europe/Berlin 09:00');
    expect((await nextDelivery('ned'))!.toISOString()).toBe('2026-11-26T08:00:00.000Z');
    const later = await t.learn('ned', 'start Europe/Berlin 23:30');
    expect(later.text).toContain('Lessons arrive every day at **23:30**');
    expect((await nextDelivery('ned'))!.toISOString()).toBe('2026-11-26T22:30:00.000Z');
    expect(await tickAt('2026-11-26T08:00:30Z', 'ned')).toEqual([]);
    expect(await tickAt('2026-11-26T22:30:30Z', 'ned')).toEqual([lesson(2)]);
    expect(await received('ned')).toEqual([['2026-11-25', 1], ['2026-11-26', 2]]);
    expect(failedSends).toEqual([]);
    expect(t.log.errors).toEqual([]);
  });

  it("resume after today's lesson waits for tomorrow; after days away it is today's slot", async () => {
    t.clock.set('2026-11-25T06:00:00Z');
    await t.learn('ola', 'start UTC 09:00'); // lesson 1 on 25 Nov
    await t.learn('ola', 'pause');
    t.clock.set('2026-11-25T07:00:00Z');
    expect((await t.learn('ola', 'resume')).text).toContain('Your next lesson arrives Thu 26 Nov at 09:00');
    expect(await tickAt('2026-11-25T09:00:30Z', 'ola')).toEqual([]);
    expect((await nextDelivery('ola'))!.getTime()).toBeGreaterThan(t.clock.now().getTime());

    await t.learn('ola', 'pause');
    expect(await tickAt('2026-11-26T09:00:30Z', 'ola')).toEqual([]);
    t.clock.set('2026-11-28T06:00:00Z');
    expect((await t.learn('ola', 'resume')).text).toContain('Your next lesson arrives Sat 28 Nov at 09:00');
    expect(await tickAt('2026-11-28T09:00:30Z', 'ola')).toEqual([lesson(2)]);
    expect(await received('ola')).toEqual([['2026-11-25', 1], ['2026-11-28', 2]]);
    expect(failedSends).toEqual([]);
    expect(t.log.errors).toEqual([]);
  });

  // Also needs deliveries.latest to return only sent deliveries.
  it('a scheduled send still being retried does not count as the day\'s lesson', async () => {
    t.clock.set('2026-11-25T06:00:00Z');
    await t.learn('pia', 'start UTC 09:00'); // lesson 1 on 25 Nov
    messenger.failFirst.set('pia', 1);
    expect(await tickAt('2026-11-26T09:00:30Z', 'pia')).toEqual([]); // the send failed: pending, to be retried
    t.clock.set('2026-11-26T09:05:00Z');
    expect((await t.learn('pia', 'settings time 10:00')).text).toContain('Next lesson: Thu 26 Nov at 10:00');
    expect(await tickAt('2026-11-26T10:00:30Z', 'pia')).toEqual([lesson(2)]);
    expect(await received('pia')).toEqual([['2026-11-25', 1], ['2026-11-26', 2]]);
    expect((await nextDelivery('pia'))!.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(t.log.errors).toEqual([]);
  });
});

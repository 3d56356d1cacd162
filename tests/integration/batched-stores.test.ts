// The stores whose concurrent calls share one statement (db/coalesce.ts, db/batch.ts): every caller must
// get exactly what it would get alone, on the real Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Enrollment } from '../../src/app/ports.js';
import { reviewAfterAnswer } from '../../src/core/review.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TestClock, testApp } from '../support/app.js';

let database: TestDatabase;
let t: Awaited<ReturnType<typeof testApp>>;
const TOMORROW = '2026-11-26';

beforeAll(async () => {
  database = await createTestDatabase();
  t = await testApp(database, new TestClock(new Date('2026-11-25T10:00:00Z')));
});
afterAll(async () => database?.drop());

/** Enrols `count` learners (each gets lesson 1 today) and returns their enrolments. */
async function enrol(prefix: string, count: number): Promise<Enrollment[]> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  await Promise.all(names.map((name) => t.learn(name, 'start UTC 09:00')));
  return Promise.all(names.map(async (name) => (await t.app.stores.enrollments.find(await t.learnerId(name), t.app.catalog.course.id))!));
}

const tomorrowFor = (enrollment: Enrollment, state: 'pending' | 'sent' = 'pending') => ({
  at: new Date('2026-11-26T09:00:00Z'),
  enrollment,
  localDate: TOMORROW,
  lessonId: t.app.catalog.lessonAt(enrollment.position)!.id,
  state,
  finishedAt: null,
  nextDeliveryAt: new Date('2026-11-27T09:00:00Z'),
});

describe('batched stores', () => {
  it('gives each of many concurrent callers its own day, and a repeated call the same day, moving each enrolment once', async () => {
    const enrollments = await enrol('a', 24);
    const days = await Promise.all([...enrollments, ...enrollments.slice(0, 6)].map((e) => t.app.stores.deliveries.createForDay(tomorrowFor(e, 'sent'))));

    expect(days.map((d) => d.enrollmentId)).toEqual([...enrollments, ...enrollments.slice(0, 6)].map((e) => e.id));
    expect(days.map((d) => d.learnerId)).toEqual([...enrollments, ...enrollments.slice(0, 6)].map((e) => e.learnerId));
    expect(days.slice(24).map((d) => d.id)).toEqual(days.slice(0, 6).map((d) => d.id));
    expect(new Set(days.map((d) => d.id)).size).toBe(24);
    expect(days.every((d) => d.localDate === TOMORROW && d.state === 'sent' && d.lessonId === t.app.catalog.lessonAt(1)!.id)).toBe(true);
    expect(days.map((d) => d.created)).toEqual([...enrollments.map(() => true), ...enrollments.slice(0, 6).map(() => false)]);

    const rows = await database.sql<{ position: number; next: string }[]>`
      select position, next_delivery_at::text as next from enrollments where id = any(${database.sql.array(enrollments.map((e) => e.id))}::bigint[])`;
    expect(rows.map((r) => r.position)).toEqual(enrollments.map(() => 2));
    expect(new Set(rows.map((r) => r.next))).toEqual(new Set(['2026-11-27 09:00:00+00']));
  });

  it('writes a scheduled attempt before its send and moves nothing until the send is recorded; a repeat learns it may have posted', async () => {
    const enrollments = await enrol('p', 8);
    const first = await Promise.all(enrollments.map((e) => t.app.stores.deliveries.createForDay(tomorrowFor(e))));
    expect(first.map((d) => [d.state, d.attempts, d.began, d.unsureBefore])).toEqual(enrollments.map(() => ['pending', 1, true, null]));
    const again = await Promise.all(enrollments.map((e) => t.app.stores.deliveries.createForDay({ ...tomorrowFor(e), at: new Date('2026-11-26T09:01:00Z') })));
    expect(again.map((d) => d.id)).toEqual(first.map((d) => d.id));
    expect(again.map((d) => [d.attempts, d.unsureBefore?.toISOString()])).toEqual(enrollments.map(() => [2, '2026-11-26T09:00:00.000Z']));
    const rows = await database.sql<{ position: number }[]>`select position from enrollments where id = any(${database.sql.array(enrollments.map((e) => e.id))}::bigint[])`;
    expect(rows.map((r) => r.position)).toEqual(enrollments.map(() => 1));
    // The learner asks while the send is still being tried: they get that lesson, once, and move on.
    const asked = await t.app.stores.deliveries.createForDay(tomorrowFor(enrollments[0]!, 'sent'));
    expect([asked.id, asked.state, asked.lessonId]).toEqual([first[0]!.id, 'sent', first[0]!.lessonId]);
    const late = await t.app.stores.deliveries.createForDay(tomorrowFor({ ...enrollments[0]!, position: 2 }));
    expect([late.state, late.began]).toEqual(['sent', false]);
  });

  it('carries a day that ended unsent over to the next day: the same row, so the same message key', async () => {
    const [enrollment] = await enrol('q', 1);
    const day = await t.app.stores.deliveries.createForDay(tomorrowFor(enrollment!));
    const next = await t.app.stores.deliveries.createForDay({ ...tomorrowFor(enrollment!), localDate: '2026-11-28', at: new Date('2026-11-28T09:00:00Z') });
    expect([next.id, next.localDate, next.lessonId, next.attempts, next.unsureBefore?.toISOString()]).toEqual([day.id, '2026-11-28', day.lessonId, 2, '2026-11-26T09:00:00.000Z']);
    const rows = await database.sql`select local_date::text as day from deliveries where enrollment_id = ${enrollment!.id} order by local_date`;
    expect(rows.map((r) => r.day)).toEqual(['2026-11-25', '2026-11-28']);
  });

  it('fails only the caller whose enrolment moved on, not the others in its batch', async () => {
    const enrollments = await enrol('b', 6);
    const stale = { ...enrollments[2]!, position: 0 };
    const results = await Promise.allSettled(enrollments.map((e) => t.app.stores.deliveries.createForDay(tomorrowFor(e === enrollments[2] ? stale : e))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toContain(`enrollment ${stale.id} moved on concurrently`);
  });

  it('records many sends at once: each delivery, its enrolment and its learner', async () => {
    const enrollments = await enrol('c', 10);
    const scheduler = schedulerStore(database.db);
    const days = await Promise.all(enrollments.map((e) => t.app.stores.deliveries.createForDay(tomorrowFor(e))));
    await Promise.all(
      days.map((day, i) =>
        scheduler.markSent({
          deliveryId: day.id,
          messageRef: `msg-${i}`,
          dmChannelId: i % 2 === 0 ? `dm-${i}` : null,
          learnerId: day.learnerId,
          enrollmentId: day.enrollmentId,
          nextDeliveryAt: i === 9 ? null : new Date(`2026-11-${27 + (i % 3)}T09:00:00Z`),
          finishedAt: i === 9 ? new Date('2026-11-26T09:00:01Z') : null,
        }),
      ),
    );
    const sent = await database.sql<{ ref: string; state: string; next: string | null; finished: string | null; dm: string | null }[]>`
      select d.message_ref as ref, d.state, e.next_delivery_at::text as next, e.finished_at::text as finished, l.dm_channel_id as dm
      from deliveries d join enrollments e on e.id = d.enrollment_id join learners l on l.id = d.learner_id
      where d.id = any(${database.sql.array(days.map((d) => d.id))}::bigint[]) order by d.id`;
    const byId = days.map((day, i) => ({ id: day.id, i })).sort((a, b) => a.id - b.id);
    expect(sent).toEqual(
      byId.map(({ i }) => ({
        ref: `msg-${i}`,
        state: 'sent',
        next: i === 9 ? null : `2026-11-${27 + (i % 3)} 09:00:00+00`,
        finished: i === 9 ? '2026-11-26 09:00:01+00' : null,
        dm: i % 2 === 0 ? `dm-${i}` : null,
      })),
    );
  });

  it('reads many delivery targets at once, and null for an enrolment that is gone', async () => {
    const enrollments = await enrol('d', 5);
    const scheduler = schedulerStore(database.db);
    const targets = await Promise.all([...enrollments.map((e) => e.id), 987_654].map((id) => scheduler.target(id)));
    expect(targets.map((target) => target?.enrollment.id ?? null)).toEqual([...enrollments.map((e) => e.id), null]);
    expect(targets.slice(0, 5).map((target) => target!.learner.externalId)).toEqual(['d-0', 'd-1', 'd-2', 'd-3', 'd-4']);
    expect(targets[0]!.community).toMatchObject({ platform: 'console', externalId: 'test-community' });
  });

  it("records many learners' answers at once, each with exactly what it would get alone", async () => {
    const enrollments = await enrol('e', 6);
    const { stores, catalog } = t.app;
    const today = '2026-11-25';
    const lesson = catalog.lessonAt(0)!;
    const days = await Promise.all(enrollments.map(async (e) => (await stores.enrollments.today(e.learnerId, catalog.course.id, today))!.delivery!));
    const at = new Date('2026-11-25T10:05:00Z');
    const community = await stores.communities.ensure({ platform: 'console', externalId: 'test-community' });
    const answer = (i: number, q: number, right: boolean, verify?: { timezone: string }) => {
      const question = lesson.quiz[q]!;
      return stores.answers.record({
        delivery: days[i]!,
        questionId: question.id,
        choice: right ? question.answer : (question.answer + 1) % question.choices.length,
        correct: right,
        at,
        localDate: today,
        questionCount: lesson.quiz.length,
        newCard: right ? null : reviewAfterAnswer(null, false, at),
        ...(verify ? { verify: { communityId: community.id, externalId: `e-${i}`, timezone: verify.timezone } } : {}),
      });
    };
    // e-0 and e-1 have answered all but the last question.
    for (const i of [0, 1]) for (let q = 0; q < lesson.quiz.length - 1; q++) await answer(i, q, true);
    await stores.learners.remove(enrollments[5]!.learnerId);

    // The first two find a lane free; the other four wait and share the next statement.
    const results = await Promise.allSettled([
      answer(4, 0, true),
      answer(2, 0, false),
      answer(0, lesson.quiz.length - 1, false),
      answer(1, 0, true),
      answer(3, 0, true, { timezone: 'Europe/Berlin' }),
      answer(5, 0, true),
    ]);
    const [right, miss, last, repeat, stale, gone] = results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason));

    expect(right).toEqual({ answers: [{ questionId: lesson.quiz[0]!.id, choice: lesson.quiz[0]!.answer, correct: true }], completed: false });
    expect(miss).toMatchObject({ completed: false, answers: [{ questionId: lesson.quiz[0]!.id, correct: false }] });
    expect(last).toMatchObject({ completed: true, activityDates: [today] });
    expect((last as { answers: unknown[] }).answers.map((a) => (a as { questionId: string }).questionId)).toEqual(lesson.quiz.map((q) => q.id));
    expect(repeat).toBeNull();
    expect(stale).toBe('unverified');
    expect(String(gone)).toContain('no longer exists');

    const stored = await database.sql<{ learner: string; n: number; cards: number; completed: string | null }[]>`
      select l.external_id as learner, (select count(*)::int from answers a where a.delivery_id = d.id) as n,
        (select count(*)::int from review_cards c where c.learner_id = l.id) as cards, d.quiz_completed_on::text as completed
      from deliveries d join learners l on l.id = d.learner_id
      where d.id = any(${database.sql.array(days.map((d) => d.id))}::bigint[]) order by l.external_id`;
    expect(stored).toEqual([
      { learner: 'e-0', n: lesson.quiz.length, cards: 1, completed: today },
      { learner: 'e-1', n: lesson.quiz.length - 1, cards: 0, completed: null },
      { learner: 'e-2', n: 1, cards: 1, completed: null },
      { learner: 'e-3', n: 0, cards: 0, completed: null },
      { learner: 'e-4', n: 1, cards: 0, completed: null },
    ]);
  });

  it('reads many people and their days at once, and null for whoever is unknown', async () => {
    const enrollments = await enrol('f', 4);
    const { stores, catalog } = t.app;
    const community = await stores.communities.ensure({ platform: 'console', externalId: 'test-community' });
    const people = await Promise.all(['f-0', 'f-1', 'nobody', 'f-2', 'f-3'].map((name) => stores.learners.find(community.id, name)));
    expect(people.map((p) => p?.externalId ?? null)).toEqual(['f-0', 'f-1', null, 'f-2', 'f-3']);
    expect(people.filter((p) => p !== null).map((p) => p.id)).toEqual(enrollments.map((e) => e.learnerId));

    const dayOf = (learnerId: number, date: string) => stores.enrollments.today(learnerId, catalog.course.id, date);
    const days = await Promise.all([...enrollments.map((e) => dayOf(e.learnerId, '2026-11-25')), dayOf(enrollments[0]!.learnerId, TOMORROW), dayOf(987_654, '2026-11-25')]);
    expect(days.slice(0, 4).map((d) => [d!.enrollment.id, d!.delivery!.learnerId, d!.delivery!.localDate, d!.answers])).toEqual(
      enrollments.map((e) => [e.id, e.learnerId, '2026-11-25', []]),
    );
    expect(days[4]).toMatchObject({ enrollment: { id: enrollments[0]!.id }, delivery: null, answers: [] });
    expect(days[5]).toBeNull();
  });
});

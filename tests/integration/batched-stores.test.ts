// The stores whose concurrent calls share one statement (db/coalesce.ts, db/batch.ts): every caller must
// get exactly what it would get alone, on the real Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Enrollment } from '../../src/app/ports.js';
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
    const days = await Promise.all([...enrollments, ...enrollments.slice(0, 6)].map((e) => t.app.stores.deliveries.createForDay(tomorrowFor(e))));

    expect(days.map((d) => d.enrollmentId)).toEqual([...enrollments, ...enrollments.slice(0, 6)].map((e) => e.id));
    expect(days.map((d) => d.learnerId)).toEqual([...enrollments, ...enrollments.slice(0, 6)].map((e) => e.learnerId));
    expect(days.slice(24).map((d) => d.id)).toEqual(days.slice(0, 6).map((d) => d.id));
    expect(new Set(days.map((d) => d.id)).size).toBe(24);
    expect(days.every((d) => d.localDate === TOMORROW && d.state === 'pending' && d.lessonId === t.app.catalog.lessonAt(1)!.id)).toBe(true);

    const rows = await database.sql<{ position: number; next: string }[]>`
      select position, next_delivery_at::text as next from enrollments where id = any(${database.sql.array(enrollments.map((e) => e.id))}::bigint[])`;
    expect(rows.map((r) => r.position)).toEqual(enrollments.map(() => 2));
    expect(new Set(rows.map((r) => r.next))).toEqual(new Set(['2026-11-27 09:00:00+00']));
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
});

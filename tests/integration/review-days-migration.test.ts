// Migration 0004's backfill: reviews done before review_days existed count for the streak again.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttons, TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('migration 0004_review_days', () => {
  it('rebuilds each card’s latest review day in the learner’s zone, and no quiz miss', async () => {
    // 10:00 UTC is 22:00 in Auckland: the review below, at 13:00 UTC a day later, is on the local 6 May.
    const t = await testApp(database, new TestClock(new Date('2026-05-04T10:00:00Z')));
    await t.learn('kiri', 'start Pacific/Auckland 09:00');
    // Two questions missed (two cards, rated once by the quiz on the local 4 May); one reviewed later.
    let reply = await t.learn('kiri', 'quiz');
    for (let i = 0; i < 2; i++) {
      const answer = buttons(reply)[0]!.action;
      if (answer.kind !== 'answer') throw new Error('no quiz button');
      const delivery = await t.app.stores.deliveries.find(answer.deliveryId);
      const question = t.app.catalog.lesson(delivery!.lessonId)!.quiz[answer.question]!;
      reply = await t.press('kiri', { ...answer, choice: (question.answer + 1) % question.choices.length });
    }
    t.clock.set('2026-05-05T13:00:00Z');
    const review = buttons(await t.learn('kiri', 'review'))[0]!.action;
    if (review.kind !== 'review') throw new Error('nothing due for review');
    await t.press('kiri', { ...review, choice: t.app.catalog.question(review.questionId)!.question.answer });
    expect(await database.sql`select 1 from review_cards where (card->>'reps')::int = 1`).toHaveLength(1);
    const learnerId = await t.learnerId('kiri');
    const days = () => database.sql<{ local_date: string }[]>`select local_date::text from review_days where learner_id = ${learnerId}`;
    expect(await days()).toEqual([{ local_date: '2026-05-06' }]);

    // As before the migration: the review happened, its day was never recorded.
    await database.sql`delete from review_days`;
    const migration = await readFile('drizzle/0004_review_days.sql', 'utf8');
    const backfill = migration.split('--> statement-breakpoint').at(-1)!;
    expect(backfill).toContain('INSERT INTO "review_days"');
    await database.sql.unsafe(backfill);
    expect(await days()).toEqual([{ local_date: '2026-05-06' }]);
    // Run again (a retried deploy), it adds nothing.
    await database.sql.unsafe(backfill);
    expect(await days()).toHaveLength(1);
  });
});

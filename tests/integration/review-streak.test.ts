// Reviews keep a streak going: after the last lesson, `/learn review` is what a learner does each day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionId, Reply } from '../../src/core/reply.js';
import { buttons, TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const DAY = 24 * 3600_000;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('reviews and the streak', () => {
  it('counts a day with a review answered as active, also after the last lesson', async () => {
    const t = await testApp(database, new TestClock(new Date('2026-05-04T10:00:00Z')));
    const lessons = t.app.catalog.course.lessons.length;
    await t.learn('ada', 'start UTC 09:00');
    /** Today's quiz, every answer wrong, so each question comes back for review. */
    const missEverything = async () => {
      let reply = await t.learn('ada', 'quiz');
      for (let i = 0; i < 10; i++) {
        const action = buttons(reply)[0]?.action;
        if (action?.kind !== 'answer') break;
        const delivery = await t.app.stores.deliveries.find(action.deliveryId);
        const question = t.app.catalog.lesson(delivery!.lessonId)!.quiz[action.question]!;
        reply = await t.press('ada', { ...action, choice: (question.answer + 1) % question.choices.length });
      }
      return reply;
    };
    for (let day = 1; day <= lessons; day++) {
      if (day > 1) {
        t.clock.advance(DAY);
        expect((await t.learn('ada', 'today')).title).toContain(`Lesson ${day} of ${lessons}`);
      }
      expect((await missEverything()).text).toContain(`Streak: ${day} day`);
    }

    /** `/learn review`, then the first due question answered right. */
    const reviewOne = async (): Promise<{ action: Extract<ActionId, { kind: 'review' }>; reply: Reply }> => {
      const first = buttons(await t.learn('ada', 'review'))[0]?.action;
      if (first?.kind !== 'review') throw new Error('nothing due for review');
      const action = { ...first, choice: t.app.catalog.question(first.questionId)!.question.answer };
      return { action, reply: await t.press('ada', action) };
    };
    for (let extra = 1; extra <= 2; extra++) {
      t.clock.advance(DAY);
      expect((await t.learn('ada', 'today')).text).toContain(`You have finished all ${lessons} lessons`);
      const { reply } = await reviewOne();
      expect(reply.text).toContain('✅');
      expect(reply.text).toContain(`🔥 Streak: ${lessons + extra} days`);
      // The day's second review says nothing more about the streak.
      expect((await reviewOne()).reply.text).not.toContain('Streak');
    }
    expect((await t.learn('ada', 'streak')).text).toContain(`🔥 Streak: ${lessons + 2} days`);
    const exported = await t.app.stores.learners.exportData(await t.learnerId('ada'));
    expect((exported.reviewDays as { localDate: string }[]).map((d) => d.localDate)).toEqual(['2026-05-30', '2026-05-31']);
    expect(t.log.errors).toEqual([]);
  });

  it('moves a card once when the same review button is pressed twice at once', async () => {
    const t = await testApp(database, new TestClock(new Date('2026-05-04T10:00:00Z')));
    await t.learn('bo', 'start UTC 09:00');
    const quiz = await t.learn('bo', 'quiz');
    const answer = buttons(quiz)[0]!.action;
    if (answer.kind !== 'answer') throw new Error('no quiz button');
    const delivery = await t.app.stores.deliveries.find(answer.deliveryId);
    const question = t.app.catalog.lesson(delivery!.lessonId)!.quiz[answer.question]!;
    await t.press('bo', { ...answer, choice: (question.answer + 1) % question.choices.length });
    t.clock.advance(DAY);
    const first = buttons(await t.learn('bo', 'review'))[0]!.action;
    if (first.kind !== 'review') throw new Error('nothing due for review');
    const press = { ...first, choice: question.answer };
    const replies = await Promise.all([t.press('bo', press), t.press('bo', press)]);
    expect(replies.filter((r) => r.text.startsWith('Already reviewed'))).toHaveLength(1);
    const learnerId = await t.learnerId('bo');
    expect((await t.app.stores.reviews.get(learnerId, first.questionId))!.reps).toBe(2);

    // Two presses that both read the card while it was due: only the first one's answer is stored.
    const stale = (await t.app.stores.reviews.get(learnerId, first.questionId))!;
    const moved = (reps: number) => ({ ...stale, reps, due: new Date(stale.due.getTime() + 5 * DAY) });
    const later = { learnerId, questionId: first.questionId, card: moved(99), at: stale.due, localDate: stale.due.toISOString().slice(0, 10) };
    expect(await t.app.stores.reviews.answer(later)).toEqual({ firstToday: true });
    expect(await t.app.stores.reviews.answer({ ...later, card: moved(98) })).toBeNull();
    expect((await t.app.stores.reviews.get(learnerId, first.questionId))!.reps).toBe(99);
    expect(t.log.errors).toEqual([]);
  });
});

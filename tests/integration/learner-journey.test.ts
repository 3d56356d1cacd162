// The whole learner loop through the real app layer and real Postgres.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseForm } from '../../src/app/actions.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { buttons, TestClock, testApp } from '../support/app.js';

let database: TestDatabase;
let t: Awaited<ReturnType<typeof testApp>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());
beforeEach(async () => {
  // 10:00 in Berlin on a Wednesday.
  t = await testApp(database, new TestClock(new Date('2026-11-25T09:00:00Z')));
});

/** Answers every remaining question of the quiz shown, picking the right or a wrong choice. */
async function finishQuiz(user: string, pick: 'right' | 'wrong') {
  let reply = await t.learn(user, 'quiz');
  for (let i = 0; i < 10 && buttons(reply)[0]?.action.kind === 'answer'; i++) {
    const action = buttons(reply)[0]!.action;
    if (action.kind !== 'answer') break;
    const delivery = await t.app.stores.deliveries.find(action.deliveryId);
    const question = t.app.catalog.lesson(delivery!.lessonId)!.quiz[action.question]!;
    const choice = pick === 'right' ? question.answer : (question.answer + 1) % question.choices.length;
    reply = await t.press(user, { ...action, choice });
  }
  return reply;
}

describe('a learner taking the course', () => {
  it('enrols, reads, answers, practises, keeps a streak across days and gets the next lesson', async () => {
    const start = await t.learn('ada', 'start Europe/Berlin 09:00');
    expect(start.title).toBe(`Lesson 1 of ${t.app.catalog.course.lessons.length}: ${t.app.catalog.lessonAt(0)!.title}`);
    expect(start.text).toContain('Welcome');
    expect(buttons(start).map((b) => b.action.kind)).toEqual(['quiz', 'practice']);

    const done = await finishQuiz('ada', 'right');
    expect(done.text).toContain(`You got all ${t.app.catalog.lessonAt(0)!.quiz.length} right.`);
    expect(done.text).toContain('Streak: 1 day');

    const practice = await t.learn('ada', 'practice ran strace on echo https://example.com/notes');
    expect(practice.text).toContain('Logged your experiment');
    const [log] = (await t.app.stores.learners.exportData(await t.learnerId('ada'))).practice as { note: string; link: string }[];
    expect(log).toMatchObject({ note: 'ran strace on echo', link: 'https://example.com/notes' });

    t.clock.advance(24 * 3600_000);
    const today = await t.learn('ada', 'today');
    expect(today.title).toContain(`Lesson 2 of`);
    expect(today.title).toContain(t.app.catalog.lessonAt(1)!.title);
    expect((await t.learn('ada', 'today')).title).toBe(today.title);

    const second = await finishQuiz('ada', 'wrong');
    expect(second.text).toContain('Streak: 2 days');
    expect(second.text).toMatch(/come back in `\/learn review`/);

    const streak = await t.learn('ada', 'streak');
    expect(streak.text).toContain('Longest: 2 days');
    const why = await t.learn('ada', 'streak why');
    const whyLines = why.text.split('\n');
    expect(whyLines.filter((l) => l.includes('active:'))).toHaveLength(2);
    expect(whyLines[0]).toBe('⬛ Fri 13 Nov to Tue 24 Nov: before your first active day');

    const progress = await t.learn('ada', 'progress');
    expect(progress.text).toContain(`2/${t.app.catalog.course.lessons.length} lessons`);
    expect(progress.fields?.find((f) => f.name === 'Quizzes finished')?.value).toBe('2');
    expect(t.log.errors).toEqual([]);
  });

  it('brings missed questions back for review the next day, on FSRS', async () => {
    await t.learn('bob', 'start UTC 08:00');
    await finishQuiz('bob', 'wrong');
    expect((await t.learn('bob', 'review')).text).toContain('Nothing to review right now');

    t.clock.advance(2 * 24 * 3600_000);
    const review = await t.learn('bob', 'review');
    const [first] = buttons(review);
    expect(first?.action.kind).toBe('review');
    if (first?.action.kind !== 'review') throw new Error('no review button');
    const question = t.app.catalog.question(first.action.questionId)!.question;
    const answered = await t.press('bob', { ...first.action, choice: question.answer });
    expect(answered.text).toContain('✅');
    expect(answered.update).toBe(true);
    const card = await t.app.stores.reviews.get(await t.learnerId('bob'), first.action.questionId);
    expect(card!.due.getTime()).toBeGreaterThan(t.clock.now().getTime());
    expect(card!.reps).toBe(2);
    expect(t.log.errors).toEqual([]);
  });

  it('keeps the first answer and never counts a second press', async () => {
    const start = await t.learn('cy', 'start UTC 09:00');
    const quiz = await t.press('cy', buttons(start)[0]!.action);
    const action = buttons(quiz)[0]!.action;
    await t.press('cy', action);
    const again = await t.press('cy', action);
    expect(again.text).toContain('You already answered that question');
    const delivery = action.kind === 'answer' ? action.deliveryId : -1;
    expect(await t.app.stores.answers.forDelivery(delivery)).toHaveLength(1);
  });

  it("refuses a button from another learner's lesson and changes nothing", async () => {
    const start = await t.learn('dee', 'start UTC 09:00');
    const quiz = await t.press('dee', buttons(start)[0]!.action);
    const action = buttons(quiz)[0]!.action;
    await t.learn('eve', 'start UTC 09:00');
    const refused = await t.press('eve', action);
    expect(refused.text).toContain("belongs to someone else's lesson");
    expect(refused.ephemeral).toBe(true);
    const delivery = action.kind === 'answer' ? action.deliveryId : -1;
    expect(await t.app.stores.answers.forDelivery(delivery)).toEqual([]);
    const notEnrolled = await t.press('mallory', action);
    expect(notEnrolled.text).toContain("belongs to someone else's lesson");
  });

  it('answers bad input with a friendly message and never an error', async () => {
    expect((await t.learn('fay', 'today')).text).toContain("haven't started");
    expect((await t.learn('fay', 'start Mars/Olympus 09:00')).text).toContain('"Mars/Olympus" isn\'t a timezone');
    expect((await t.learn('fay', 'start UTC 25:00')).text).toContain('"25:00" isn\'t a time of day');
    expect((await t.learn('fay', 'dance')).text).toContain('I don\'t know "/learn dance"');
    expect((await t.learn('fay', 'start UTC 09:00 extra')).text).toContain('I didn\'t expect "extra"');
    await t.learn('fay', 'start UTC 09:00');
    expect((await t.learn('fay', 'streak because')).text).toContain('`/learn streak why`');
    expect((await t.learn('fay', 'practice')).modal?.form).toEqual({ kind: 'practice', deliveryId: null });
    expect((await t.submit('fay', 'v1:form:practice:0', { note: '', link: '' })).text).toContain('Tell me what you tried');
    expect((await t.submit('fay', 'v1:form:practice:0', { note: 'x', link: 'javascript:alert(1)' })).text).toContain('http://');
    for (const junk of ['', 'v1', 'v2:ans:1:0:0', 'v1:ans:1:0', 'v1:ans:x:0:0', 'v1:ans:1:0:99', 'v1:run:forget', 'v1:rev:../etc:0', 'v1:ans:1:0:0:0']) {
      expect((await t.press('fay', junk)).text).toMatch(/no longer valid/);
    }
    expect(parseForm('v1:form:practice:12')).toEqual({ kind: 'practice', deliveryId: 12 });
    expect(t.log.errors).toEqual([]);
  });

  it('logs practice from the lesson button through the form', async () => {
    const start = await t.learn('gus', 'start UTC 09:00');
    const form = await t.press('gus', buttons(start)[1]!.action);
    expect(form.modal).toBeDefined();
    const formId = form.modal!.form;
    const done = await t.submit('gus', `v1:form:practice:${formId.deliveryId}`, { note: 'listed ports with ss -tlnp', link: '' });
    expect(done.text).toContain(`for **${t.app.catalog.lessonAt(0)!.title}**`);
    expect(done.text).toContain('Streak: 1 day');
  });

  it('changes settings, pauses and resumes, and reschedules the next lesson in the new zone', async () => {
    await t.learn('hal', 'start UTC 09:00');
    const changed = await t.learn('hal', 'settings timezone Asia/Tokyo');
    expect(changed.text).toContain('Timezone: **Asia/Tokyo**');
    // Lesson 1 was given today (Tokyo date 2026-11-25), so the next is tomorrow 09:00 Tokyo = 00:00 UTC.
    expect(changed.text).toContain('Next lesson: Thu 26 Nov at 09:00');
    expect((await t.learn('hal', 'settings quiet 22:00-07:30')).text).toContain('quiet hours **22:00-07:30**');
    expect((await t.learn('hal', 'settings nudges maybe')).text).toContain('nudges on');
    expect((await t.learn('hal', 'settings colour blue')).text).toContain('I don\'t know the setting "colour"');
    expect((await t.learn('hal', 'pause')).text).toContain('Paused');
    expect((await t.learn('hal', 'progress')).fields?.find((f) => f.name === 'Next lesson')?.value).toContain('Paused');
    expect((await t.learn('hal', 'resume')).text).toContain('Welcome back');
  });

  it('exports everything and forgets only after the owner confirms', async () => {
    await t.learn('ivy', 'start UTC 09:00');
    await finishQuiz('ivy', 'wrong');
    const exported = await t.learn('ivy', 'export');
    const data = JSON.parse(exported.files![0]!.content) as Record<string, unknown[]>;
    expect(data.answers!.length).toBe(t.app.catalog.lessonAt(0)!.quiz.length);
    expect(data.reviewCards!.length).toBe(t.app.catalog.lessonAt(0)!.quiz.length);

    const ask = await t.learn('ivy', 'forget');
    const confirm = buttons(ask)[0]!.action;
    await t.learn('jon', 'start UTC 09:00');
    expect((await t.press('jon', confirm)).text).toContain('meant for someone else');
    expect((await t.learn('ivy', 'progress')).title).toContain('progress');
    // Another command in between cancelled the confirmation: asking again arms a new one.
    expect((await t.press('ivy', confirm)).text).toContain('Nothing was deleted');

    const again = buttons(await t.learn('ivy', 'forget'))[0]!.action;
    expect((await t.press('ivy', again)).text).toContain('everything I stored about you is deleted');
    expect((await t.learn('ivy', 'progress')).text).toContain("haven't started");
    const leftovers = await database.sql`select count(*)::int as n from answers a join learners l on l.id = a.learner_id where l.external_id = 'ivy'`;
    expect(leftovers[0]!.n).toBe(0);
  });

  it('keeps communities apart: the same user id in two communities is two learners', async () => {
    const other = { platform: 'console' as const, externalId: 'other-community' };
    await t.learn('kim', 'start UTC 09:00');
    const start = await t.learn('kim', 'start UTC 09:00', other);
    expect(start.text).toContain('Welcome');
    const quiz = await t.press('kim', buttons(start)[0]!.action, other);
    // Kim's button from the other community does not act on this community's learner.
    expect((await t.press('kim', buttons(quiz)[0]!.action)).text).toContain("someone else's lesson");
  });

  it('shows a dashboard: a welcome before start, then the lesson, streak grid, progress and reviews due', async () => {
    const before = await t.send('lu', { type: 'home' });
    expect(before.text).toContain('/learn start');
    await t.learn('lu', 'start UTC 09:00');
    await finishQuiz('lu', 'wrong');
    t.clock.advance(3 * 24 * 3600_000);
    const home = await t.send('lu', { type: 'home' });
    expect(home.text).toContain(`Next: lesson 2 of ${t.app.catalog.course.lessons.length}`);
    expect(home.text.split('\n').filter((l) => /^(🟩|🧊|⬛|⬜|▫️)+$/u.test(l))).toHaveLength(12);
    expect(home.fields?.find((f) => f.name === 'Reviews due')?.value).toBe(String(t.app.catalog.lessonAt(0)!.quiz.length));
    expect(buttons(home).map((b) => b.label)).toEqual(["Get today's lesson", `Review (${t.app.catalog.lessonAt(0)!.quiz.length})`]);
    expect(t.log.errors).toEqual([]);
  });
});

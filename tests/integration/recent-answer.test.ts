// A quiz answer from a learner this process remembers skips the lookup; the answer's own statement must
// catch every way the memory can be stale. Two app contexts on one database play two processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionId } from '../../src/core/reply.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { buttons, TestClock, testApp } from '../support/app.js';

let database: TestDatabase;
let here: Awaited<ReturnType<typeof testApp>>;
let elsewhere: Awaited<ReturnType<typeof testApp>>;

beforeAll(async () => {
  database = await createTestDatabase();
  // 23:30 in UTC is 08:30 the next day in Tokyo.
  const clock = new TestClock(new Date('2026-11-25T23:30:00Z'));
  here = await testApp(database, clock);
  elsewhere = await testApp(database, clock);
});
afterAll(async () => database?.drop());

/** Starts `user` here and opens their quiz here, so this process remembers them; returns the first answer button. */
async function openQuiz(user: string): Promise<Extract<ActionId, { kind: 'answer' }>> {
  await here.learn(user, 'start UTC 09:00');
  const first = buttons(await here.learn(user, 'quiz'))[0]!.action;
  if (first.kind !== 'answer') throw new Error('no answer button');
  return first;
}

const answerDays = (user: string) =>
  database.sql<{ day: string }[]>`select a.local_date::text as day from answers a join learners l on l.id = a.learner_id where l.external_id = ${user}`;

describe('answering as a remembered learner', () => {
  it('records the answer on the local day of the timezone set in another process since', async () => {
    const answer = await openQuiz('tomo');
    await elsewhere.learn('tomo', 'settings timezone Asia/Tokyo');
    const reply = await here.press('tomo', answer);
    expect(reply.text).toMatch(/Right|Not quite/);
    expect(await answerDays('tomo')).toEqual([{ day: '2026-11-26' }]);
    expect(here.log.errors).toEqual([]);
  });

  it('refuses, and records nothing, when the learner was forgotten and started again in another process', async () => {
    const answer = await openQuiz('fern');
    const confirm = buttons(await elsewhere.learn('fern', 'forget'))[0]!.action;
    expect((await elsewhere.press('fern', confirm)).text).toContain('everything I stored about you is deleted');
    await elsewhere.learn('fern', 'start UTC 09:00');

    // This process still caches the old lesson: it says the button's data was deleted, not that it is someone else's.
    const reply = await here.press('fern', answer);
    expect(reply.text).toContain('from before your data was deleted');
    expect(await answerDays('fern')).toEqual([]);
    expect(here.log.errors).toEqual([]);
  });

  it("refuses someone else's answer button though both are remembered", async () => {
    const answer = await openQuiz('gus');
    await openQuiz('hal');
    expect((await here.press('hal', answer)).text).toContain("belongs to someone else's lesson");
    expect(await answerDays('gus')).toEqual([]);
    expect(await answerDays('hal')).toEqual([]);
  });

  it('answers once, and says so on a second press, from memory as from the database', async () => {
    const answer = await openQuiz('ida');
    expect((await here.press('ida', answer)).text).toMatch(/Right|Not quite/);
    expect((await here.press('ida', answer)).text).toContain('You already answered that question');
    expect((await elsewhere.press('ida', answer)).text).toContain('You already answered that question');
    expect(await answerDays('ida')).toHaveLength(1);
  });
});

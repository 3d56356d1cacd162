// The streak-at-risk nudge on real Postgres: the scan sees the streak `/learn streak` shows (freezes, the clock's day).
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../../src/app/jobs/context.js';
import { nudgeScan, sendNudge } from '../../src/app/jobs/nudges.js';
import type { NudgeJob } from '../../src/app/ports.js';
import { nudgeStore } from '../../src/db/stores/nudges.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { RecordingMessenger } from '../support/recording-messenger.js';

const ZONE = 'America/Los_Angeles';

describe('streak-at-risk nudges', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** An app whose nudge scan sends what it enqueues right away (the job handler, without a queue). */
  async function setup() {
    const clock = new TestClock(new Date('2026-05-01T15:00:00Z'));
    const t = await testApp(database, clock);
    const messenger = new RecordingMessenger();
    const queued: NudgeJob[] = [];
    const jobs = { enqueueLessons: async () => {}, enqueueNudges: async (items: NudgeJob[]) => void queued.push(...items), enqueueCohort: async () => {} };
    const ctx: JobContext = { app: t.app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs, messengers: { console: messenger }, log: t.log };
    const at = (iso: string) => clock.set(DateTime.fromISO(iso, { zone: ZONE }).toUTC().toISO()!);
    /** Runs the scan at local wall time `iso` and returns what it sent to `user`. */
    const scanAt = async (user: string, iso: string) => {
      at(iso);
      const before = messenger.to(user).length;
      await nudgeScan(ctx);
      for (const job of queued.splice(0)) await sendNudge(ctx, job);
      return messenger.to(user).slice(before);
    };
    const user = `u-${randomBytes(3).toString('hex')}`;
    return { t, at, scanAt, user };
  }

  it('keeps a freeze-covered streak alive and warns about it in the evening', async () => {
    const { t, at, scanAt, user } = await setup();
    at('2026-05-01T08:00');
    await t.learn(user, `start ${ZONE} 08:00`);
    await t.learn(user, 'settings nudges on');
    for (let day = 1; day <= 9; day++) {
      at(`2026-05-${String(day).padStart(2, '0')}T12:00`);
      await t.learn(user, `practice day ${day}: ran ss -tlnp`);
    }
    // 10 May is missed: the freeze earned on day 7 covers it, so on 11 May the streak is still 9.
    expect((await scanAt(user, '2026-05-11T08:30')).map((m) => m.key.split(':')[0])).toEqual(['nudge-come-back-2']);
    expect((await t.learn(user, 'streak')).text).toContain('Streak: 9 days');
    const evening = await scanAt(user, '2026-05-11T19:00');
    expect(evening.map((m) => m.key.split(':')[0])).toEqual(['nudge-streak-risk']);
    expect(evening[0]!.reply.text).toContain('9-day streak ends at midnight');
    expect(t.log.errors).toEqual([]);
  });

  it('sends no streak-risk nudge when the clock is before every active day', async () => {
    const { t, at, scanAt, user } = await setup();
    at('2026-05-20T08:00');
    await t.learn(user, `start ${ZONE} 08:00`);
    await t.learn(user, 'settings nudges on');
    for (const day of ['20', '21', '22']) {
      at(`2026-05-${day}T12:00`);
      await t.learn(user, `practice day ${day}`);
    }
    // The clock moved far back: `/learn streak` shows nothing alive, so nothing "ends at midnight".
    at('2026-05-12T19:00');
    expect((await t.learn(user, 'streak')).text).toContain('Your streak starts today');
    expect(await scanAt(user, '2026-05-12T19:00')).toEqual([]);
    expect(t.log.errors).toEqual([]);
  });
});

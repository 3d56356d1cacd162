// Exactly once under Slack's failures, end to end: the real Bolt adapter's messenger, real BullMQ workers on
// Redis running the app's job handlers, Postgres, and a fake Slack whose outages, dropped responses and
// conversations.history rate run on the test's clock. 200 learners of one workspace are due in the same
// minute; ticks on that clock, not real-time waits, bring the retries. What counts is what reached the
// fake: one lesson per learner per day, never two, soon after Slack is back, and history read only for the
// sends that may have posted.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobContext } from '../../src/app/jobs/context.js';
import { jobHandlers } from '../../src/app/jobs/handlers.js';
import { dispatch } from '../../src/app/dispatch.js';
import type { CommunityRef } from '../../src/app/ports.js';
import { installationStore } from '../../src/db/stores/installations.js';
import { nudgeStore } from '../../src/db/stores/nudges.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { createJobEngine, type JobEngine } from '../../src/jobs/engine.js';
import { HISTORY_LIMIT } from '../../src/platforms/slack/messenger.js';
import { createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/index.js';
import { TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { emptyRedisDb } from '../support/jobs.js';
import { FakeSlack, type FakeMessage } from '../fakes/slack-server.js';
import { expectCleanRun } from './slack-checks.js';

const TEAM = 'T0OUTAGE';
const COMMUNITY: CommunityRef = { platform: 'slack', externalId: TEAM };
const LEARNERS = 200;
const MINUTE = 60_000;
/** This file's own Redis database (others: 10 outage, 11 worker-crash, 12 cohort-jobs, 13 scheduling). */
const REDIS_URL = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/9`;
/** The methods a lesson to a DM not yet opened needs. */
const SEND_METHODS = ['conversations.open', 'chat.postMessage'];

interface World {
  database: TestDatabase;
  fake: FakeSlack;
  adapter: SlackAdapter;
  engine: JobEngine;
  clock: TestClock;
  t: Awaited<ReturnType<typeof testApp>>;
  users: string[];
}

let world: World | null = null;

afterEach(async () => {
  const w = world;
  world = null;
  if (!w) return;
  await w.engine.close();
  await w.adapter.stop();
  await w.fake.stop();
  await w.database.drop();
  await emptyRedisDb(REDIS_URL);
});

/** A fresh world: 200 learners enrolled on Monday 4 May 2026, so lesson 2 is due for all at 07:00 UTC on 5 May. */
async function setup(): Promise<World> {
  const [database, fake] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
  const clock = new TestClock(new Date('2026-05-04T06:00:00Z'));
  // Outages, message ts and the history rate run on the app's clock.
  fake.clock = () => clock.now().getTime();
  const users = Array.from({ length: LEARNERS }, (_, i) => `U0L${String(i).padStart(4, '0')}`);
  const workspace = fake.addWorkspace(
    TEAM,
    'outage',
    users.map((id) => ({ id, name: id.toLowerCase() })),
  );
  const t = await testApp(database, clock);
  const adapter = createSlackAdapter({
    config: { transport: 'socket', botToken: workspace.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl, port: 0 },
    handle: (inbound) => dispatch(t.app, t.log, inbound),
    installations: installationStore(database.db),
    log: t.log,
    retryConfig: { retries: 0 },
  });
  await adapter.start();
  const engine = createJobEngine({ redisUrl: REDIS_URL, databaseUrl: database.url, log: t.log, prefix: `so${randomBytes(4).toString('hex')}`, lessonRatePerSecond: 0, retryDelayMs: 20 });
  const ctx: JobContext = { app: t.app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs: engine.jobs, messengers: { slack: adapter.messenger }, log: t.log };
  engine.startWorkers(jobHandlers(ctx));
  world = { database, fake, adapter, engine, clock, t, users };
  // Lesson 1 comes with start, as the command's reply.
  for (const user of users) await t.learn(user, 'start Europe/Berlin 09:00', COMMUNITY);
  return world;
}

/** Ticks once a minute of the test clock, as the scheduler would, while the next minute is at most `until` (ISO). */
async function tickUntil({ clock, engine }: World, until: string, everyMs = MINUTE): Promise<number> {
  let ticks = 0;
  while (clock.now().getTime() + everyMs <= Date.parse(until)) {
    clock.advance(everyMs);
    await engine.runTickNow();
    ticks += 1;
  }
  return ticks;
}

const keyOf = (m: FakeMessage) => m.metadata?.event_payload.key;
const isLesson = (m: FakeMessage) => typeof keyOf(m) === 'string' && String(keyOf(m)).startsWith('lesson:');

/** The lessons that reached a user's DM on the fake's side (nudges aside), oldest first. */
const lessonsOf = ({ fake }: World, user: string) => fake.messagesIn(fake.dmOf(TEAM, user)).filter(isLesson);

/** Keys that reached Slack more than once, with their counts: a double is a learner seeing a lesson twice. */
function doubles({ fake }: World): [string, number][] {
  const counts = new Map<string, number>();
  for (const m of fake.allMessages(TEAM)) if (keyOf(m) !== undefined) counts.set(String(keyOf(m)), (counts.get(String(keyOf(m))) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1);
}

/** ts ("seconds.micros") as epoch milliseconds. */
const msOf = (ts: string) => Math.floor(Number(ts) * 1000);

describe('Slack down for 30 minutes of the test clock while 200 lessons are due (real Bolt, BullMQ on Redis)', () => {
  it('sends each learner lesson 2 exactly once within 2 minutes of recovery after 503s, and lesson 3 once the next day', async () => {
    const w = await setup();
    const { fake, clock, engine, users, t } = w;
    const recovery = new Date('2026-05-05T07:30:00Z');
    fake.outage({ until: recovery, mode: '503', methods: SEND_METHODS });

    clock.set('2026-05-05T07:00:00Z');
    await engine.runTickNow();
    // Down: a tick every 2 minutes (each fails 200 sends), then every minute from 07:29.
    const ticks = 1 + (await tickUntil(w, '2026-05-05T07:28:00Z', 2 * MINUTE)) + (await tickUntil(w, '2026-05-05T07:29:00Z'));
    expect(fake.allMessages(TEAM).filter(isLesson)).toEqual([]);
    // Every learner was tried at every tick, and no more often than that (the DM is opened first).
    const opens = new Map<string, number>();
    for (const c of fake.callsOf('conversations.open')) opens.set(String(c.args.users), (opens.get(String(c.args.users)) ?? 0) + 1);
    expect(opens.size).toBe(LEARNERS);
    expect(new Set(opens.values())).toEqual(new Set([ticks]));

    await tickUntil(w, '2026-05-05T07:32:00Z');
    expect(doubles(w)).toEqual([]);
    for (const user of users) {
      const lessons = lessonsOf(w, user);
      expect(lessons.map((m) => m.text), user).toEqual([expect.stringContaining('Lesson 2 of')]);
      const at = msOf(lessons[0]!.ts);
      expect(at).toBeGreaterThanOrEqual(recovery.getTime());
      expect(at).toBeLessThan(recovery.getTime() + 2 * MINUTE);
    }
    // A 503 says Slack did nothing: no retry needed to look at history.
    expect(fake.callsOf('conversations.history')).toHaveLength(0);

    // The next day brings lesson 3, once.
    clock.set('2026-05-06T06:58:00Z');
    await tickUntil(w, '2026-05-06T07:02:00Z');
    expect(doubles(w)).toEqual([]);
    for (const user of users) expect(lessonsOf(w, user).map((m) => m.text), user).toEqual([expect.stringContaining('Lesson 2 of'), expect.stringContaining('Lesson 3 of')]);
    expectCleanRun(fake, t.log);
  }, 90_000);

  it('doubles nothing when a third of the posts lose their answer before a 30-minute outage, reading history only for those', async () => {
    const w = await setup();
    const { fake, clock, engine, users, t } = w;
    const recovery = new Date('2026-05-05T07:30:00Z');
    // At the due minute Slack posts everything but every third answer is lost (a reset connection).
    fake.dropResponses({ method: 'chat.postMessage', every: 3 });
    clock.set('2026-05-05T07:00:00Z');
    await engine.runTickNow();
    const dropped = fake.callsOf('chat.postMessage').filter((c) => c.unanswered === 'dropped');
    expect(dropped).toHaveLength(Math.floor(LEARNERS / 3));
    expect(fake.allMessages(TEAM).filter(isLesson)).toHaveLength(LEARNERS);
    // A first attempt never reads history.
    expect(fake.callsOf('conversations.history')).toHaveLength(0);

    // Then Slack is down for 30 minutes.
    fake.outage({ until: recovery, mode: '503' });
    await tickUntil(w, '2026-05-05T07:29:00Z');
    // No look during the outage either: the DM could not even be opened.
    expect(fake.callsOf('conversations.history')).toHaveLength(0);
    const postsBefore = fake.callsOf('chat.postMessage').length;

    // Back: ticking every minute for up to 5 minutes.
    await tickUntil(w, '2026-05-05T07:35:00Z');
    expect(doubles(w)).toEqual([]);
    for (const user of users) expect(lessonsOf(w, user).map((m) => m.text), user).toEqual([expect.stringContaining('Lesson 2 of')]);
    expect(fake.allMessages(TEAM).filter(isLesson)).toHaveLength(LEARNERS);
    // The lost answers were found in history, not posted again.
    expect(fake.callsOf('chat.postMessage')).toHaveLength(postsBefore);
    const reads = fake.callsOf('conversations.history');
    // One look per lost answer, and another only for those the history rate (50 a minute) told to wait:
    // not one per learner.
    expect(reads.length).toBeGreaterThanOrEqual(dropped.length);
    expect(reads.length).toBeLessThanOrEqual(dropped.length + Math.max(0, dropped.length - fake.historyPerMinute));
    const lostIn = new Set(dropped.map((c) => String(c.args.channel)));
    for (const read of reads) {
      expect(lostIn.has(String(read.args.channel))).toBe(true);
      expect(read.args).toMatchObject({ include_all_metadata: 'true' });
      expect(Number(read.args.limit)).toBeLessThanOrEqual(HISTORY_LIMIT);
    }
    // The delivery rows agree: every lesson recorded as sent with the ts that reached Slack.
    const rows = await w.database.sql<{ user: string; ref: string }[]>`
      select l.external_id as user, d.message_ref as ref from deliveries d join learners l on l.id = d.learner_id
      where d.state = 'sent' and d.local_date = '2026-05-05'`;
    expect(rows).toHaveLength(LEARNERS);
    for (const { user, ref } of rows) expect(ref).toBe(lessonsOf(w, user)[0]!.ts);
    expectCleanRun(fake, t.log);
  }, 60_000);
});

// Exactly once against the real discord.js REST client and a fake Discord that fails as Discord does:
// 200 learners due in the same minute while every message and DM route answers 503 for 30 minutes of
// the test's clock; then answers lost after Discord created the message, with an outage long enough for
// Discord's nonce memory to forget them. Ticks on the test clock drive the retries.
import type { APIUser } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityRef } from '../../src/app/ports.js';
import type { JobEngine } from '../../src/jobs/engine.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/platforms/discord/index.js';
import type { FakeGuild } from '../fakes/discord-model.js';
import { FakeDiscord } from '../fakes/discord-server.js';
import { TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { emptyRedisDb, startJobs } from '../support/jobs.js';

const LEARNERS = 200;
const MINUTE = 60_000;
// A Redis database of its own (see the other test files' numbers).
const REDIS_URL = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/8`;

let database: TestDatabase;
let engine: JobEngine | null = null;
let worker: DiscordAdapter | null = null;
let fake: FakeDiscord;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await engine?.close();
  await worker?.stop();
  await fake?.stop();
  engine = null;
  worker = null;
});
afterAll(async () => {
  await database?.drop();
  await emptyRedisDb(REDIS_URL);
});

async function setup() {
  const clock = new TestClock(new Date('2026-11-25T09:00:00Z'));
  fake = await FakeDiscord.start({ clock: () => clock.now().getTime() });
  const owner = fake.addUser('owner');
  const guild: FakeGuild = fake.addGuild('Backend Club', owner);
  const users: APIUser[] = [];
  for (let i = 0; i < LEARNERS; i++) {
    const user = fake.addUser(`learner${i}`);
    fake.join(guild, user);
    users.push(user);
  }
  const t = await testApp(database, clock);
  const community: CommunityRef = { platform: 'discord', externalId: guild.id };
  // Lesson 1 comes with start (10:00 in Berlin); lesson 2 is due for everyone at 09:00 on 26 November.
  for (const user of users) await t.learn({ externalId: user.id, displayName: user.username }, 'start Europe/Berlin 09:00', community);
  // A worker process's messenger: no gateway. No retries inside discord.js, so each attempt is one request;
  // the client's own 50/s budget is lifted so the test does not wait in real time for it.
  worker = createDiscordAdapter({
    config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl },
    handle: () => Promise.reject(new Error('workers take no interactions')),
    handleDirect: () => Promise.reject(new Error('workers take no interactions')),
    log: t.log,
    rest: { retries: 0, offset: 0, timeout: 5000, globalRequestsPerSecond: 10_000 },
  });
  engine = startJobs(database, t.app, t.log, worker.messenger, { redisUrl: REDIS_URL, platform: 'discord' }).engine;
  /** The lessons in each learner's DM, on Discord's side, by their titles (nudges aside). */
  const lessonsIn = (user: APIUser) =>
    fake
      .messagesIn(fake.dmChannelOf(user.id))
      .map((m) => m.embeds[0]?.title ?? '')
      .filter((title) => /^Lesson \d+ of/.test(title));
  return { t, clock, users, engine, lessonsIn };
}

async function tickUntil(clock: TestClock, e: JobEngine, until: string, step = MINUTE): Promise<void> {
  while (clock.now().getTime() + step <= Date.parse(until)) {
    clock.advance(step);
    await e.runTickNow();
  }
}

describe('lessons through the real discord.js client while Discord is down', () => {
  it('sends every learner lesson 2 once, within 2 minutes of a 30-minute outage ending, and lesson 3 the next day', async () => {
    const { t, clock, users, engine: e, lessonsIn } = await setup();
    fake.outage({ from: Date.parse('2026-11-26T08:00:00Z'), until: Date.parse('2026-11-26T08:30:00Z'), mode: '503' });
    clock.set('2026-11-26T08:00:00Z');
    await e.runTickNow();
    await tickUntil(clock, e, '2026-11-26T08:29:59Z', 5 * MINUTE);
    for (const user of users) expect(lessonsIn(user)).toEqual([]);
    const refused = fake.requests.filter((r) => r.status === 503).length;
    expect(refused).toBeGreaterThanOrEqual(LEARNERS * 6);

    await tickUntil(clock, e, '2026-11-26T08:32:00Z');
    for (const user of users) expect(lessonsIn(user)).toEqual([expect.stringMatching(/Lesson 2 of/)]);
    clock.set('2026-11-27T07:58:00Z');
    await tickUntil(clock, e, '2026-11-27T08:01:00Z');
    for (const user of users) expect(lessonsIn(user)).toEqual([expect.stringMatching(/Lesson 2 of/), expect.stringMatching(/Lesson 3 of/)]);
    expect(fake.violations).toEqual([]);
    expect(t.log.errors).toEqual([]);
  }, 60_000);

  it('doubles nothing when a third of the answers are lost after posting and the retry comes after Discord forgot the nonce', async () => {
    const { t, clock, users, engine: e, lessonsIn } = await setup();
    clock.set('2026-11-26T08:00:00Z');
    fake.dropResponses({ every: 3 });
    // Down for 30 minutes right after the first sends: Discord remembers a nonce for 5.
    fake.outage({ from: Date.parse('2026-11-26T08:00:30Z'), until: Date.parse('2026-11-26T08:30:00Z'), mode: '503' });
    await e.runTickNow();
    const dropped = fake.requests.filter((r) => r.unanswered === 'dropped').length;
    expect(dropped).toBeGreaterThanOrEqual(Math.floor(LEARNERS / 3) - 1);
    await tickUntil(clock, e, '2026-11-26T08:30:00Z', 5 * MINUTE);
    await tickUntil(clock, e, '2026-11-26T08:33:00Z');
    for (const user of users) expect(lessonsIn(user)).toEqual([expect.stringMatching(/Lesson 2 of/)]);
    // Only the retries of lost answers looked at the DM's history.
    const looks = fake.requests.filter((r) => r.method === 'GET' && /^\/channels\/\d+\/messages$/.test(r.path) && r.status === 200).length;
    expect(looks).toBe(dropped);
    expect(fake.violations).toEqual([]);
    expect(t.log.errors).toEqual([]);
  }, 60_000);
});

// Cohort deadlines through real BullMQ, on both backends: reminders, auto-close, extend, the outbox, the digest.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityRef } from '../../src/app/ports.js';
import { encodeForm } from '../../src/core/reply.js';
import type { JobEngine } from '../../src/jobs/engine.js';
import { admin, buttons, TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { emptyRedisDb, jobBackends, startJobs } from '../support/jobs.js';
import { RecordingMessenger } from '../support/recording-messenger.js';

const LEAD = admin('lena');

describe.each(jobBackends(12))('cohort jobs on %s', (_backend, redisUrl) => {
  let database: TestDatabase;
  let engine: JobEngine | null = null;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await engine?.close();
    engine = null;
  });
  afterAll(async () => {
    await database?.drop();
    await emptyRedisDb(redisUrl);
  });

  /** App, engine, workers and a recording messenger; `commandsSend: false` leaves sending to the jobs. */
  async function setup(startAt: string, { commandsSend = true } = {}) {
    const clock = new TestClock(new Date(startAt));
    const messenger = new RecordingMessenger();
    const t = await testApp(database, clock, commandsSend ? { messengers: { console: messenger } } : {});
    engine = startJobs(database, t.app, t.log, messenger, { redisUrl }).engine;
    const community: CommunityRef = { platform: 'console', externalId: `c-${randomBytes(4).toString('hex')}` };
    const cohort = (text: string) => t.cohort(LEAD, text, community);
    await cohort('channel cohort');
    const post = async (template: string, deadline: string) => {
      const reply = await cohort(`challenge post ${template} ${deadline}`);
      const id = /#(\d+)/.exec(reply.text)?.[1];
      if (!id) throw new Error(`not posted: ${reply.text}`);
      return Number(id);
    };
    const submitWork = async (user: string, challengeId: number) => {
      const form = await t.press(user, { kind: 'submit', challengeId }, community);
      return t.submit(user, encodeForm(form.modal!.form), { link: `https://github.com/${user}/work` }, community);
    };
    const at = async (iso: string) => {
      clock.set(iso);
      await engine!.runTickNow();
    };
    const reminders = (user: string) => messenger.to(user).filter((m) => m.key.startsWith('chal-remind-')).map((m) => m.key.split(':')[0]);
    return { t, clock, messenger, community, cohort, post, submitWork, at, reminders };
  }

  it('reminds only those who have not submitted, 24 h and 1 h before, then closes and tells the lead once', async () => {
    const { t, messenger, community, post, submitWork, at, reminders } = await setup('2026-05-04T09:00:00Z');
    for (const user of ['ada', 'bob', 'cy']) await t.learn(user, 'start UTC 08:00', community);
    const id = await post('harden-ssh-linux-vm', '2026-05-06 18:00');
    await submitWork('ada', id);

    await at('2026-05-05T17:59:00Z');
    expect(reminders('bob')).toEqual([]);
    await at('2026-05-05T18:00:30Z');
    await at('2026-05-05T18:05:00Z'); // a second scan in the window sends nothing twice
    expect(reminders('ada')).toEqual([]);
    expect(reminders('bob')).toEqual(['chal-remind-24h']);
    expect(reminders('cy')).toEqual(['chal-remind-24h']);
    const [reminder] = messenger.to('bob').filter((m) => m.key.startsWith('chal-remind-'));
    expect(reminder!.reply.text).toContain('is due in about 24 hours');
    expect(buttons(reminder!.reply).map((b) => b.action)).toEqual([{ kind: 'submit', challengeId: id }]);

    await submitWork('cy', id);
    await at('2026-05-06T17:00:30Z');
    expect(reminders('bob')).toEqual(['chal-remind-24h', 'chal-remind-1h']);
    expect(reminders('cy')).toEqual(['chal-remind-24h']);

    await at('2026-05-06T18:00:30Z');
    await at('2026-05-06T18:02:00Z');
    const [row] = await database.sql`select status, closed_at::text as closed from challenges where id = ${id}`;
    expect(row!.status).toBe('closed');
    const summaries = messenger.to('lena');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.reply.text).toContain('is closed: 2 submitted, 0 accepted, 2 to review');
    // After the deadline: late, not lost.
    expect((await submitWork('bob', id)).text).toContain('marked late');
    expect(t.log.errors).toEqual([]);
  });

  it('skips a reminder already past when the challenge is posted, and follows an extended deadline', async () => {
    const { t, community, cohort, post, at, reminders } = await setup('2026-05-04T09:00:00Z');
    await t.learn('dan', 'start UTC 08:00', community);
    // Due in 10 hours: the 24 h reminder was already past when it was posted.
    const soon = await post('harden-ssh-linux-vm', '2026-05-04 19:00');
    await at('2026-05-04T09:01:00Z');
    expect(reminders('dan')).toEqual([]);
    await at('2026-05-04T18:00:30Z');
    expect(reminders('dan')).toEqual(['chal-remind-1h']);

    // Extended before its 24 h reminder: nothing at the old times, everything at the new ones.
    const later = await post('cache-slow-endpoint', '2026-05-08 12:00');
    expect((await cohort(`challenge extend #${later} 2026-05-10 12:00`)).text).toContain('now due Sun 10 May 2026, 12:00 (UTC)');
    await at('2026-05-07T12:00:30Z');
    await at('2026-05-08T12:00:30Z');
    const [open] = await database.sql`select status from challenges where id = ${later}`;
    expect(open!.status).toBe('open');
    expect(reminders('dan').filter((k) => k !== 'chal-remind-1h')).toEqual([]);
    await at('2026-05-09T12:00:30Z');
    expect(reminders('dan')).toEqual(['chal-remind-1h', 'chal-remind-24h']);

    // Extended after its 24 h reminder went out: the new deadline gets its own reminders.
    await cohort(`challenge extend #${later} 2026-05-12 12:00`);
    await at('2026-05-10T12:00:30Z');
    await at('2026-05-11T12:00:30Z');
    expect(reminders('dan')).toEqual(['chal-remind-1h', 'chal-remind-24h', 'chal-remind-24h']);
    await at('2026-05-12T12:00:30Z');
    const [closed] = await database.sql`select status from challenges where id = ${later}`;
    expect(closed!.status).toBe('closed');
    const soonState = await database.sql`select status from challenges where id = ${soon}`;
    expect(soonState[0]!.status).toBe('closed');
    expect(t.log.errors).toEqual([]);
  });

  it('posts and tells decisions from the scan when the command could not send them', async () => {
    const { t, messenger, community, post, submitWork, at } = await setup('2026-05-05T09:00:00Z', { commandsSend: false });
    await t.learn('eve', 'start UTC 08:00', community);
    const id = await post('harden-ssh-linux-vm', '+3d');
    const posts = () => messenger.sent.filter((s) => s.key === `challenge:${id}:post`);
    expect(posts()).toEqual([]);
    await at('2026-05-05T09:01:00Z'); // within the grace period the command's own send may still be running
    expect(posts()).toEqual([]);
    await at('2026-05-05T09:03:00Z');
    await at('2026-05-05T09:04:00Z');
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.channel).toBe('cohort');
    const [row] = await database.sql`select message_ref from challenges where id = ${id}`;
    expect(row!.message_ref).toMatch(/^m\d+$/);

    await submitWork('eve', id);
    const queue = await t.cohort(LEAD, 'review', community);
    const accepted = await t.press(LEAD, buttons(queue).find((b) => b.action.kind === 'accept')!.action, community);
    expect(accepted.text).toContain('They will get a DM in a minute or two.');
    await at('2026-05-05T09:07:00Z');
    await at('2026-05-05T09:08:00Z');
    const told = messenger.to('eve').filter((m) => m.key.startsWith('review:'));
    expect(told).toHaveLength(1);
    expect(told[0]!.reply.text).toContain('was accepted: +25 points');
    expect(t.log.errors).toEqual([]);
  });

  it('posts the weekly digest on Monday at 09:00 in the cohort timezone, once', async () => {
    const { t, messenger, community, cohort, post, submitWork, at } = await setup('2026-05-06T10:00:00Z');
    await cohort('settings timezone America/New_York');
    await t.learn('fay', 'start America/New_York 08:00', community);
    const id = await post('harden-ssh-linux-vm', '2026-05-08 18:00');
    await submitWork('fay', id);
    // Earlier tests' communities share the database (and get their own digests): look at this one's only.
    const { id: communityId } = await t.app.stores.communities.ensure(community);
    const digests = () => messenger.sent.filter((s) => s.channel === 'cohort' && s.key.startsWith(`digest:${communityId}:`));
    await at('2026-05-06T10:01:00Z'); // a Wednesday: no digest for a week the cohort was not set up in
    await at('2026-05-11T12:59:00Z'); // Monday 08:59 in New York
    expect(digests()).toEqual([]);
    expect((await t.learn('fay', 'practice listed open ports with ss -tlnp', community)).text).toContain('Streak: 1 day');
    await at('2026-05-11T13:00:30Z'); // Monday 09:00 in New York
    await at('2026-05-11T13:05:00Z');
    const sent = digests();
    expect(sent.map((d) => d.key)).toEqual([`digest:${communityId}:2026-05-11`]);
    const digest = sent[0]!.reply;
    expect(digest.title).toContain('This week in');
    expect(digest.text).toContain('**Challenge results**');
    expect(digest.text).toContain('**Top streaks**\n🥇 fay: 1 day');
    expect(digest.text).toContain(`**Challenge results**\n#${id} Set up a Linux VM server and harden SSH: 1 submitted, 0 accepted, 1 to review`);
    expect(t.log.errors).toEqual([]);
  });
});

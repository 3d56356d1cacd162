// `/learn forget` asks first; its Delete button counts only as the person's very next request, within 5
// minutes of the app clock, in whichever process and on whichever platform it arrives. Two app contexts on
// one database play two bot processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETED_SINCE, dispatchDirect } from '../../src/app/direct.js';
import type { CommunityRef, Platform } from '../../src/app/ports.js';
import { encodeAction, encodeForm, type ActionId, type Reply } from '../../src/core/reply.js';
import { directLookup } from '../../src/db/stores/direct.js';
import { buttons, COMMUNITY, TestClock, testApp } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let database: TestDatabase;
let clock: TestClock;
let here: Awaited<ReturnType<typeof testApp>>;
let elsewhere: Awaited<ReturnType<typeof testApp>>;

beforeAll(async () => {
  database = await createTestDatabase();
  clock = new TestClock(new Date('2026-11-25T10:00:00Z'));
  here = await testApp(database, clock);
  elsewhere = await testApp(database, clock);
});
afterAll(async () => database?.drop());

const MINUTE = 60_000;
const DELETED = 'everything I stored about you is deleted';

async function exists(user: string, community: CommunityRef = COMMUNITY): Promise<boolean> {
  const rows = await database.sql`select 1 from learners l join communities c on c.id = l.community_id
    where l.external_id = ${user} and c.platform = ${community.platform} and c.external_id = ${community.externalId}`;
  return rows.length > 0;
}

/** `/learn forget` as `user`: the Delete button's action. */
async function askToForget(t: typeof here, user: string, community?: CommunityRef): Promise<ActionId> {
  const ask = await t.learn(user, 'forget', community);
  const [button] = buttons(ask);
  expect(button?.label).toBe('Delete everything');
  return button!.action;
}

function only(reply: Reply, kind: ActionId['kind']): ActionId {
  const found = buttons(reply).find((b) => b.action.kind === kind);
  if (!found) throw new Error(`no ${kind} button in: ${reply.text}`);
  return found.action;
}

describe('confirming /learn forget', () => {
  it('deletes when the Delete press is the next thing the person does', async () => {
    await here.learn('ada', 'start UTC 09:00');
    const confirm = await askToForget(here, 'ada');
    clock.advance(4 * MINUTE + 59_000);
    expect((await here.press('ada', confirm)).text).toContain(DELETED);
    expect(await exists('ada')).toBe(false);
    expect(here.log.errors).toEqual([]);
  });

  it('is cancelled by any other command in between: /learn forget, /learn progress, Delete deletes nothing', async () => {
    await here.learn('bob', 'start UTC 09:00');
    const confirm = await askToForget(here, 'bob');
    expect((await here.learn('bob', 'progress')).title).toContain('progress');
    const pressed = await here.press('bob', confirm);
    expect(pressed.text).toContain('Nothing was deleted');
    expect(pressed.text).toContain('/learn forget');
    expect(pressed.ephemeral).toBe(true);
    expect(await exists('bob')).toBe(true);
    // The cancelled button stays dead.
    expect((await here.press('bob', confirm)).text).toContain('Nothing was deleted');
    expect(await exists('bob')).toBe(true);
  });

  it('is cancelled by a button, a form or the dashboard in between, as by a command', async () => {
    const start = await here.learn('cy', 'start UTC 09:00');
    const others: (() => Promise<unknown>)[] = [
      () => here.press('cy', only(start, 'quiz')),
      () => here.press('cy', { kind: 'run', verb: 'streak' }),
      () => here.submit('cy', encodeForm({ kind: 'practice', deliveryId: null }), { note: 'ran ss -tlnp', link: '' }),
      () => here.send('cy', { type: 'home' }),
    ];
    for (const other of others) {
      const confirm = await askToForget(here, 'cy');
      await other();
      expect((await here.press('cy', confirm)).text).toContain('Nothing was deleted');
      expect(await exists('cy')).toBe(true);
    }
    // The Delete button of an earlier /learn forget is no confirmation of a later one.
    const earlier = await askToForget(here, 'cy');
    clock.advance(MINUTE);
    await askToForget(here, 'cy');
    expect((await here.press('cy', earlier)).text).toContain('Nothing was deleted');
    expect(await exists('cy')).toBe(true);
    expect(here.log.errors).toEqual([]);
  });

  it.each<Platform>(['console', 'slack', 'discord'])('expires 5 minutes after asking on %s, and says how to ask again', async (platform) => {
    const community = { platform, externalId: `expiry-${platform}` };
    await here.learn('dot', 'start UTC 09:00', community);
    const confirm = await askToForget(here, 'dot', community);
    clock.advance(5 * MINUTE);
    const pressed = await here.press('dot', confirm, community);
    expect(pressed.text).toContain('expired');
    expect(pressed.text).toContain('/learn forget');
    expect(await exists('dot', community)).toBe(true);
    // Asking again works.
    const again = await askToForget(here, 'dot', community);
    expect((await here.press('dot', again, community)).text).toContain(DELETED);
    expect(await exists('dot', community)).toBe(false);
  });

  it('holds across processes: asked in one, confirmed or cancelled in another', async () => {
    await here.learn('eli', 'start UTC 09:00');
    const confirm = await askToForget(here, 'eli');
    await elsewhere.learn('eli', 'streak');
    expect((await here.press('eli', confirm)).text).toContain('Nothing was deleted');
    expect(await exists('eli')).toBe(true);

    const again = await askToForget(here, 'eli');
    expect((await elsewhere.press('eli', again)).text).toContain(DELETED);
    expect(await exists('eli')).toBe(false);
  });

  it('is cancelled by a quiz answer from a process that answers from memory', async () => {
    await here.learn('fay', 'start UTC 09:00');
    const answer = buttons(await here.learn('fay', 'quiz'))[0]!.action; // `here` now remembers fay
    const confirm = await askToForget(elsewhere, 'fay');
    expect((await here.press('fay', answer)).text).toMatch(/Right|Not quite/);
    expect((await elsewhere.press('fay', confirm)).text).toContain('Nothing was deleted');
    expect(await exists('fay')).toBe(true);
    expect(here.log.errors).toEqual([]);
  });

  it("refuses someone else's Delete button and deletes nothing", async () => {
    await here.learn('gil', 'start UTC 09:00');
    await here.learn('hal', 'start UTC 09:00');
    const confirm = await askToForget(here, 'gil');
    expect((await here.press('hal', confirm)).text).toContain('meant for someone else');
    expect(await exists('gil')).toBe(true);
    expect((await here.press('gil', confirm)).text).toContain(DELETED);
  });
});

describe('buttons from before /learn forget', () => {
  it('say the data was deleted and how to start again, not that they are someone else’s', async () => {
    const start = await here.learn('ivy', 'start UTC 09:00');
    const quiz = await here.press('ivy', only(start, 'quiz'));
    const old: ActionId[] = [only(start, 'quiz'), only(start, 'practice'), only(quiz, 'answer'), { kind: 'review', questionId: 'what-is-backend', choice: 0 }];
    const confirm = await askToForget(here, 'ivy');
    expect((await here.press('ivy', confirm)).text).toContain(DELETED);

    for (const action of [...old, confirm]) {
      for (const t of [here, elsewhere]) {
        const reply = await t.press('ivy', action);
        expect(reply.text).toContain('deleted');
        expect(reply.text).toContain('/learn start');
        expect(reply.text).not.toContain('someone else');
      }
    }
    // Started again, an old button says it is from before, and points at today's lesson.
    await here.learn('ivy', 'start UTC 09:00');
    const after = await here.press('ivy', old[0]!);
    expect(after.text).toContain('from before your data was deleted');
    expect(after.text).toContain('/learn today');
    expect(here.log.errors).toEqual([]);
  });

  it('say so in a direct message too, where no community is left to find', async () => {
    const community = { platform: 'discord' as const, externalId: 'guild-forget' };
    const start = await here.learn('4711', 'start UTC 09:00', community);
    const confirm = await askToForget(here, '4711', community);
    expect((await here.press('4711', confirm, community)).text).toContain(DELETED);
    const reply = await dispatchDirect(here.app, here.log, directLookup(database.db), {
      platform: 'discord',
      user: { externalId: '4711', displayName: '4711' },
      request: { type: 'action', actionId: encodeAction(only(start, 'quiz')) },
    });
    expect(reply.text).toBe(DELETED_SINCE);
    expect(reply.text).toContain('/learn start');
  });
});

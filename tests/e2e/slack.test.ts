// The real Bolt App in Socket Mode against a fake Slack on 127.0.0.1, with the real app and Postgres:
// a learner's whole journey by slash commands, buttons, a modal and App Home; DM delivery that is never
// doubled; refusals for someone else's buttons; and user text that can never ping a channel.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAction } from '../../src/app/actions.js';
import { dispatch } from '../../src/app/dispatch.js';
import { NotPosted, RecipientUnreachable } from '../../src/app/ports.js';
import { installationStore } from '../../src/db/stores/installations.js';
import { createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TestClock, testApp } from '../support/app.js';
import { pings } from '../fakes/slack-blocks.js';
import { buttonLabelled, buttonsOf, SlackPerson, textOf, type PressedIn } from '../fakes/slack-payloads.js';
import { FakeSlack } from '../fakes/slack-server.js';
import { expectCleanRun } from './slack-checks.js';

const TEAM = 'T0ACME';

let database: TestDatabase;
let fake: FakeSlack;
let adapter: SlackAdapter;
let t: Awaited<ReturnType<typeof testApp>>;
let ada: SlackPerson;
let bob: SlackPerson;
let eve: SlackPerson;
let cal: SlackPerson;

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
  const workspace = fake.addWorkspace(TEAM, 'acme', [
    { id: 'U0ADA', name: 'ada', displayName: 'Ada' },
    { id: 'U0BOB', name: 'bob' },
    { id: 'U0CAL', name: 'cal' },
    // A display name is user input too.
    { id: 'U0EVE', name: 'eve', displayName: '<!here> Eve' },
  ]);
  fake.addChannel(TEAM, 'C0GENERAL');
  [ada, bob, eve, cal] = ['U0ADA', 'U0BOB', 'U0EVE', 'U0CAL'].map((id) => new SlackPerson(fake, workspace, workspace.users.get(id)!)) as [SlackPerson, SlackPerson, SlackPerson, SlackPerson];
  // Wednesday 10:00 in Berlin.
  t = await testApp(database, new TestClock(new Date('2026-11-25T09:00:00Z')));
  adapter = createSlackAdapter({
    config: { transport: 'socket', botToken: workspace.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl, port: 0 },
    handle: (inbound) => dispatch(t.app, t.log, inbound),
    installations: installationStore(database.db),
    log: t.log,
    retryConfig: { retries: 0 },
  });
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.stop();
  await database?.drop();
});

// A handler that threw, a payload Slack would refuse, or a ping fails the test that caused it.
afterEach(() => expectCleanRun(fake, t.log));

type Body = Record<string, unknown>;

/** `/learn <text>` (or another command); resolves with the reply posted to the command's response_url. */
async function slash(person: SlackPerson, text: string, options: { channel?: string; command?: string } = {}): Promise<Body> {
  const payload = person.slashCommand(text, options);
  const started = Date.now();
  expect(await fake.push('slash_commands', payload)).toEqual({});
  expect(Date.now() - started).toBeLessThan(3000);
  return fake.until(() => fake.responsesTo(payload.response_url)[0], `the reply to ${payload.command} ${text}`);
}

/** Presses a button in a message; resolves with the reply posted to that press's response_url. */
async function press(person: SlackPerson, message: { blocks?: unknown }, label: string | RegExp, where: PressedIn = { kind: 'message', channel: person.dm, ephemeral: true }): Promise<Body> {
  const payload = person.press(buttonLabelled(message, label), where);
  await fake.push('interactive', payload);
  return fake.until(() => fake.responsesTo(payload.response_url)[0], `the reply to pressing ${String(label)}`);
}

/** Resolves with the Home view once views.publish has been called more than `after` times for this person. */
async function homeAfter(person: SlackPerson, after: number): Promise<Body> {
  const published = () => fake.callsOf('views.publish').filter((c) => c.args.user_id === person.user.id);
  await fake.until(() => published().length > after, `App Home for ${person.user.name}`);
  return published().at(-1)!.args.view as Body;
}

const publishedCount = (person: SlackPerson) => fake.callsOf('views.publish').filter((c) => c.args.user_id === person.user.id).length;

/** The right (or a wrong) choice's label for the question a set of answer buttons belongs to. */
async function choice(message: Body, pick: 'right' | 'wrong'): Promise<string> {
  const first = buttonsOf(message)[0]!;
  const action = parseAction(first.value!);
  if (action?.kind !== 'answer') throw new Error(`not an answer button: ${first.value}`);
  const delivery = await t.app.stores.deliveries.find(action.deliveryId);
  const question = t.app.catalog.lesson(delivery!.lessonId)!.quiz[action.question]!;
  const index = pick === 'right' ? question.answer : (question.answer + 1) % question.choices.length;
  return buttonsOf(message)[index]!.text.text;
}

describe('Slack in Socket Mode', () => {
  it('connected through apps.connections.open with the app token and checked the bot token', () => {
    expect(fake.connected).toBe(1);
    expect(fake.callsOf('apps.connections.open')[0]?.token).toBe(fake.appToken);
    expect(fake.callsOf('auth.test')[0]?.teamId).toBe(TEAM);
  });

  it('takes a learner through start, lesson, quiz by buttons, the practice modal, App Home and export', async () => {
    const start = await slash(ada, 'start Europe/Berlin 09:00');
    const first = t.app.catalog.lessonAt(0)!;
    expect(start.response_type).toBe('ephemeral');
    expect(textOf(start)).toContain(`Lesson 1 of ${t.app.catalog.course.lessons.length}: ${first.title}`);
    // Markdown became mrkdwn by slackify-markdown: **bold** -> *bold*, the name from users.info.
    expect(textOf(start)).toMatch(/Welcome to \u200b?\*Backend/);
    expect(textOf(start)).toContain('Ada!');
    expect(textOf(start)).not.toContain('**');
    expect(String(start.text)).toContain(first.title);
    expect(buttonsOf(start).map((b) => b.text.text)).toEqual(['Take the quiz', 'Log experiment']);
    expect(fake.callsOf('users.info').some((c) => c.args.user === 'U0ADA')).toBe(true);

    // The quiz: one question at a time, each answer replaces the question with the verdict and the next.
    let step = await press(ada, start, 'Take the quiz');
    expect(step.response_type).toBe('ephemeral');
    expect(textOf(step)).toContain('question 1 of');
    for (let i = 0; i < 10 && !textOf(step).includes('quiz done'); i++) {
      step = await press(ada, step, await choice(step, i === 0 ? 'wrong' : 'right'));
      expect(step.replace_original).toBe(true);
      if (i === 0) expect(textOf(step)).toContain('Not quite');
    }
    expect(textOf(step)).toContain('quiz done');
    expect(textOf(step)).toContain('Streak: 1 day');

    // Log experiment from the lesson: a modal (views.open), answered where the button was pressed.
    const opened = fake.opened.length;
    const lessonPress = ada.press(buttonLabelled(start, 'Log experiment'), { kind: 'message', channel: ada.dm, ephemeral: true });
    await fake.push('interactive', lessonPress);
    const modal = await fake.until(() => fake.opened[opened], 'the practice modal');
    expect(modal.view).toMatchObject({ type: 'modal', title: { text: 'Log practice' }, callback_id: expect.stringMatching(/^v1:form:practice:\d+$/) });
    expect(modal.userId).toBe('U0ADA');
    expect(await fake.push('interactive', ada.submit(modal, { note: 'ran strace -c echo hi', link: 'https://example.com/notes' }))).toEqual({});
    const logged = await fake.until(() => fake.responsesTo(lessonPress.response_url)[0], 'the practice confirmation');
    expect(logged).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(logged)).toMatch(new RegExp(`Logged your experiment for \u200b?\\*${first.title}\\*`));
    const exported = (await t.app.stores.learners.exportData(await t.learnerId('U0ADA', { platform: 'slack', externalId: TEAM }))) as { practice: { note: string; link: string }[] };
    expect(exported.practice).toMatchObject([{ note: 'ran strace -c echo hi', link: 'https://example.com/notes' }]);

    // `/learn practice <text>` logs at once; without text it opens the modal.
    expect(textOf(await slash(ada, 'practice read the strace man page'))).toContain('Logged your experiment');
    const before = fake.opened.length;
    const bare = ada.slashCommand('practice');
    await fake.push('slash_commands', bare);
    const bareModal = await fake.until(() => fake.opened[before], 'the modal for /learn practice');
    await fake.push('interactive', ada.submit(bareModal, { note: 'compared python and echo' }));
    expect(textOf(await fake.until(() => fake.responsesTo(bare.response_url)[0], 'the confirmation'))).toContain('Logged your experiment');

    // App Home: the dashboard; its buttons update the Home view.
    let published = publishedCount(ada);
    await fake.push('events_api', ada.homeOpened());
    const home = await homeAfter(ada, published++);
    expect(home.type).toBe('home');
    expect(textOf(home)).toContain('your dashboard');
    expect(textOf(home)).toContain('🟩');
    expect(textOf(home)).toContain('Reviews due');
    await fake.push('interactive', ada.press(buttonLabelled(home, 'Take the quiz'), { kind: 'home' }));
    const updated = await homeAfter(ada, published++);
    expect(textOf(updated)).toContain('quiz done');
    expect(textOf(updated)).toContain('your dashboard');

    // A modal opened from Home answers on Home.
    const openedBefore = fake.opened.length;
    await fake.push('interactive', ada.press(buttonLabelled(updated, 'Log practice'), { kind: 'home' }));
    const homeModal = await fake.until(() => fake.opened[openedBefore], 'the modal opened from App Home');
    await fake.push('interactive', ada.submit(homeModal, { note: 'read about execve' }));
    expect(textOf(await homeAfter(ada, published++))).toContain('Logged your experiment');

    // The Messages tab needs no Home view: after it and another Home opening, one more publish.
    await fake.push('events_api', ada.homeOpened('messages'));
    await fake.push('events_api', ada.homeOpened());
    await homeAfter(ada, published);
    expect(publishedCount(ada)).toBe(published + 1);

    const streak = await slash(ada, 'streak why');
    expect(textOf(streak)).toContain('active: quiz finished or practice logged');

    // Export: everything about Ada as JSON; too big for a block, so it goes to her DM as a file.
    const exportReply = await slash(ada, 'export');
    const file = await fake.until(() => fake.uploads.find((u) => u.channel === ada.dm && u.name.endsWith('.json')), 'the export file');
    expect(JSON.parse(file.content)).toMatchObject({ exportedAt: expect.any(String) });
    expect(textOf(exportReply)).toMatch(/Sent backend-mentor-.*\.json to our direct messages/);
  });

  it('answers unknown verbs, bad arguments and /cohort ephemerally', async () => {
    const unknown = await slash(ada, 'frobnicate');
    expect(unknown.response_type).toBe('ephemeral');
    expect(textOf(unknown)).toContain("I don't know");
    const bad = await slash(bob, 'start Mars/Olympus 09:00');
    expect(bad.response_type).toBe('ephemeral');
    expect(textOf(bad)).toContain("isn't a timezone I know");
    const cohort = await slash(ada, 'help', { command: '/cohort' });
    expect(cohort).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Cohort tools') });
  });

  it("refuses a button from someone else's lesson, to the presser alone", async () => {
    // Cal's lesson, posted where Bob can see it (as a delivery to her channel would be).
    await slash(cal, 'start UTC 08:00');
    const community = { platform: 'slack' as const, externalId: TEAM };
    const todays = await dispatch(t.app, t.log, { community, user: { externalId: 'U0CAL', displayName: 'cal' }, request: { type: 'command', verb: 'today', args: {} } });
    await adapter.messenger.sendToChannel(TEAM, 'C0GENERAL', todays, 'test:cal-lesson');
    const lesson = fake.messagesIn('C0GENERAL').at(-1)!;
    const inChannel: PressedIn = { kind: 'message', channel: 'C0GENERAL', ts: lesson.ts };
    await slash(bob, 'start UTC 08:00');

    const refused = await press(bob, lesson, 'Take the quiz', inChannel);
    expect(refused).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(refused)).toContain("someone else's lesson");

    // Cal's own quiz question, replayed by Bob (a forged or forwarded payload): nothing is recorded.
    const quiz = await press(cal, lesson, 'Take the quiz', inChannel);
    const { deliveryId } = parseAction(buttonsOf(quiz)[0]!.value!) as { deliveryId: number };
    const answer = await press(bob, quiz, await choice(quiz, 'right'), inChannel);
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(answer)).toContain('nothing changed');
    expect(await t.app.stores.answers.forDelivery(deliveryId)).toHaveLength(0);
  });

  it('never lets user text or a display name ping anyone', async () => {
    // With should_escape, Slack sends @channel, @alice and @devs typed in a command like this.
    const reply = await slash(bob, 'today <!channel> <@U0ADA> <!subteam^S0DEVS|@devs> @here');
    expect(textOf(reply)).toContain('&lt;!channel&gt;');
    expect(pings(reply)).toEqual([]);
    expect(JSON.stringify(reply)).not.toMatch(/@here/);

    const welcome = await slash(eve, 'start');
    expect(textOf(welcome)).toContain('&lt;!here&gt; Eve');
    expect(pings(welcome)).toEqual([]);
    // The fake also refuses any payload that would ping (fake.problems, checked after each test).
  });
});

describe('the Slack messenger', () => {
  const lesson = { title: 'Lesson 1: Backend is relative', text: 'Read **this**, then try `strace`.', actions: [[{ action: { kind: 'quiz' as const, deliveryId: 1 }, label: 'Take the quiz' }]] };

  /** A retry of an attempt that may have posted. */
  const unsure = { since: new Date('2026-11-25T09:00:00Z'), now: new Date('2026-11-25T09:01:00Z') };

  it('posts a lesson to the DM with its key in metadata, reading no history; an unsure retry returns the same message', async () => {
    const to = { communityExternalId: TEAM, userExternalId: 'U0BOB', dmChannelId: null };
    const reads = fake.callsOf('conversations.history').length;
    const sent = await adapter.messenger.sendDirect(to, lesson, 'lesson:1:2026-11-25');
    expect(fake.callsOf('conversations.history')).toHaveLength(reads);
    expect(sent.channelId).toBe(bob.dm);
    const [message] = fake.messagesIn(bob.dm);
    expect(message).toMatchObject({ ts: sent.ref, metadata: { event_type: 'backend_mentor_message', event_payload: { key: 'lesson:1:2026-11-25' } } });
    expect(textOf(message!)).toMatch(/Read \u200b?\*this\*\u200b?, then try `strace`\./);
    expect(message!.text).toContain('Backend is relative');

    expect(await adapter.messenger.sendDirect({ ...to, dmChannelId: sent.channelId }, lesson, 'lesson:1:2026-11-25', unsure)).toEqual(sent);
    expect(fake.messagesIn(bob.dm)).toHaveLength(1);
    const history = fake.callsOf('conversations.history').at(-1)!;
    expect(history.args).toMatchObject({ channel: bob.dm, include_all_metadata: 'true' });
    expect(Number(history.args.limit)).toBeLessThanOrEqual(15);
  });

  it('does not double a post whose answer was lost, and waits out a 429', async () => {
    const to = { communityExternalId: TEAM, userExternalId: 'U0ADA', dmChannelId: null };
    const before = fake.messagesIn(ada.dm).length;
    fake.fail('chat.postMessage', { status: 500, afterEffect: true });
    const lost = await adapter.messenger.sendDirect(to, lesson, 'lesson:7:2026-11-26').catch((error: unknown) => error);
    // A 500 may have posted: not a NotPosted, so the caller retries unsure.
    expect(lost).toBeInstanceOf(Error);
    expect(lost).not.toBeInstanceOf(NotPosted);
    expect(fake.messagesIn(ada.dm)).toHaveLength(before + 1);
    const retried = await adapter.messenger.sendDirect(to, lesson, 'lesson:7:2026-11-26', unsure);
    expect(fake.messagesIn(ada.dm)).toHaveLength(before + 1);
    expect(retried.ref).toBe(fake.messagesIn(ada.dm).at(-1)!.ts);

    const posts = fake.callsOf('chat.postMessage').length;
    fake.fail('chat.postMessage', { status: 429, retryAfter: 0 });
    await adapter.messenger.sendDirect(to, lesson, 'lesson:8:2026-11-27');
    expect(fake.callsOf('chat.postMessage').length).toBe(posts + 2);
    expect(fake.messagesIn(ada.dm)).toHaveLength(before + 2);
  });

  it('opens the DM afresh when a remembered DM channel is gone', async () => {
    const sent = await adapter.messenger.sendDirect({ communityExternalId: TEAM, userExternalId: 'U0CAL', dmChannelId: 'D0GONE' }, lesson, 'lesson:stale:1');
    expect(sent.channelId).toBe(cal.dm);
    expect(fake.messagesIn(cal.dm).at(-1)!.ts).toBe(sent.ref);
  });

  it('reports people and channels it cannot reach as RecipientUnreachable', async () => {
    const nobody = adapter.messenger.sendDirect({ communityExternalId: TEAM, userExternalId: 'U0GONE', dmChannelId: null }, lesson, 'lesson:9:x');
    await expect(nobody).rejects.toEqual(new RecipientUnreachable('user_not_found'));
    fake.fail('chat.postMessage', { error: 'messages_tab_disabled' });
    await expect(adapter.messenger.sendDirect({ communityExternalId: TEAM, userExternalId: 'U0ADA', dmChannelId: ada.dm }, lesson, 'lesson:9:y')).rejects.toBeInstanceOf(RecipientUnreachable);
    fake.addChannel(TEAM, 'C0OUTSIDE', false);
    await expect(adapter.messenger.sendToChannel(TEAM, 'C0OUTSIDE', lesson, 'note:1')).rejects.toEqual(new RecipientUnreachable('not_in_channel'));
  });

  it('pings only the one person a channel notice is for', async () => {
    const notice = { text: 'Eve <!channel>, I could not DM you.', mentionUser: 'U0EVE' };
    await adapter.messenger.sendToChannel(TEAM, 'C0GENERAL', notice, 'unreachable:3');
    const posted = fake.messagesIn('C0GENERAL').at(-1)!;
    expect(pings(posted)).toEqual(['<@U0EVE>', '<@U0EVE>']);
    expect(textOf(posted)).toContain('&lt;!channel&gt;');
  });
});

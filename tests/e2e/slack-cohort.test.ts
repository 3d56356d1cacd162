// Cohorts in Slack: the real Bolt App (Socket Mode, OAuth installs in two workspaces) against a fake Slack on
// 127.0.0.1, with the real app and Postgres. A workspace admin sets the cohort channel with an escaped channel
// mention and posts a challenge; learners submit through the modal; the lead accepts or asks for changes (the
// learner hears by DM); stats and export arrive as files; a user group can lead; everyone else, and an admin of
// another workspace with a crafted button, changes nothing.
import type { Button as SlackButton, InputBlock } from '@slack/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAction } from '../../src/app/actions.js';
import { dispatch } from '../../src/app/dispatch.js';
import { createChartRenderer } from '../../src/charts/png.js';
import { installationStore } from '../../src/db/stores/installations.js';
import { BOT_SCOPES, createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TestClock, testApp } from '../support/app.js';
import { buttonLabelled, buttonsOf, SlackPerson, textOf, type PressedIn } from '../fakes/slack-payloads.js';
import { FakeSlack, type FakeMessage, type FakeWorkspace, type OpenedView } from '../fakes/slack-server.js';
import { expectCleanRun } from './slack-checks.js';

const TEAM = 'T0ACME';
const OTHER = 'T0OTHER';
const COHORT = 'C0COHORT';
const STATE_SECRET = 'state-secret-for-tests';
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let database: TestDatabase;
let fake: FakeSlack;
let adapter: SlackAdapter;
let t: Awaited<ReturnType<typeof testApp>>;
let lena: SlackPerson; // workspace admin
let ada: SlackPerson;
let bob: SlackPerson;
let gus: SlackPerson; // in the @leads user group
let nora: SlackPerson; // in the @devs user group only
let mal: SlackPerson; // admin of the other workspace

/** What Bolt's OAuth flow stores for a workspace (as slack-http.test.ts installs it through the browser flow). */
const installationOf = (w: FakeWorkspace) => ({
  team: { id: w.teamId, name: w.domain },
  enterprise: null,
  user: { id: [...w.users.keys()][0], token: null, scopes: null },
  bot: { token: w.botToken, scopes: [...BOT_SCOPES], id: w.botId, userId: w.botUserId },
  tokenType: 'bot',
  isEnterpriseInstall: false,
  appId: fake.appId,
  authVersion: 'v2',
});

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
  const acme = fake.addWorkspace(TEAM, 'acme', [
    { id: 'U0LENA', name: 'lena', displayName: 'Lena', isAdmin: true },
    { id: 'U0ADA', name: 'ada', displayName: 'Ada' },
    { id: 'U0BOB', name: 'bob' },
    { id: 'U0GUS', name: 'gus' },
    { id: 'U0NORA', name: 'nora' },
  ]);
  fake.addUserGroup(TEAM, { id: 'S0LEADS', handle: 'leads', users: ['U0GUS'] });
  fake.addUserGroup(TEAM, { id: 'S0DEVS', handle: 'devs', users: ['U0NORA', 'U0GUS'] });
  fake.addChannel(TEAM, COHORT);
  fake.addChannel(TEAM, 'C0OUTSIDE', false);
  const other = fake.addWorkspace(OTHER, 'other', [{ id: 'U0MAL', name: 'mal', isAdmin: true }]);
  const person = (w: FakeWorkspace, id: string) => new SlackPerson(fake, w, w.users.get(id)!);
  [lena, ada, bob, gus, nora] = ['U0LENA', 'U0ADA', 'U0BOB', 'U0GUS', 'U0NORA'].map((id) => person(acme, id)) as [SlackPerson, SlackPerson, SlackPerson, SlackPerson, SlackPerson];
  mal = person(other, 'U0MAL');

  const installations = installationStore(database.db);
  for (const w of [acme, other]) await installations.save('slack', w.teamId, installationOf(w));
  // Monday 4 May 2026, 10:00 in Berlin.
  t = await testApp(database, new TestClock(new Date('2026-05-04T08:00:00Z')));
  t.app.charts = createChartRenderer();
  adapter = createSlackAdapter({
    config: {
      transport: 'socket',
      appToken: fake.appToken,
      oauth: { clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret, stateSecret: STATE_SECRET },
      apiUrl: fake.apiUrl,
      port: 0,
    },
    handle: (inbound) => dispatch(t.app, t.log, inbound),
    installations,
    log: t.log,
    retryConfig: { retries: 0 },
  });
  // As main.ts does: commands post challenges and DM decisions through the platform's messenger.
  t.app.messengers = { slack: adapter.messenger };
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.stop();
  await database?.drop();
});

// A handler that threw, a payload Slack would refuse, or a ping fails the test that caused it.
afterEach(() => expectCleanRun(fake, t.log, [fake.oauth.clientSecret, STATE_SECRET]));

type Body = Record<string, unknown>;

/** `/cohort <text>`; resolves with the reply posted to the command's response_url. */
async function cohort(person: SlackPerson, text: string, channel?: string): Promise<Body> {
  const payload = person.slashCommand(text, { command: '/cohort', ...(channel ? { channel } : {}) });
  expect(await fake.push('slash_commands', payload)).toEqual({});
  return fake.until(() => fake.responsesTo(payload.response_url)[0], `the reply to /cohort ${text}`);
}

const inLeadDm = (person: SlackPerson): PressedIn => ({ kind: 'message', channel: person.dm, ephemeral: true });

/** Presses a button; resolves with the reply posted to that press's response_url. */
async function press(person: SlackPerson, button: SlackButton, where: PressedIn = inLeadDm(person)): Promise<Body> {
  const payload = person.press(button, where);
  await fake.push('interactive', payload);
  return fake.until(() => fake.responsesTo(payload.response_url)[0], `the reply to pressing ${button.text.text}`);
}

/** Presses a button that opens a form; resolves with the modal and the press (whose response_url gets the outcome). */
async function openForm(person: SlackPerson, button: SlackButton, where: PressedIn): Promise<{ modal: OpenedView; responseUrl: string }> {
  const before = fake.opened.length;
  const payload = person.press(button, where);
  await fake.push('interactive', payload);
  return { modal: await fake.until(() => fake.opened[before], `the form behind ${button.text.text}`), responseUrl: payload.response_url };
}

/** Submits a modal; resolves with the outcome posted where the modal was opened from. */
async function submitForm(person: SlackPerson, opened: { modal: OpenedView; responseUrl: string }, values: Record<string, string>): Promise<Body> {
  const answered = fake.responsesTo(opened.responseUrl).length;
  expect(await fake.push('interactive', person.submit(opened.modal, values))).toEqual({});
  return fake.until(() => fake.responsesTo(opened.responseUrl)[answered], `the outcome of ${String(opened.modal.view.callback_id)}`);
}

const inputs = (modal: OpenedView) => (modal.view.blocks as InputBlock[]).map((b) => ({ name: b.block_id, optional: b.optional, element: b.element as { initial_value?: string } }));

/** A button nobody was shown: a payload crafted by hand (the value is what the app reads). */
const crafted = (value: string, label = 'Accept'): SlackButton => ({ type: 'button', action_id: value, value, text: { type: 'plain_text', text: label } });

/** The challenge post in the cohort channel, by its number. */
function challengePost(id: number): FakeMessage {
  const post = fake.messagesIn(COHORT).find((m) => buttonsOf(m).some((b) => b.value === `v1:sub:${id}`));
  if (!post) throw new Error(`no post with a Submit button for challenge #${id}`);
  return post;
}

const community = async (teamId = TEAM) => t.app.stores.communities.ensure({ platform: 'slack', externalId: teamId });

async function submission(user: string, challengeId: number) {
  const { id } = await community();
  const learner = await t.app.stores.learners.find(id, user);
  return t.app.stores.submissions.mine(id, challengeId, learner!.id);
}

/** Resolves with the Home view once views.publish has been called more than `after` times for this person. */
async function homeAfter(person: SlackPerson, after: number): Promise<Body> {
  const published = () => fake.callsOf('views.publish').filter((c) => c.args.user_id === person.user.id && c.teamId === person.workspace.teamId);
  await fake.until(() => published().length > after, `App Home for ${person.user.name}`);
  return published().at(-1)!.args.view as Body;
}

const homesOf = (person: SlackPerson) => fake.callsOf('views.publish').filter((c) => c.args.user_id === person.user.id).length;

let challengeId = 0;
let tracingId = 0;

describe('cohorts in Slack', () => {
  it('lets a workspace admin set the channel with an escaped mention and post a template with a Submit button', async () => {
    // With should_escape, Slack sends "#cohort" typed in the command as <#C0COHORT|cohort>.
    const set = await cohort(lena, `channel <#${COHORT}|cohort>`);
    expect(set.response_type).toBe('ephemeral');
    expect(textOf(set)).toContain(`now go to #${COHORT}`);
    expect((await t.app.stores.communities.settings((await community()).id)).cohortChannelId).toBe(COHORT);
    expect(textOf(await cohort(lena, 'settings timezone Europe/Berlin'))).toContain('Europe/Berlin');

    const posted = await cohort(lena, 'challenge post cache-slow-endpoint');
    expect(posted.response_type).toBe('ephemeral');
    expect(textOf(posted)).toContain('Posted in the cohort channel');
    challengeId = Number(/#(\d+)/.exec(textOf(posted))![1]);
    const post = challengePost(challengeId);
    expect(textOf(post)).toContain(`Challenge #${challengeId}: Cache a slow endpoint`);
    expect(textOf(post)).toContain('Mon 11 May 2026, 23:59 (Europe/Berlin)');
    expect(parseAction(buttonLabelled(post, 'Submit').value!)).toEqual({ kind: 'submit', challengeId });
    // The post went out with the workspace's own token, keyed so a retry never doubles it.
    const sent = fake.callsOf('chat.postMessage').find((c) => c.args.channel === COHORT)!;
    expect(sent.teamId).toBe(TEAM);
    expect(sent.args.metadata).toMatchObject({ event_payload: { key: `challenge:${challengeId}:post` } });

    // Lead facts: the admin flag from users.info, the user groups from usergroups.list (once, then cached).
    expect(fake.callsOf('users.info').some((c) => c.args.user === 'U0LENA' && c.teamId === TEAM)).toBe(true);
    expect(fake.callsOf('usergroups.list')).toHaveLength(1);
    expect(fake.callsOf('usergroups.list')[0]).toMatchObject({ teamId: TEAM, args: { include_users: 'true' } });
  });

  it('refuses a channel the bot is not in, or cannot find, and keeps the one it has', async () => {
    const notIn = await cohort(lena, 'channel <#C0OUTSIDE|outside>');
    expect(notIn.response_type).toBe('ephemeral');
    expect(textOf(notIn)).toContain("I'm not in #C0OUTSIDE yet, so I couldn't post there. Invite me to it");
    expect(textOf(await cohort(lena, 'channel <#C0NOPE|nope>'))).toContain("I can't see #C0NOPE. If it is a private channel, invite me to it");
    expect((await t.app.stores.communities.settings((await community()).id)).cohortChannelId).toBe(COHORT);
  });

  it('takes a submission through the modal from the channel post, and the Accept from the review queue', async () => {
    const inChannel: PressedIn = { kind: 'message', channel: COHORT, ts: challengePost(challengeId).ts };
    const form = await openForm(ada, buttonLabelled(challengePost(challengeId), 'Submit'), inChannel);
    expect(form.modal.userId).toBe('U0ADA');
    expect(form.modal.view).toMatchObject({ type: 'modal', callback_id: `v1:form:sub:${challengeId}`, title: { text: 'Submit your work' }, submit: { text: 'Submit' } });
    expect(inputs(form.modal).map(({ name, optional }) => [name, optional])).toEqual([
      ['link', false],
      ['note', true],
    ]);
    const submitted = await submitForm(ada, form, { link: 'https://github.com/ada/cache', note: 'p99 from 900 ms to 40 ms' });
    expect(submitted).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(submitted)).toContain('Submitted to');
    expect(await submission('U0ADA', challengeId)).toMatchObject({ link: 'https://github.com/ada/cache', status: 'pending' });

    // Pressing Submit again opens the form filled in with the earlier answer.
    const again = await openForm(ada, buttonLabelled(challengePost(challengeId), 'Submit'), inChannel);
    expect(again.modal.view).toMatchObject({ title: { text: 'Edit your submission' } });
    expect(inputs(again.modal).map((i) => i.element.initial_value)).toEqual(['https://github.com/ada/cache', 'p99 from 900 ms to 40 ms']);

    const queue = await cohort(lena, 'review');
    expect(queue.response_type).toBe('ephemeral');
    expect(textOf(queue)).toContain('Review queue: 1 waiting');
    expect(textOf(queue)).toContain('https://github.com/ada/cache');
    const dmBefore = fake.messagesIn(ada.dm).length;
    const accepted = await press(lena, buttonLabelled(queue, 'Accept Ada'));
    // The queue message is replaced by its next state.
    expect(accepted.replace_original).toBe(true);
    expect(textOf(accepted)).toContain("Accepted Ada's");
    expect(textOf(accepted)).toContain('They have been told by DM.');
    expect(textOf(accepted)).toContain('Nothing waiting for review');
    const decision = await fake.until(() => fake.messagesIn(ada.dm)[dmBefore], "the decision in Ada's DM");
    expect(textOf(decision)).toContain('was accepted: +40 points');
    expect(buttonsOf(decision).map((b) => b.text.text)).toEqual(['Leaderboard']);
    expect((await submission('U0ADA', challengeId))?.status).toBe('accepted');
  });

  it('asks for changes through the feedback form; the learner is told by DM with a Submit again button', async () => {
    const inChannel: PressedIn = { kind: 'message', channel: COHORT, ts: challengePost(challengeId).ts };
    const form = await openForm(bob, buttonLabelled(challengePost(challengeId), 'Submit'), inChannel);
    await submitForm(bob, form, { link: 'https://github.com/bob/cache' });

    const queue = await cohort(lena, 'review');
    const changes = await openForm(lena, buttonLabelled(queue, 'Request changes (bob)'), inLeadDm(lena));
    const submissionId = (await submission('U0BOB', challengeId))!.id;
    expect(changes.modal.view).toMatchObject({ callback_id: `v1:form:chg:${submissionId}`, title: { text: 'Request changes' }, submit: { text: 'Send' } });
    const dmBefore = fake.messagesIn(bob.dm).length;
    const asked = await submitForm(lena, changes, { feedback: 'Add the raw hey output, please.' });
    expect(asked.response_type).toBe('ephemeral');
    expect(textOf(asked)).toContain('Asked bob for changes');
    const dm = await fake.until(() => fake.messagesIn(bob.dm)[dmBefore], "the feedback in Bob's DM");
    expect(textOf(dm)).toContain('Add the raw hey output, please.');
    expect(parseAction(buttonLabelled(dm, 'Submit again').value!)).toEqual({ kind: 'submit', challengeId });
    expect((await submission('U0BOB', challengeId))?.status).toBe('changes_requested');
  });

  it('posts a challenge written in the form, and offers a button when the form cannot open in time', async () => {
    // The trigger expired before views.open (slow work): the reply carries a button that opens the form.
    fake.fail('views.open', { error: 'expired_trigger_id' });
    const late = await cohort(lena, 'challenge new');
    expect(late.response_type).toBe('ephemeral');
    expect(textOf(late)).toContain('could not open in time');
    expect(t.log.entries.some((e) => e.level === 'warn' && e.msg === 'could not open the Slack modal')).toBe(true);

    const form = await openForm(lena, buttonLabelled(late, 'New challenge'), inLeadDm(lena));
    expect(form.modal.view).toMatchObject({ callback_id: 'v1:form:chal:0', title: { text: 'New challenge' }, submit: { text: 'Post' } });
    expect(inputs(form.modal).map((i) => i.name)).toEqual(['title', 'description', 'acceptance', 'deadline', 'points']);
    const posts = fake.messagesIn(COHORT).length;
    const done = await submitForm(lena, form, {
      title: 'Trace a request',
      description: 'Propagate a request id through every log line of one request.',
      acceptance: '- one id per request\n- visible in every log line',
      deadline: '2026-05-15 18:00',
      points: '30',
    });
    expect(textOf(done)).toContain('Posted in the cohort channel');
    expect(textOf(done)).toContain('Fri 15 May 2026, 18:00 (Europe/Berlin)');
    tracingId = Number(/#(\d+)/.exec(textOf(done))![1]);
    const post = await fake.until(() => fake.messagesIn(COHORT)[posts], 'the new challenge post');
    expect(textOf(post)).toContain('Trace a request');
    expect(textOf(post)).toContain('visible in every log line');
    expect(buttonsOf(post).map((b) => b.text.text)).toEqual(['Submit']);
  });

  it('takes cohort buttons pressed in a DM and on App Home', async () => {
    // Bob's DM: the request for changes, whose Submit again opens the form filled in with his link.
    const asked = fake.messagesIn(bob.dm).find((m) => buttonsOf(m).some((b) => b.text.text === 'Submit again'))!;
    const again = await openForm(bob, buttonLabelled(asked, 'Submit again'), { kind: 'message', channel: bob.dm, ts: asked.ts });
    expect(again.modal.view).toMatchObject({ callback_id: `v1:form:sub:${challengeId}`, title: { text: 'Edit your submission' } });
    expect(inputs(again.modal)[0]!.element.initial_value).toBe('https://github.com/bob/cache');
    const resubmitted = await submitForm(bob, again, { link: 'https://github.com/bob/cache-v2', note: 'with the raw hey output' });
    expect(textOf(resubmitted)).toContain('Updated your submission');
    expect(await submission('U0BOB', challengeId)).toMatchObject({ status: 'pending', link: 'https://github.com/bob/cache-v2' });

    // App Home: the challenges listed there (the result of My challenges) open the form, which answers on Home.
    let published = homesOf(ada);
    await fake.push('events_api', ada.homeOpened());
    await homeAfter(ada, published++);
    await fake.push('interactive', ada.press(crafted('v1:run:challenges', 'My challenges'), { kind: 'home' }));
    const listed = await homeAfter(ada, published++);
    expect(textOf(listed)).toContain(`#${tracingId} Trace a request`);
    expect(buttonsOf(listed).map((b) => b.text.text)).toContain(`Submit #${tracingId}`);
    const before = fake.opened.length;
    await fake.push('interactive', ada.press(buttonLabelled(listed, `Submit #${tracingId}`), { kind: 'home' }));
    const modal = await fake.until(() => fake.opened[before], 'the form opened from App Home');
    expect(modal.view).toMatchObject({ callback_id: `v1:form:sub:${tracingId}` });
    await fake.push('interactive', ada.submit(modal, { link: 'https://github.com/ada/tracing' }));
    const outcome = await homeAfter(ada, published);
    expect(textOf(outcome)).toContain('Submitted to');
    expect(textOf(outcome)).toContain('Trace a request');
    expect(await submission('U0ADA', tracingId)).toMatchObject({ status: 'pending', link: 'https://github.com/ada/tracing' });
  });

  it('uploads the stats chart as a PNG with its alt text to the lead, since an ephemeral reply cannot carry it', async () => {
    const uploads = fake.uploads.length;
    const stats = await cohort(lena, 'stats');
    expect(stats.response_type).toBe('ephemeral');
    expect(textOf(stats)).toContain('Participation');
    expect(textOf(stats)).toContain('Sent cohort-stats.png to our direct messages.');
    const [png, ...others] = fake.uploads.slice(uploads);
    expect(others).toEqual([]);
    expect(png).toMatchObject({ name: 'cohort-stats.png', channel: lena.dm, teamId: TEAM, altText: expect.stringMatching(/^Bar charts\. Quiz accuracy per lesson/) });
    expect([...png!.data.subarray(0, 8)]).toEqual(PNG_MAGIC);
    expect(fake.messagesIn(lena.dm).at(-1)).toMatchObject({ files: [png!.fileId] });

    // Without files:write (an install that predates the scope), the numbers still come, and the reply says so.
    fake.fail('files.getUploadURLExternal', { error: 'missing_scope' });
    const without = await cohort(lena, 'stats');
    expect(textOf(without)).toContain('Participation');
    expect(textOf(without)).toContain('I could not send cohort-stats.png to our direct messages');
    expect(t.log.entries.some((e) => e.level === 'warn' && e.msg === 'could not upload files to Slack')).toBe(true);
  });

  it('uploads the export as three CSV files in one message to the lead', async () => {
    const uploads = fake.uploads.length;
    const exported = await cohort(lena, 'export');
    expect(exported.response_type).toBe('ephemeral');
    expect(textOf(exported)).toContain('Cohort export: 2 learners');
    expect(textOf(exported)).toMatch(/Sent cohort-learners-2026-05-04\.csv, cohort-answers-2026-05-04\.csv, cohort-submissions-2026-05-04\.csv to our direct messages/);
    const files = fake.uploads.slice(uploads);
    expect(files.map((f) => [f.name, f.channel])).toEqual([
      ['cohort-learners-2026-05-04.csv', lena.dm],
      ['cohort-answers-2026-05-04.csv', lena.dm],
      ['cohort-submissions-2026-05-04.csv', lena.dm],
    ]);
    expect(fake.messagesIn(lena.dm).at(-1)?.files).toEqual(files.map((f) => f.fileId));
    const [header] = files[0]!.content.split('\r\n');
    expect(header).toBe(
      'learner_id,name,timezone,status,joined_at,lessons_delivered,quizzes_finished,answers,correct,accuracy_pct,practice_logs,streak_current,streak_longest,last_active_day,challenge_points',
    );
    const submissions = files[2]!.content;
    expect(submissions.split('\r\n')[0]).toMatch(/^challenge,challenge_title,learner_id,name,link,note,status/);
    expect(submissions).toContain('https://github.com/ada/cache');
    expect(submissions).toContain('https://github.com/bob/cache-v2');
    expect(submissions).toContain('accepted');
  });

  it('makes the members of a user group leads after /cohort leads add @group', async () => {
    const refused = await cohort(gus, 'review');
    expect(refused.response_type).toBe('ephemeral');
    expect(textOf(refused)).toContain('Only cohort leads can do that');

    const added = await cohort(lena, 'leads add <!subteam^S0LEADS|@leads>');
    expect(textOf(added)).toContain('Added role S0LEADS');
    const queue = await cohort(gus, 'review');
    expect(textOf(queue)).not.toContain('Only cohort leads');
    expect(textOf(queue)).toMatch(/Nothing waiting for review|Review queue/);
    expect(textOf(await cohort(gus, 'leads list'))).toContain('role S0LEADS');
    // Within the minute, the groups were read once for the whole workspace.
    expect(fake.callsOf('usergroups.list')).toHaveLength(1);
  });

  it('refuses everyone else, ephemerally, for commands and crafted buttons alike', async () => {
    const posts = fake.messagesIn(COHORT).length;
    const refused = await cohort(nora, 'challenge post cache-slow-endpoint', COHORT);
    expect(refused).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(refused)).toContain('Only cohort leads can do that');
    expect(fake.messagesIn(COHORT)).toHaveLength(posts);

    // Bob's submission waits for review; Nora accepting it by a crafted payload changes nothing.
    const { id } = (await submission('U0BOB', challengeId))!;
    const dmBefore = fake.messagesIn(bob.dm).length;
    const pressed = await press(nora, crafted(`v1:acc:${id}`), { kind: 'message', channel: COHORT, ts: challengePost(challengeId).ts });
    expect(pressed).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(pressed)).toContain('Only cohort leads can do that');
    expect((await submission('U0BOB', challengeId))?.status).toBe('pending');
    expect(textOf(await press(nora, crafted('v1:co:stats', 'Stats')))).toContain('Only cohort leads can do that');
    expect(fake.messagesIn(bob.dm)).toHaveLength(dmBefore);
  });

  it("changes nothing for another workspace's admin pressing a crafted Accept", async () => {
    const { id } = (await submission('U0BOB', challengeId))!;
    const dmBefore = fake.messagesIn(bob.dm).length;
    const pressed = await press(mal, crafted(`v1:acc:${id}`));
    expect(pressed.response_type).toBe('ephemeral');
    expect(textOf(pressed)).toContain("That submission isn't in this community's review queue.");
    // Mal is an admin, of their own workspace: the profile was read with that workspace's token.
    expect(fake.callsOf('users.info').filter((c) => c.args.user === 'U0MAL').map((c) => c.teamId)).toEqual([OTHER]);
    expect((await submission('U0BOB', challengeId))?.status).toBe('pending');
    expect(fake.messagesIn(bob.dm)).toHaveLength(dmBefore);
    const [reviews] = await database.sql`select count(*)::int as n from reviews where submission_id = ${id}`;
    expect(reviews).toEqual({ n: 1 });
  });

  it('posts pictures and files after a channel message sent by the messenger', async () => {
    const uploads = fake.uploads.length;
    const reply = {
      text: 'This week in numbers.',
      images: [{ name: 'week.png', data: new Uint8Array([...PNG_MAGIC, 1, 2, 3]), alt: 'Bar chart: 3 learners active' }],
      files: [{ name: 'week.csv', content: 'learner,active\r\nada,true\r\n' }],
    };
    const sent = await adapter.messenger.sendToChannel(TEAM, COHORT, reply, 'test:week');
    const [message, attached] = fake.messagesIn(COHORT).slice(-2);
    expect(message).toMatchObject({ ts: sent.ref });
    expect(textOf(message!)).toContain('This week in numbers.');
    const files = fake.uploads.slice(uploads);
    expect(files.map((f) => [f.name, f.channel, f.altText])).toEqual([
      ['week.png', COHORT, 'Bar chart: 3 learners active'],
      ['week.csv', COHORT, undefined],
    ]);
    expect([...files[0]!.data]).toEqual([...PNG_MAGIC, 1, 2, 3]);
    expect(attached?.files).toEqual(files.map((f) => f.fileId));
    // A retried send finds the message and posts nothing twice.
    expect(await adapter.messenger.sendToChannel(TEAM, COHORT, reply, 'test:week')).toEqual(sent);
    expect(fake.uploads).toHaveLength(uploads + 2);

    // The message is the delivery: files that cannot follow it are logged, and the send still succeeds.
    fake.fail('files.completeUploadExternal', { error: 'not_in_channel' });
    const alone = await adapter.messenger.sendToChannel(TEAM, COHORT, reply, 'test:week-2');
    expect(fake.messagesIn(COHORT).at(-1)).toMatchObject({ ts: alone.ref });
    expect(t.log.entries.some((e) => e.level === 'warn' && e.msg === 'posted a Slack message but could not upload its files')).toBe(true);
  });
});

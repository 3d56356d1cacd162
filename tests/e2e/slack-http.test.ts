// The real Bolt App in HTTP mode: Slack's request signatures verified (forged, stale and tampered
// requests get 401 and do nothing), and multi-workspace OAuth installs through Bolt's /slack/install and
// /slack/oauth_redirect, stored in Postgres, each workspace kept in its own community.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/app/dispatch.js';
import { installationStore } from '../../src/db/stores/installations.js';
import { createSlackAdapter, type SlackAdapter, type SlackConfig } from '../../src/platforms/slack/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TestClock, testApp } from '../support/app.js';
import { buttonLabelled, SlackPerson, slackSignature, textOf } from '../fakes/slack-payloads.js';
import { FakeSlack } from '../fakes/slack-server.js';
import { expectCleanRun } from './slack-checks.js';

const SECRET = 'signing-secret-for-tests';
const STATE_SECRET = 'state-secret-for-tests';

let database: TestDatabase;
let fake: FakeSlack;
let t: Awaited<ReturnType<typeof testApp>>;
let single: SlackAdapter;
let multi: SlackAdapter;
let ada: SlackPerson;

function adapter(config: Omit<SlackConfig, 'transport' | 'signingSecret' | 'apiUrl' | 'port'>): SlackAdapter {
  return createSlackAdapter({
    config: { transport: 'http', signingSecret: SECRET, apiUrl: fake.apiUrl, port: 0, ...config },
    handle: (inbound) => dispatch(t.app, t.log, inbound),
    installations: installationStore(database.db),
    log: t.log,
    retryConfig: { retries: 0 },
    host: '127.0.0.1',
  });
}

const baseUrl = (a: SlackAdapter) => `http://127.0.0.1:${a.address()!.port}`;

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
  t = await testApp(database, new TestClock(new Date('2026-11-25T09:00:00Z')));
  const one = fake.addWorkspace('T0ONE', 'one', [{ id: 'U0ADA', name: 'ada' }]);
  ada = new SlackPerson(fake, one, one.users.get('U0ADA')!);
  single = adapter({ botToken: one.botToken });
  multi = adapter({ oauth: { clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret, stateSecret: STATE_SECRET } });
  await Promise.all([single.start(), multi.start()]);
});

afterAll(async () => {
  await Promise.all([single?.stop(), multi?.stop()]);
  await fake?.stop();
  await database?.drop();
});

afterEach(() => expectCleanRun(fake, t.log, [SECRET]));

interface Signing {
  secret?: string;
  /** Seconds since the epoch the request claims to be from. */
  timestamp?: number;
  /** Changes the body after signing it. */
  tamper?: (body: string) => string;
}

/** POSTs to /slack/events as Slack does: the body signed with v0 HMAC-SHA256 over `v0:timestamp:body`. */
function signedPost(target: SlackAdapter, body: string, contentType: string, signing: Signing = {}): Promise<Response> {
  const timestamp = signing.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = slackSignature(signing.secret ?? SECRET, timestamp, body);
  return fetch(`${baseUrl(target)}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
    body: signing.tamper ? signing.tamper(body) : body,
  });
}

/** Re-checks every 10 ms, for at most `timeoutMs`: for effects the fake cannot see (database, logs). */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const form = (payload: object) => new URLSearchParams(payload as Record<string, string>).toString();
const FORM = 'application/x-www-form-urlencoded';

async function slash(target: SlackAdapter, person: SlackPerson, text: string) {
  const payload = person.slashCommand(text);
  const response = await signedPost(target, form(payload), FORM);
  expect(response.status).toBe(200);
  return fake.until(() => fake.responsesTo(payload.response_url)[0], `the reply to /learn ${text}`);
}

describe('Slack in HTTP mode', () => {
  it('accepts correctly signed slash commands and button presses', async () => {
    const start = await slash(single, ada, 'start Europe/Berlin 09:00');
    expect(textOf(start)).toContain('Lesson 1 of');

    const press = ada.press(buttonLabelled(start, 'Take the quiz'), { kind: 'message', channel: ada.dm, ephemeral: true });
    const response = await signedPost(single, form({ payload: JSON.stringify(press) }), FORM);
    expect(response.status).toBe(200);
    const question = await fake.until(() => fake.responsesTo(press.response_url)[0], 'the first question');
    expect(textOf(question)).toContain('question 1 of');
  });

  it('rejects forged, stale, tampered and unsigned requests with 401, doing nothing', async () => {
    const calls = fake.calls.length;
    const forged = ada.slashCommand('start UTC 07:00');
    const stale = ada.slashCommand('start UTC 07:00');
    const tampered = ada.slashCommand('today');
    const unsigned = ada.slashCommand('start UTC 07:00');
    const results = await Promise.all([
      signedPost(single, form(forged), FORM, { secret: 'not-the-signing-secret' }),
      signedPost(single, form(stale), FORM, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 }),
      signedPost(single, form(tampered), FORM, { tamper: (body) => body.replace('text=today', 'text=forget') }),
      fetch(`${baseUrl(single)}/slack/events`, { method: 'POST', headers: { 'content-type': FORM }, body: form(unsigned) }),
    ]);
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401]);

    // Proof that nothing ran: a signed request after them is answered, and theirs never were.
    await slash(single, ada, 'streak');
    for (const payload of [forged, stale, tampered, unsigned]) expect(fake.responsesTo(payload.response_url)).toEqual([]);
    expect(fake.calls.slice(calls).filter((c) => c.method !== 'users.info')).toEqual([]);
    const learner = await t.app.stores.learners.find((await t.app.stores.communities.ensure({ platform: 'slack', externalId: 'T0ONE' })).id, 'U0ADA');
    expect(learner?.timezone).toBe('Europe/Berlin');
    expect(t.log.entries.filter((e) => e.level === 'warn' && /verify/i.test(String(e.msg))).length).toBeGreaterThanOrEqual(4);
  });
});

/** A browser going through "Add to Slack": Bolt's install page, Slack's consent page, the redirect back. */
async function install(teamId: string, domain: string): Promise<Response> {
  fake.oauth.redirectUrl = `${baseUrl(multi)}/slack/oauth_redirect`;
  fake.oauth.next = { teamId, domain };
  const page = await fetch(`${baseUrl(multi)}/slack/install`);
  expect(page.status).toBe(200);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const href = /<a href="([^"]+)"/.exec(await page.text())![1]!.replaceAll('&amp;', '&');
  expect(href).toMatch(new RegExp(`^${fake.origin}/oauth/v2/authorize\\?`));
  expect(new URL(href).searchParams.get('scope')).toContain('chat:write');

  const consent = await fetch(href, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  return fetch(consent.headers.get('location')!, { headers: { cookie } });
}

describe('Slack OAuth installs', () => {
  it('installs into two workspaces, stores each installation and keeps their data apart', async () => {
    const two = fake.addWorkspace('T0TWO', 'two', [{ id: 'U0SAM', name: 'sam' }]);
    const six = fake.addWorkspace('T0SIX', 'six', [{ id: 'U0SAM', name: 'sam' }]);

    for (const [teamId, domain] of [['T0TWO', 'two'], ['T0SIX', 'six']] as const) {
      const done = await install(teamId, domain);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Thank you!');
    }
    const stored = await installationStore(database.db).fetch('slack', 'T0TWO');
    expect(stored).toMatchObject({ team: { id: 'T0TWO' }, bot: { token: two.botToken, userId: two.botUserId, id: two.botId } });
    expect((stored as { bot: { scopes: string[] } }).bot.scopes).toContain('im:history');
    expect(fake.callsOf('oauth.v2.access')).toHaveLength(2);

    // The same user id in two workspaces is two learners in two communities.
    const samInTwo = new SlackPerson(fake, two, two.users.get('U0SAM')!);
    const samInSix = new SlackPerson(fake, six, six.users.get('U0SAM')!);
    const started = await slash(multi, samInTwo, 'start Asia/Tokyo 07:30');
    expect(textOf(started)).toContain('Lesson 1 of');
    expect(textOf(await slash(multi, samInSix, 'today'))).toContain("haven't started");
    expect(fake.callsOf('users.info').filter((c) => c.args.user === 'U0SAM').map((c) => c.teamId)).toEqual(['T0TWO', 'T0SIX']);

    // A lesson for the T0SIX learner goes out with T0SIX's token, into T0SIX.
    await slash(multi, samInSix, 'start UTC 08:00');
    const sent = await multi.messenger.sendDirect({ communityExternalId: 'T0SIX', userExternalId: 'U0SAM', dmChannelId: null }, { text: 'Hello' }, 'test:six');
    expect(sent.channelId).toBe(samInSix.dm);
    expect(fake.callsOf('chat.postMessage').at(-1)!.teamId).toBe('T0SIX');
  });

  it('ignores events from a workspace without an installation and forgets one that uninstalls', async () => {
    const nine = fake.addWorkspace('T0NINE', 'nine', [{ id: 'U0NED', name: 'ned' }]);
    const ned = new SlackPerson(fake, nine, nine.users.get('U0NED')!);
    const payload = ned.slashCommand('start');
    expect((await signedPost(multi, form(payload), FORM)).status).toBe(200);
    await eventually(async () => t.log.entries.some((e) => e.level === 'warn' && /not processed/.test(String(e.msg))), 'the refusal to be logged');
    expect(fake.responsesTo(payload.response_url)).toEqual([]);
    await expect(multi.messenger.sendDirect({ communityExternalId: 'T0NINE', userExternalId: 'U0NED', dmChannelId: null }, { text: 'x' }, 'k')).rejects.toThrow(/not installed/);

    const two = fake.workspaces.get('T0TWO')!;
    const uninstalled = {
      ...ned.homeOpened(),
      team_id: 'T0TWO',
      event: { type: 'app_uninstalled', event_ts: '1700000000.000300' },
      authorizations: [{ enterprise_id: null, team_id: 'T0TWO', user_id: two.botUserId, is_bot: true }],
    };
    expect((await signedPost(multi, JSON.stringify(uninstalled), 'application/json')).status).toBe(200);
    const store = installationStore(database.db);
    await eventually(async () => (await store.fetch('slack', 'T0TWO')) === null, 'the T0TWO installation to be removed');
    expect(await store.fetch('slack', 'T0SIX')).not.toBeNull();
  });
});

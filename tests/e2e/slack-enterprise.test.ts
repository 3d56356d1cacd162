// Enterprise Grid org-wide installs with the real Bolt App (HTTP mode) against the fake Slack, with the real
// app and Postgres: the install is stored once under the enterprise (sealed), yet every workspace it serves
// gets its bot token, both when Bolt authorizes a request and when a worker (a process that never sees a
// request) sends a lesson; workspaces granted or revoked later follow; uninstalling removes it.
import { randomBytes } from 'node:crypto';
import type { EnvelopedEvent, Installation } from '@slack/bolt';
import type { AppUninstalledEvent, TeamAccessGrantedEvent, TeamAccessRevokedEvent, TokensRevokedEvent } from '@slack/types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/app/dispatch.js';
import type { JobContext } from '../../src/app/jobs/context.js';
import { deliverLesson } from '../../src/app/jobs/deliver-lesson.js';
import { tick } from '../../src/app/jobs/tick.js';
import { installationStore } from '../../src/db/stores/installations.js';
import { nudgeStore } from '../../src/db/stores/nudges.js';
import { schedulerStore } from '../../src/db/stores/scheduler.js';
import { BOT_SCOPES, createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TestClock, testApp } from '../support/app.js';
import { SlackPerson, slackSignature, textOf } from '../fakes/slack-payloads.js';
import type { FakeEnterprise } from '../fakes/slack-grid.js';
import { FakeSlack, type FakeWorkspace } from '../fakes/slack-server.js';
import { expectCleanRun } from './slack-checks.js';

const SECRET = 'signing-secret-for-tests';
const STATE_SECRET = 'state-secret-for-tests';
const key = randomBytes(32);

let database: TestDatabase;
let fake: FakeSlack;
let t: Awaited<ReturnType<typeof testApp>>;
let installations: ReturnType<typeof installationStore>;
/** The process that receives Slack's requests. */
let bot: SlackAdapter;
/** A ROLE=worker process: the same configuration, never started, sending through its messenger. */
let worker: SlackAdapter;
let north: FakeWorkspace;
let south: FakeWorkspace;
let east: FakeWorkspace;
let grid: FakeEnterprise;
let legacy: FakeEnterprise;

const adapter = () =>
  createSlackAdapter({
    config: { transport: 'http', signingSecret: SECRET, apiUrl: fake.apiUrl, port: 0, oauth: { clientId: fake.oauth.clientId, clientSecret: fake.oauth.clientSecret, stateSecret: STATE_SECRET } },
    handle: (inbound) => dispatch(t.app, t.log, inbound),
    installations,
    log: t.log,
    retryConfig: { retries: 0 },
    host: '127.0.0.1',
  });

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
  // Monday 2 March 2026, 08:00 UTC.
  t = await testApp(database, new TestClock(new Date('2026-03-02T08:00:00Z')));
  installations = installationStore(database.db, { key });
  north = fake.addWorkspace('T0NORTH', 'north', [{ id: 'W0ADA', name: 'ada' }]);
  south = fake.addWorkspace('T0SOUTH', 'south', [{ id: 'W0SAM', name: 'sam' }]);
  east = fake.addWorkspace('T0EAST', 'east', [{ id: 'W0EVA', name: 'eva' }]);
  grid = fake.grid.add('E0GRID', 'Grid Org', [north, south]);
  legacy = fake.grid.add('E0OLD', 'Old Org', [east]);
  bot = adapter();
  worker = adapter();
  await bot.start();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.stop();
  await database?.drop();
});

afterEach(() => expectCleanRun(fake, t.log, [fake.oauth.clientSecret, STATE_SECRET]));

const baseUrl = () => `http://127.0.0.1:${bot.address()!.port}`;

function signedPost(body: string, contentType: string): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl()}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SECRET, timestamp, body) },
    body,
  });
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let eventSeq = 0;
/** An event for an org-wide app as Slack sends it (and Bolt's own tests do): the enterprise, no workspace. */
const orgEvent = <E>(enterpriseId: string, event: E): Omit<EnvelopedEvent<E>, 'team_id'> => ({
  token: 'deprecated-verification-token',
  enterprise_id: enterpriseId,
  api_app_id: fake.appId,
  event,
  type: 'event_callback',
  event_id: `EvORG${++eventSeq}`,
  event_time: Math.floor(Date.now() / 1000),
});
const postEvent = async (payload: object) => expect((await signedPost(JSON.stringify(payload), 'application/json')).status).toBe(200);

/** A worker's send to a person of a workspace, as deliver-lesson and nudges do it. */
const sendFromWorker = (teamId: string, userId: string, key: string) =>
  worker.messenger.sendDirect({ communityExternalId: teamId, userExternalId: userId, dmChannelId: null }, { text: 'Hello from a worker' }, key);
const lastPost = () => fake.callsOf('chat.postMessage').at(-1)!;

describe('Slack Enterprise Grid org-wide installs', () => {
  it('stores an "Add to Slack" org install under its enterprise, sealed, and a worker sends with it in each workspace it was granted', async () => {
    fake.oauth.redirectUrl = `${baseUrl()}/slack/oauth_redirect`;
    fake.oauth.next = { enterpriseId: grid.enterpriseId };
    const page = await fetch(`${baseUrl()}/slack/install`);
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const href = /<a href="([^"]+)"/.exec(await page.text())![1]!.replaceAll('&amp;', '&');
    const consent = await fetch(href, { redirect: 'manual' });
    const done = await fetch(consent.headers.get('location')!, { headers: { cookie } });
    expect(await done.text()).toContain('Thank you!');

    const stored = await installations.fetch('slack', grid.enterpriseId);
    expect(stored).toMatchObject({ isEnterpriseInstall: true, enterprise: { id: grid.enterpriseId }, bot: { token: grid.botToken, userId: grid.botUserId } });
    expect(stored!.team).toBeUndefined();
    const rows = await database.sql<{ data: string }[]>`select data::text as data from installations`;
    for (const row of rows) expect(row.data).not.toContain(grid.botToken);

    // Neither workspace has sent a request yet: workers find them all the same.
    for (const [workspace, userId] of [[north, 'W0ADA'], [south, 'W0SAM']] as const) {
      const sent = await sendFromWorker(workspace.teamId, userId, `hello:${workspace.teamId}`);
      expect(sent.channelId).toBe(fake.dmOf(workspace.teamId, userId));
      expect(lastPost()).toMatchObject({ token: grid.botToken, teamId: workspace.teamId });
    }
  });

  it('authorizes a request from a workspace of an org install stored before its workspaces were known, and a worker then delivers its lessons', async () => {
    // What Bolt's OAuth flow hands storeInstallation for an org-wide install (the fake's answer, typed).
    const installation: Installation<'v2', true> = {
      team: undefined,
      enterprise: { id: legacy.enterpriseId, name: legacy.name },
      user: { id: 'W0EVA', token: undefined, scopes: undefined },
      bot: { token: legacy.botToken, scopes: [...BOT_SCOPES], id: legacy.botId, userId: legacy.botUserId },
      tokenType: 'bot',
      isEnterpriseInstall: true,
      appId: fake.appId,
      enterpriseUrl: 'https://e0old.enterprise.slack.com/',
      authVersion: 'v2',
    };
    await installations.save('slack', legacy.enterpriseId, JSON.parse(JSON.stringify(installation)) as Record<string, unknown>);

    const eva = new SlackPerson(fake, east, east.users.get('W0EVA')!);
    const command = eva.slashCommand('start UTC 09:00');
    expect(command).toMatchObject({ team_id: east.teamId, enterprise_id: legacy.enterpriseId, is_enterprise_install: 'true' });
    expect((await signedPost(new URLSearchParams(command as unknown as Record<string, string>).toString(), 'application/x-www-form-urlencoded')).status).toBe(200);
    const reply = await fake.until(() => fake.responsesTo(command.response_url)[0], 'the reply to /learn start');
    expect(textOf(reply)).toContain('Lesson 1 of');

    // The next morning a worker's tick delivers lesson 2 with the org token, into eva's DM in T0EAST.
    const outcomes: unknown[] = [];
    const jobs = {
      enqueueLessons: async (items: Parameters<typeof deliverLesson>[1][]) => {
        for (const job of items) outcomes.push(await deliverLesson(ctx, job).catch((error: unknown) => error));
      },
      enqueueNudges: async () => {},
      enqueueCohort: async () => {},
    };
    const ctx: JobContext = { app: t.app, scheduler: schedulerStore(database.db), nudges: nudgeStore(database.db), jobs, messengers: { slack: worker.messenger }, log: t.log };
    t.clock.set('2026-03-03T09:00:30Z');
    await tick(ctx);
    expect(outcomes).toEqual(['sent']);
    expect(lastPost()).toMatchObject({ token: legacy.botToken, teamId: east.teamId, args: { channel: fake.dmOf(east.teamId, 'W0EVA') } });
    expect(textOf(fake.messagesIn(fake.dmOf(east.teamId, 'W0EVA')).at(-1)!)).toContain('Lesson 2 of');
  });

  it('follows team_access_granted and team_access_revoked: the org install serves the workspaces it is given', async () => {
    const west = fake.addWorkspace('T0WEST', 'west', [{ id: 'W0WES', name: 'wes' }]);
    fake.grid.grant(grid, west);
    const granted: TeamAccessGrantedEvent = { type: 'team_access_granted', team_ids: [west.teamId], event_ts: '1700000000.000400' };
    await postEvent(orgEvent(grid.enterpriseId, granted));
    await eventually(async () => (await sendFromWorker(west.teamId, 'W0WES', 'hello:west').catch(() => null)) !== null, 'T0WEST to be served');
    expect(lastPost()).toMatchObject({ token: grid.botToken, teamId: west.teamId });

    const revoked: TeamAccessRevokedEvent = { type: 'team_access_revoked', team_ids: [west.teamId], event_ts: '1700000000.000500' };
    await postEvent(orgEvent(grid.enterpriseId, revoked));
    await eventually(async () => (await sendFromWorker(west.teamId, 'W0WES', 'hello:west:2').catch(() => null)) === null, 'T0WEST to be dropped');
    await expect(sendFromWorker(west.teamId, 'W0WES', 'hello:west:3')).rejects.toThrow(/not installed/);
    // The org's other workspaces are unaffected.
    await sendFromWorker(north.teamId, 'W0ADA', 'hello:north:2');
  });

  it('app_uninstalled of an org install (an org-level event, naming no workspace) removes the org installation', async () => {
    const uninstalled: AppUninstalledEvent = { type: 'app_uninstalled' };
    await postEvent(orgEvent(legacy.enterpriseId, uninstalled));
    await eventually(async () => (await installations.fetch('slack', legacy.enterpriseId)) === null, 'the E0OLD installation to be removed');
    await expect(sendFromWorker(east.teamId, 'W0EVA', 'after:uninstall')).rejects.toThrow(/not installed/);
    expect(await installations.fetch('slack', grid.enterpriseId)).not.toBeNull();
  });

  it('tokens_revoked of an org install, sent from one of its workspaces, removes the org installation', async () => {
    // Authorized for the org (is_enterprise_install), not for the workspace it names.
    const tokens: TokensRevokedEvent = { type: 'tokens_revoked', tokens: { bot: [grid.botUserId] } };
    await postEvent({
      ...orgEvent(grid.enterpriseId, tokens),
      team_id: north.teamId,
      authorizations: [{ enterprise_id: grid.enterpriseId, team_id: null, user_id: grid.botUserId, is_bot: true, is_enterprise_install: true }],
    });
    await eventually(async () => (await installations.fetch('slack', grid.enterpriseId)) === null, 'the E0GRID installation to be removed');
    await expect(sendFromWorker(south.teamId, 'W0SAM', 'after:revoke')).rejects.toThrow(/not installed/);
  });
});

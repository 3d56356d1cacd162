// The real Bolt App in HTTP mode against what a sender holding a signature can send: bodies of any JSON
// shape get a quick 2xx or 4xx and the server keeps serving; timestamps more than 5 minutes from the
// adapter's clock, either way, get 401; a replayed request, or Slack's retry of an event already taken
// in, answers 200 and does its work once.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/app/dispatch.js';
import { installationStore } from '../../src/db/stores/installations.js';
import { createSlackAdapter, type SlackAdapter } from '../../src/platforms/slack/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TestClock, testApp } from '../support/app.js';
import { SlackPerson, slackSignature } from '../fakes/slack-payloads.js';
import { FakeSlack } from '../fakes/slack-server.js';
import { expectCleanRun } from './slack-checks.js';

const SECRET = 'signing-secret-for-hardening-tests';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** Well under Bolt's 3 s wait for an ack that never comes: a body Bolt cannot place must not wait it out. */
const ANSWER_WITHIN_MS = 2000;

let database: TestDatabase;
let fake: FakeSlack;
let t: Awaited<ReturnType<typeof testApp>>;
let slack: SlackAdapter;
let ada: SlackPerson;
let bo: SlackPerson;
let fuzzer: SlackPerson;
/** How far the adapter's clock is ahead of the system's. */
let aheadMs = 0;
const adapterNow = () => Date.now() + aheadMs;
const seconds = (ms: number) => Math.floor(ms / 1000);

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
  t = await testApp(database, new TestClock(new Date('2026-11-25T09:00:00Z')));
  const team = fake.addWorkspace('T0HARD', 'hard', [
    { id: 'U0ADA', name: 'ada' },
    { id: 'U0BO', name: 'bo' },
    { id: 'U0FUZ', name: 'fuzzer' },
  ]);
  ada = new SlackPerson(fake, team, team.users.get('U0ADA')!);
  bo = new SlackPerson(fake, team, team.users.get('U0BO')!);
  fuzzer = new SlackPerson(fake, team, team.users.get('U0FUZ')!);
  slack = createSlackAdapter({
    config: { transport: 'http', signingSecret: SECRET, apiUrl: fake.apiUrl, port: 0, botToken: team.botToken },
    handle: (inbound) => dispatch(t.app, t.log, inbound),
    installations: installationStore(database.db),
    log: t.log,
    retryConfig: { retries: 0 },
    host: '127.0.0.1',
    clock: { now: () => new Date(adapterNow()) },
  });
  await slack.start();
});

afterAll(async () => {
  await slack?.stop();
  await fake?.stop();
  await database?.drop();
});

afterEach(() => {
  aheadMs = 0;
  expectCleanRun(fake, t.log, [SECRET]);
});

interface Sent {
  status: number;
  ms: number;
  text: string;
  headers: Headers;
}

/** POSTs to /slack/events signed as Slack signs (v0 HMAC-SHA256 over `v0:timestamp:body`), timed. */
async function post(body: string, contentType: string, options: { timestamp?: number; headers?: Record<string, string> } = {}): Promise<Sent> {
  const timestamp = options.timestamp ?? seconds(adapterNow());
  const started = Date.now();
  const response = await fetch(`http://127.0.0.1:${slack.address()!.port}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SECRET, timestamp, body), ...options.headers },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, ms: Date.now() - started, text, headers: response.headers };
}

const form = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) params.append(key, one);
  return params.toString();
};

/** A slash command end to end: answered 200 and its reply posted to the response_url. */
async function expectServing(person: SlackPerson, text = 'streak'): Promise<void> {
  const payload = person.slashCommand(text);
  expect((await post(form(payload as unknown as Record<string, string>), FORM)).status).toBe(200);
  await fake.until(() => fake.responsesTo(payload.response_url)[0], `the reply to /learn ${text}`);
}

const warned = (pattern: RegExp) => t.log.entries.filter((e) => e.level === 'warn' && pattern.test(String(e.msg)));

describe('signed bodies Bolt cannot read', () => {
  it('answers null, arrays, scalars and wrong-typed fields with a quick 400 and keeps serving', async () => {
    const cases: [string, string][] = [
      ['null', JSON_TYPE],
      ['payload=null', FORM],
      ['[]', JSON_TYPE],
      ['payload=%5B%5D', FORM],
      ['5', JSON_TYPE],
      ['"event_callback"', JSON_TYPE],
      ['payload=%22x%22', FORM],
      ['{}', JSON_TYPE],
      ['payload=not-json', FORM],
      [JSON.stringify({ type: 'event_callback', event_id: 'Ev1', event: 'app_home_opened' }), JSON_TYPE],
      [JSON.stringify({ type: 'event_callback', event_id: 'Ev2', event: { type: 'app_home_opened', user: 'U0ADA', channel: null } }), JSON_TYPE],
      [JSON.stringify({ type: 'event_callback', event_id: 'Ev3', event: { type: 'tokens_revoked', tokens: null } }), JSON_TYPE],
      [form({ payload: JSON.stringify({ type: 'block_actions', actions: 5, user: { id: 'U0ADA' } }) }), FORM],
      [form({ payload: JSON.stringify({ type: 'view_submission', view: null, user: { id: 'U0ADA' } }) }), FORM],
      [form({ command: ['/learn', '/learn'], team_id: 'T0HARD', user_id: 'U0ADA', text: 'streak' }), FORM],
      [JSON.stringify({ ssl_check: 1, type: 'url_verification' }), JSON_TYPE],
    ];
    for (const [body, contentType] of cases) {
      const sent = await post(body, contentType);
      expect({ body, status: sent.status }).toEqual({ body, status: 400 });
      expect(sent.ms).toBeLessThan(ANSWER_WITHIN_MS);
      expect(sent.text).toMatch(/^Backend Mentor cannot read this request: /);
    }
    expect(warned(/cannot be read/)).toHaveLength(cases.length);
    await expectServing(ada);
  });

  it("answers Slack's unsigned ssl_check with 200, doing nothing with what else its body carries", async () => {
    const payload = ada.slashCommand('streak');
    const response = await fetch(`http://127.0.0.1:${slack.address()!.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: `ssl_check=1&${form(payload as never)}`,
    });
    expect(response.status).toBe(200);
    await expectServing(bo);
    expect(fake.responsesTo(payload.response_url)).toEqual([]);
  });

  it('answers kinds of Slack request it has no listener for with a quick 200', async () => {
    for (const body of [
      form({ command: '/weather', team_id: 'T0HARD', user_id: 'U0ADA', text: 'x' }),
      form({ payload: JSON.stringify({ type: 'shortcut', callback_id: 'x', user: { id: 'U0ADA' }, team: { id: 'T0HARD' } }) }),
      JSON.stringify({ type: 'app_rate_limited', team_id: 'T0HARD', minute_rate_limited: 1 }),
    ]) {
      const sent = await post(body, body.startsWith('{') ? JSON_TYPE : FORM);
      expect(sent.status).toBe(200);
      expect(sent.ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
  });

  it('answers any signed JSON shape, in either content type, with 2xx or 4xx in time, and still serves afterwards', async () => {
    const anything = fc.jsonValue({ maxDepth: 3 });
    const known = ['event_callback', 'url_verification', 'block_actions', 'view_submission', 'shortcut', 'block_suggestion', 'app_home_opened', 'tokens_revoked', '1', '/learn', '/cohort'];
    const field = fc.oneof(anything, fc.constantFrom(...known), fc.array(fc.constantFrom(...known), { maxLength: 2 }), fc.dictionary(fc.constantFrom('id', 'type', 'user', 'channel', 'item', 'tokens', 'team_ids', 'action_id'), anything, { maxKeys: 3 }));
    // Objects with the fields Bolt classifies and reads, wrong-typed as often as not.
    const slackish = fc.record(
      { type: field, payload: field, ssl_check: field, command: field, event: field, event_id: field, actions: field, user: field, team: field, view: field, name: field, challenge: field, authorizations: field, team_id: field, user_id: field },
      { requiredKeys: [] },
    );
    const value = fc.oneof(anything, slackish, fc.array(slackish, { maxLength: 2 }));
    // Real payloads with fields replaced: these pass the screen often, and reach Bolt and the listeners.
    const real = (): Record<string, unknown>[] => [
      fuzzer.slashCommand('streak') as never,
      fuzzer.press({ type: 'button', action_id: 'v1:quiz:1', text: { type: 'plain_text', text: 'Quiz' }, value: 'v1:quiz:1' }, { kind: 'message', channel: fuzzer.dm }) as never,
      fuzzer.homeOpened() as never,
    ];
    const mutated = fc
      .tuple(fc.nat(2), fc.dictionary(fc.constantFrom('type', 'command', 'text', 'team_id', 'user_id', 'response_url', 'actions', 'user', 'team', 'channel', 'container', 'view', 'event', 'authorizations', 'event_id', 'name'), field, { minKeys: 1, maxKeys: 2 }))
      .map(([which, fields]) => ({ ...real()[which], ...fields }));
    const body = fc.oneof(
      value.map((v) => [JSON.stringify(v) ?? 'null', JSON_TYPE] as const),
      value.map((v) => [form({ payload: JSON.stringify(v) ?? 'null' }), FORM] as const),
      mutated.map((v) => [JSON.stringify(v), JSON_TYPE] as const),
      mutated.map((v) => [form({ payload: JSON.stringify(v) }), FORM] as const),
      // Form fields as slash commands send them: strings, or repeated keys.
      fc.dictionary(fc.constantFrom('command', 'ssl_check', 'payload', 'team_id', 'user_id', 'text', 'type'), fc.oneof(fc.constantFrom(...known), fc.string(), fc.array(fc.string(), { minLength: 2, maxLength: 2 })), { maxKeys: 5 }).map((fields) => [form(fields), FORM] as const),
    );
    await fc.assert(
      fc.asyncProperty(body, async ([text, contentType]) => {
        const sent = await post(text, contentType);
        expect(sent.status >= 200 && sent.status < 500, `${sent.status} for ${contentType} ${text}`).toBe(true);
        expect(sent.ms, `answered in ${sent.ms} ms: ${text}`).toBeLessThan(ANSWER_WITHIN_MS);
      }),
      { numRuns: 300 },
    );
    await expectServing(bo, 'progress');
  });
});

describe('request timestamps', () => {
  it('refuses a timestamp more than 5 minutes from the adapter clock, in the future or the past, naming no secret', async () => {
    const now = seconds(adapterNow());
    const future = ada.slashCommand('start UTC 07:00');
    const past = ada.slashCommand('start UTC 07:00');
    const sent = await Promise.all([post(form(future as never), FORM, { timestamp: now + 10 * 60 }), post(form(past as never), FORM, { timestamp: now - 10 * 60 })]);
    expect(sent.map((s) => s.status)).toEqual([401, 401]);
    const logged = warned(/could not verify/).map((e) => JSON.stringify(e.obj));
    expect(logged.some((l) => /10 minutes in the future/.test(l))).toBe(true);
    expect(logged.some((l) => /10 minutes in the past/.test(l))).toBe(true);
    for (const line of logged) expect(line).not.toContain(SECRET);

    // Inside the window either way is Slack's, and is done.
    for (const skew of [4 * 60, -4 * 60]) {
      const payload = ada.slashCommand('streak');
      expect((await post(form(payload as never), FORM, { timestamp: now + skew })).status).toBe(200);
      await fake.until(() => fake.responsesTo(payload.response_url)[0], `the reply to a request ${skew} s off`);
    }
    expect(fake.responsesTo(future.response_url)).toEqual([]);
    expect(fake.responsesTo(past.response_url)).toEqual([]);
  });

  it('holds timestamps to the injected clock, not the system one', async () => {
    aheadMs = 10 * 60_000;
    const payload = ada.slashCommand('streak');
    // Signed "now" by the system clock: 10 minutes in the past for the adapter.
    expect((await post(form(payload as never), FORM, { timestamp: seconds(Date.now()) })).status).toBe(401);
    await expectServing(ada);
  });
});

describe('replays and Slack retries', () => {
  it('does a replayed request once, answers the replay 200, and refuses it once its timestamp leaves the window', async () => {
    const payload = ada.slashCommand('streak');
    const body = form(payload as never);
    const timestamp = seconds(adapterNow());
    expect((await post(body, FORM, { timestamp })).status).toBe(200);
    await fake.until(() => fake.responsesTo(payload.response_url)[0], 'the reply to the original');

    const replay = await post(body, FORM, { timestamp });
    expect(replay.status).toBe(200);
    expect(warned(/replayed/)).toHaveLength(1);
    // The replay never reached Bolt: a request after it is answered, and the original's reply stays alone.
    await expectServing(ada, 'progress');
    expect(fake.responsesTo(payload.response_url)).toHaveLength(1);

    aheadMs = 6 * 60_000;
    expect((await post(body, FORM, { timestamp })).status).toBe(401);
  });

  it("drops Slack's retry of an event already taken in, answering 200 with x-slack-no-retry, and does the retry of an unseen one", async () => {
    const opened = ada.homeOpened();
    const publishes = () => fake.callsOf('views.publish').filter((c) => c.args.user_id === 'U0ADA').length;
    expect((await post(JSON.stringify(opened), JSON_TYPE)).status).toBe(200);
    await fake.until(() => publishes() === 1, 'the Home tab to be published');

    // Slack re-signs a retry with a new timestamp: the signature differs, the event id does not.
    const retry = await post(JSON.stringify(opened), JSON_TYPE, { timestamp: seconds(adapterNow()) + 1, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('x-slack-no-retry')).toBe('1');
    expect(t.log.entries.filter((e) => /already taken in/.test(String(e.msg))).map((e) => e.obj)).toEqual([
      { platform: 'slack', eventId: opened.event_id, retryNum: '1', retryReason: 'http_timeout' },
    ]);

    // A retry of an event this process never saw (the original went elsewhere, or was lost) is done.
    const other = { ...bo.homeOpened(), event_id: 'Ev0UNSEEN' };
    const first = await post(JSON.stringify(other), JSON_TYPE, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' } });
    expect(first.status).toBe(200);
    await fake.until(() => fake.callsOf('views.publish').some((c) => c.args.user_id === 'U0BO'), "bo's Home tab to be published");
    expect(publishes()).toBe(1);
  });
});

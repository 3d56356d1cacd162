// The fake Slack's programmable failures, as the real Web API client sees them: responses dropped after the
// work, outages and rate-limit windows on a test clock, and conversations.history with its paging and limits.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { FakeSlack } from '../fakes/slack-server.js';

const TEAM = 'T0ACME';
const CHANNEL = 'C0GENERAL';
const T0 = Date.parse('2026-11-25T09:00:00Z');
let now = T0;
let fake: FakeSlack;
let token: string;

type SlackError = Error & { code?: string; statusCode?: number; retryAfter?: number; original?: Error & { cause?: { code?: string } }; data?: { error?: string } };

const client = (options: webApi.WebClientOptions = {}) => new webApi.WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: webApi.LogLevel.ERROR, ...options });
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as SlackError);
const postKeyed = (key: string, channel = CHANNEL, web = client()) =>
  web.chat.postMessage({ channel, text: key, metadata: { event_type: 'backend_mentor_message', event_payload: { key } } });

async function start(options: Parameters<typeof FakeSlack.start>[0] = {}): Promise<void> {
  now = T0;
  fake = await FakeSlack.start({ clock: () => now, ...options });
  token = fake.addWorkspace(TEAM, 'acme', [{ id: 'U0ADA', name: 'ada' }]).botToken;
  fake.addChannel(TEAM, CHANNEL);
}

beforeEach(() => start());
afterEach(async () => {
  await fake.stop();
});

describe('dropped responses', () => {
  it('posts the message, then resets the connection: the client sees ECONNRESET', async () => {
    fake.dropResponses();
    const error = await failure(postKeyed('lesson:ada:1125'));
    expect(error?.code).toBe(webApi.ErrorCode.RequestError);
    expect(error?.original?.cause?.code).toBe('ECONNRESET'); // fetch failed: read ECONNRESET
    expect(fake.messagesIn(CHANNEL).map((m) => m.text)).toEqual(['lesson:ada:1125']);
    expect(fake.callsOf('chat.postMessage').at(-1)).toMatchObject({ unanswered: 'dropped' });
    await expect(postKeyed('lesson:bob:1125')).resolves.toMatchObject({ ok: true });
  });

  it('drops every n-th accepted call of the named methods; refusals are answered', async () => {
    fake.dropResponses({ method: ['chat.postMessage'], every: 3 });
    const outcomes = [];
    for (let i = 1; i <= 6; i++) outcomes.push((await failure(postKeyed(`k${i}`))) ? 'reset' : 'ok');
    expect(outcomes).toEqual(['ok', 'ok', 'reset', 'ok', 'ok', 'reset']);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(6);
    const refused = await failure(postKeyed('k7', 'C0NOWHERE'));
    expect(refused?.data?.error).toBe('channel_not_found');
  });
});

describe('outages on the fake clock', () => {
  it('answers HTTP 503 to every Web API method until the clock passes `until`', async () => {
    fake.outage({ until: T0 + 60_000, mode: '503' });
    for (const call of [postKeyed('k'), client().auth.test()]) {
      const error = await failure(call);
      expect(error?.code).toBe(webApi.ErrorCode.HTTPError);
      expect(error?.statusCode).toBe(503);
    }
    expect(fake.messagesIn(CHANNEL)).toEqual([]);
    now = T0 + 60_000;
    await expect(postKeyed('k')).resolves.toMatchObject({ ok: true });
  });

  it("covers only the listed methods, from `from`; '500' answers HTTP 500; endOutage() ends it", async () => {
    fake.outage({ from: T0 + 1000, until: T0 + 5000, mode: '500', methods: ['chat.postMessage'] });
    await expect(postKeyed('before')).resolves.toMatchObject({ ok: true });
    now = T0 + 1000;
    expect((await failure(postKeyed('during')))?.statusCode).toBe(500);
    await expect(client().auth.test()).resolves.toMatchObject({ ok: true });
    fake.endOutage();
    await expect(postKeyed('after')).resolves.toMatchObject({ ok: true });
  });

  it("'timeout' says nothing until the client gives up; stop() destroys what is still held", async () => {
    fake.outage({ until: T0 + 60_000, mode: 'timeout' });
    const error = await failure(client({ timeout: 300 }).chat.postMessage({ channel: CHANNEL, text: 'hi' }));
    expect(error?.code).toBe(webApi.ErrorCode.RequestError);
    expect(error?.message).toMatch(/timeout/i);
    expect(fake.messagesIn(CHANNEL)).toEqual([]);
    await expect.poll(() => fake.heldRequests).toBe(0); // the client's abort closed it

    const patient = new Promise<string>((resolve) => {
      const req = request(`${fake.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      req.on('error', (e: Error) => resolve(e.message));
      req.end();
    });
    await expect.poll(() => fake.heldRequests).toBeGreaterThan(0);
    await fake.stop();
    expect(await patient).toMatch(/socket hang up|ECONNRESET/);
    await start(); // for afterEach
  });

  it('a rate-limit window answers 429 ratelimited with Retry-After, counted on the clock', async () => {
    fake.rateLimit({ until: T0 + 30_000, methods: ['chat.postMessage'] });
    const error = await failure(postKeyed('k'));
    expect(error?.code).toBe(webApi.ErrorCode.RateLimitedError);
    expect(error?.retryAfter).toBe(30);
    now = T0 + 29_500;
    expect((await failure(postKeyed('k')))?.retryAfter).toBe(1);
    now = T0 + 30_000;
    await expect(postKeyed('k')).resolves.toMatchObject({ ok: true });
  });
});

describe('conversations.history', () => {
  const history = (args: Omit<webApi.ConversationsHistoryArguments, 'channel'> = {}, web = client()) => web.conversations.history({ channel: CHANNEL, ...args });
  const texts = (r: { messages?: { text?: string }[] }) => r.messages?.map((m) => m.text);

  async function postMany(count: number, stepMs = 1000): Promise<string[]> {
    const ts: string[] = [];
    for (let i = 1; i <= count; i++) {
      ts.push((await postKeyed(`m${i}`)).ts!);
      now += stepMs;
    }
    return ts;
  }

  it('stamps ts from the clock, strictly increasing', async () => {
    const [a, b] = await postMany(2, 0);
    expect(a).toBe(`${T0 / 1000}.000000`);
    expect(b).toBe(`${T0 / 1000}.000001`);
  });

  it('is newest first, pages with a cursor, and shows metadata only with include_all_metadata', async () => {
    await postMany(12);
    const first = await history({ limit: 5 });
    expect(texts(first)).toEqual(['m12', 'm11', 'm10', 'm9', 'm8']);
    expect(first.has_more).toBe(true);
    expect(first.messages![0]).toMatchObject({ type: 'message', bot_id: `B0BOT${TEAM}` });
    expect(first.messages![0]!.metadata).toBeUndefined();
    const seen = [...texts(first)!];
    let cursor = first.response_metadata?.next_cursor;
    while (cursor) {
      const page = await history({ limit: 5, cursor });
      seen.push(...texts(page)!);
      cursor = page.has_more ? page.response_metadata?.next_cursor : undefined;
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `m${12 - i}`));
    const withMetadata = await history({ limit: 1, include_all_metadata: true });
    expect(withMetadata.messages![0]!.metadata).toEqual({ event_type: 'backend_mentor_message', event_payload: { key: 'm12' } });
  });

  it('keeps to oldest and latest, exclusive unless inclusive', async () => {
    const ts = await postMany(6);
    expect(texts(await history({ oldest: ts[1], latest: ts[4] }))).toEqual(['m4', 'm3']);
    expect(texts(await history({ oldest: ts[1], latest: ts[4], inclusive: true }))).toEqual(['m5', 'm4', 'm3', 'm2']);
    expect(texts(await history({ oldest: String((T0 + 3000) / 1000) }))).toEqual(['m6', 'm5']);
    expect((await failure(history({ oldest: 'yesterday' })))?.data?.error).toBe('invalid_ts_oldest');
    fake.problems.length = 0;
  });

  it('allows Tier 3 (50 a minute per workspace) by default, then answers ratelimited', async () => {
    for (let i = 0; i < 50; i++) await history({ limit: 1 });
    const error = await failure(history({ limit: 1 }));
    expect(error?.code).toBe(webApi.ErrorCode.RateLimitedError);
    expect(error?.retryAfter).toBe(60);
    now += 60_000;
    await expect(history({ limit: 1 })).resolves.toMatchObject({ ok: true });
  });

  it('models apps outside the Marketplace: 1 call a minute, pages of at most 15', async () => {
    await fake.stop();
    await start({ historyPerMinute: 1, historyLimitMax: 15 });
    await postMany(20, 0);
    const capped = await history({ limit: 100 });
    expect(capped.messages).toHaveLength(15);
    expect(capped.has_more).toBe(true);
    const error = await failure(history({ limit: 1 }));
    expect(error?.code).toBe(webApi.ErrorCode.RateLimitedError);
    now += 45_000;
    expect((await failure(history({ limit: 1 })))?.retryAfter).toBe(15);
    now += 15_000;
    expect((await history())?.messages).toHaveLength(15); // the default limit is the cap too
  });
});

describe('counting what reached Slack', () => {
  it('lists every message across channels, and the ones carrying a key', async () => {
    const dm = fake.dmOf(TEAM, 'U0ADA');
    await postKeyed('lesson:ada:2026-11-25', dm);
    fake.dropResponses();
    await failure(postKeyed('lesson:ada:2026-11-26', dm));
    await postKeyed('lesson:ada:2026-11-26', dm); // a retry that did not look first: a double post
    await postKeyed('cohort:digest', CHANNEL);
    expect(fake.allMessages(TEAM).map((m) => [m.channel, m.text])).toEqual([
      [dm, 'lesson:ada:2026-11-25'],
      [dm, 'lesson:ada:2026-11-26'],
      [dm, 'lesson:ada:2026-11-26'],
      [CHANNEL, 'cohort:digest'],
    ]);
    expect(fake.messagesWithKey('lesson:ada:2026-11-25')).toHaveLength(1);
    expect(fake.messagesWithKey('lesson:ada:2026-11-26')).toHaveLength(2);
    expect(fake.allMessages('T0OTHER')).toEqual([]);
  });
});

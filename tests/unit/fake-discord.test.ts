// The fake Discord's programmable failures, as the real discord.js REST client sees them: responses dropped
// after the work, outages on a test clock, nonce memory that expires, rate-limit windows, and history paging.
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ButtonStyle, ComponentType, PermissionFlagsBits, Routes, type APIMessage, type RESTGetAPIChannelMessagesQuery } from 'discord-api-types/v10';
import { DiscordAPIError, HTTPError, REST, RateLimitError, makeURLSearchParams, type RESTOptions } from 'discord.js';
import { FakeDiscord } from '../fakes/discord-server.js';
import type { FakeGuild } from '../fakes/discord-model.js';

const T0 = Date.parse('2026-11-25T09:00:00Z');
let now = T0;
let fake: FakeDiscord;
let guild: FakeGuild;
let channel: string;

const client = (options: Partial<RESTOptions> = {}) =>
  new REST({ api: fake.apiUrl, retries: 0, offset: 0, timeout: 2000, handlerSweepInterval: 0, hashSweepInterval: 0, ...options }).setToken(fake.token);

const post = (rest: REST, body: Record<string, unknown>, to = channel) => rest.post(Routes.channelMessages(to), { body }) as Promise<APIMessage>;
const list = (rest: REST, query: RESTGetAPIChannelMessagesQuery = {}, from = channel) =>
  rest.get(Routes.channelMessages(from), { query: makeURLSearchParams(query) }) as Promise<APIMessage[]>;
const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as Error & { code?: string; status?: number });

beforeEach(async () => {
  now = T0;
  fake = await FakeDiscord.start({ clock: () => now });
  guild = fake.addGuild('Acme', fake.addUser('owner'));
  channel = guild.channels[0]!.id;
});

afterEach(async () => {
  await fake.stop();
});

describe('dropped responses', () => {
  it('creates and keeps the message, then resets the connection: the client sees ECONNRESET', async () => {
    fake.dropResponses();
    const error = await failure(post(client(), { content: 'Lesson one' }));
    expect(error?.code ?? error?.message).toMatch(/ECONNRESET/);
    expect(fake.messagesIn(channel).map((m) => m.content)).toEqual(['Lesson one']);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', unanswered: 'dropped', status: 0 });
    // Only one response is dropped by default.
    await expect(post(client(), { content: 'Lesson two' })).resolves.toMatchObject({ content: 'Lesson two' });
  });

  it('a client retrying a reset posts twice unless the nonce is enforced', async () => {
    const rest = client({ retries: 1 });
    fake.dropResponses();
    const sent = await post(rest, { content: 'once', nonce: 'lesson:1', enforce_nonce: true });
    expect(fake.messagesIn(channel).map((m) => m.id)).toEqual([sent.id]);
    fake.dropResponses();
    await post(rest, { content: 'twice' });
    expect(fake.messagesIn(channel).map((m) => m.content)).toEqual(['once', 'twice', 'twice']);
  });

  it('drops every n-th accepted call, or a share of them, for any route', async () => {
    fake.dropResponses({ every: 2 });
    const outcomes = [];
    for (let i = 1; i <= 4; i++) outcomes.push((await failure(post(client(), { content: `m${i}` }))) ? 'reset' : 'ok');
    expect(outcomes).toEqual(['ok', 'reset', 'ok', 'reset']);
    expect(fake.messagesIn(channel)).toHaveLength(4);

    const refused = await failure(post(client(), { content: '' }));
    expect(refused).toBeInstanceOf(DiscordAPIError); // a refusal did no work: it is answered, not dropped
    fake.violations.length = 0;

    const rolls = [0.9, 0.1];
    fake.dropResponses({ method: 'GET', path: /\/messages$/, ratio: 0.5, random: () => rolls.shift()! });
    expect(await failure(list(client()))).toBeNull();
    expect((await failure(list(client())))?.message).toMatch(/ECONNRESET/);
  });
});

describe('outages on the fake clock', () => {
  it("answers 503 with Cloudflare's text body on the message routes until the clock passes `until`", async () => {
    fake.outage({ until: T0 + 10 * 60_000, mode: '503' });
    const error = await failure(post(client(), { content: 'hello' }));
    expect(error).toBeInstanceOf(HTTPError);
    expect(error?.status).toBe(503);
    expect(fake.messagesIn(channel)).toEqual([]);
    // The default covers messages and DMs, not the rest.
    await expect(client().get(Routes.gatewayBot())).resolves.toMatchObject({ url: fake.wsUrl });
    await expect(client().get(Routes.channel(channel))).resolves.toMatchObject({ id: channel });

    now = T0 + 10 * 60_000 - 1;
    expect(await failure(post(client(), { content: 'hello' }))).toBeInstanceOf(HTTPError);
    now = T0 + 10 * 60_000;
    await expect(post(client(), { content: 'hello' })).resolves.toMatchObject({ content: 'hello' });
  });

  it('starts at `from`, covers every route but the gateway handshake with "all", and ends on endOutage()', async () => {
    fake.outage({ from: T0 + 60_000, until: T0 + 120_000, mode: '500', paths: 'all' });
    await expect(client().get(Routes.channel(channel))).resolves.toBeTruthy();
    now = T0 + 60_000;
    const error = await failure(client().get(Routes.channel(channel)));
    expect(error).toBeInstanceOf(HTTPError);
    expect(error?.status).toBe(500);
    await expect(client().get(Routes.gatewayBot())).resolves.toBeTruthy();
    fake.endOutage();
    await expect(client().get(Routes.channel(channel))).resolves.toBeTruthy();
  });

  it("'timeout' holds the request until the client gives up; close() destroys sockets still held", async () => {
    fake.outage({ until: T0 + 60_000, mode: 'timeout' });
    const started = Date.now();
    const error = await failure(post(client({ timeout: 300 }), { content: 'hello' }));
    expect(error?.name).toBe('AbortError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(fake.requests.at(-1)).toMatchObject({ unanswered: 'held' });
    expect(fake.messagesIn(channel)).toEqual([]);
    await expect.poll(() => fake.heldRequests).toBe(0); // the client's abort closed it

    // A client with no timeout of its own: stop() still ends, and the client sees the connection go.
    const patient = new Promise<string>((resolve) => {
      const req = request(`${fake.apiUrl}/v10/channels/${channel}/messages`, { method: 'POST', headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' } });
      req.on('error', (e: Error) => resolve(e.message));
      req.end(JSON.stringify({ content: 'hello' }));
    });
    await expect.poll(() => fake.heldRequests).toBeGreaterThan(0);
    await fake.stop();
    expect(await patient).toMatch(/socket hang up|ECONNRESET/);
    fake = await FakeDiscord.start(); // for afterEach
  });
});

describe('rate-limit windows', () => {
  it('answers 429 with Retry-After while the window lasts; discord.js waits and retries', async () => {
    fake.rateLimit({ until: T0 + 30_000 });
    const error = await failure(post(client({ rejectOnRateLimit: () => true }), { content: 'hello' }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as unknown as RateLimitError).retryAfter).toBe(30_000);

    fake.endRateLimit();
    fake.rateLimit({ until: T0 + 1000, retryAfter: 0.05, global: true });
    setTimeout(() => (now = T0 + 1000), 200);
    await expect(post(client(), { content: 'hello' })).resolves.toMatchObject({ content: 'hello' });
    const limited = fake.requests.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(1);
    expect(fake.messagesIn(channel)).toHaveLength(1);
  });
});

describe('nonce memory', () => {
  const lesson = { content: 'Lesson one', nonce: 'lesson:ada:1125', enforce_nonce: true };

  it('returns the first message for the same enforced nonce, and forgets it after nonceTtlMs (5 minutes)', async () => {
    const first = await post(client(), lesson);
    now += 5 * 60_000 - 1;
    expect((await post(client(), lesson)).id).toBe(first.id);
    now += 1;
    const second = await post(client(), lesson);
    expect(second.id).not.toBe(first.id);
    expect(fake.messagesIn(channel)).toHaveLength(2);
  });

  it('takes its TTL from the fake', async () => {
    fake.nonceTtlMs = 1000;
    const first = await post(client(), lesson);
    now += 1000;
    expect((await post(client(), lesson)).id).not.toBe(first.id);
  });
});

describe('GET /channels/:id/messages', () => {
  async function postMany(count: number): Promise<APIMessage[]> {
    const sent: APIMessage[] = [];
    for (let i = 1; i <= count; i++) sent.push(await post(client(), { content: `m${i}` }));
    return sent;
  }

  it('lists newest first, 50 by default, with before, after and around', async () => {
    const sent = await postMany(60);
    const contents = (page: APIMessage[]) => page.map((m) => m.content);
    const all = await list(client());
    expect(all).toHaveLength(50);
    expect(all[0]!.content).toBe('m60');
    expect(contents(await list(client(), { limit: 3 }))).toEqual(['m60', 'm59', 'm58']);
    expect(contents(await list(client(), { limit: 3, before: sent[9]!.id }))).toEqual(['m9', 'm8', 'm7']);
    expect(contents(await list(client(), { limit: 3, after: sent[9]!.id }))).toEqual(['m13', 'm12', 'm11']);
    expect(contents(await list(client(), { limit: 5, around: sent[9]!.id }))).toEqual(['m12', 'm11', 'm10', 'm9', 'm8']);
    expect(contents(await list(client(), { limit: 1, around: sent[9]!.id }))).toEqual(['m10']);
    expect(contents(await list(client(), { limit: 100, after: sent[57]!.id }))).toEqual(['m60', 'm59']);
  });

  it('pages back through the whole channel with before', async () => {
    await postMany(23);
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await list(client(), { limit: 10, ...(before ? { before } : {}) });
      seen.push(...page.map((m) => m.content));
      if (page.length < 10) break;
      before = page.at(-1)!.id;
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => `m${23 - i}`));
  });

  it('refuses a bad limit or several anchors with 50035, and records the misuse', async () => {
    const [one] = await postMany(1);
    for (const query of [{ limit: 0 }, { limit: 101 }, { before: one!.id, after: one!.id }]) {
      const error = await failure(list(client(), query));
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect((error as DiscordAPIError).code).toBe(50035);
    }
    expect(fake.violations).toHaveLength(3);
    fake.violations.length = 0;
  });

  it('keeps the author and the components exactly as posted, so the bot can find its own post', async () => {
    const components = [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Take the quiz', custom_id: 'v1:quiz:42' }] }];
    await post(client(), { content: 'Lesson', components, embeds: [{ title: 'Lesson 1' }] });
    await postMany(2);
    const mine = (await list(client())).find((m) => m.components?.some((row) => 'components' in row && row.components.some((c) => 'custom_id' in c && c.custom_id === 'v1:quiz:42')));
    expect(mine).toMatchObject({ author: { id: fake.bot.id, bot: true }, content: 'Lesson', components, embeds: [{ title: 'Lesson 1' }] });
    await expect(client().get(Routes.channelMessage(channel, mine!.id))).resolves.toMatchObject({ id: mine!.id });
  });

  it('lists a DM channel the bot opened', async () => {
    const user = fake.addUser('ada');
    const dm = (await client().post(Routes.userChannels(), { body: { recipient_id: user.id } })) as { id: string };
    await post(client(), { content: 'hi' }, dm.id);
    expect((await list(client(), {}, dm.id)).map((m) => m.content)).toEqual(['hi']);
  });

  it('needs VIEW_CHANNEL (403 50001); without READ_MESSAGE_HISTORY the list is empty, as Discord documents', async () => {
    const hidden = fake.addChannel(guild, 'hidden', PermissionFlagsBits.ViewChannel);
    const noHistory = fake.addChannel(guild, 'no-history', PermissionFlagsBits.ReadMessageHistory);
    const denied = await failure(list(client(), {}, hidden));
    expect((denied as DiscordAPIError).code).toBe(50001);
    const sent = await post(client(), { content: 'posted, but cannot be read back' }, noHistory);
    expect(await list(client(), {}, noHistory)).toEqual([]);
    const one = await failure(client().get(Routes.channelMessage(noHistory, sent.id)));
    expect((one as DiscordAPIError).code).toBe(50013);
    expect(fake.historyOf(noHistory)).toHaveLength(1);
  });
});

// The real discord.js Client and the real app (real Postgres) against a fake Discord on 127.0.0.1.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createInflate } from 'node:zlib';
import {
  ApplicationCommandOptionType,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionContextType,
  InteractionResponseType,
  PermissionFlagsBits,
  type APIMessage,
  type APIUser,
} from 'discord-api-types/v10';
import { WebSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_COMMUNITY_YET } from '../../src/app/direct.js';
import { COHORT_COMMANDS } from '../../src/app/cohort/commands/index.js';
import { LEARNER_COMMANDS } from '../../src/app/commands/index.js';
import { RecipientUnreachable, type CommunityRef, type Recipient } from '../../src/app/ports.js';
import type { Reply } from '../../src/core/reply.js';
import { createDiscordAdapter, registerCommands } from '../../src/platforms/discord/index.js';
import { nonceFor } from '../../src/platforms/discord/messenger.js';
import { resolveMentions, type FakeGuild } from '../fakes/discord-model.js';
import type { FakeDiscord, Outcome } from '../fakes/discord-server.js';
import { PermanentJobError } from '../../src/app/jobs/errors.js';
import { RecordingLog } from '../support/app.js';
import { FAST_REST, buttonsOf, customIdOf, eventually, startHarness, textOf, type Harness } from './discord-harness.js';

let h: Harness;
let fake: FakeDiscord;
let guild: FakeGuild;
let community: CommunityRef;
let cohortChannel: string;
let lockedChannel: string;
let hiddenChannel: string;
const people: Record<string, APIUser> = {};
const crowd: APIUser[] = [];

beforeAll(async () => {
  h = await startHarness((f) => {
    const owner = f.addUser('owner');
    guild = f.addGuild('Backend Club', owner);
    for (const name of ['ada', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal', 'ivy', 'newbie']) {
      people[name] = f.addUser(name, { globalName: name[0]!.toUpperCase() + name.slice(1) });
      f.join(guild, people[name]!);
    }
    people.pinger = f.addUser('pinger', { globalName: '@everyone' });
    f.join(guild, people.pinger);
    for (let i = 0; i < 6; i++) crowd.push(f.addUser(`learner${i}`));
    cohortChannel = f.addChannel(guild, 'cohort');
    lockedChannel = f.addChannel(guild, 'announcements', PermissionFlagsBits.SendMessages);
    hiddenChannel = f.addChannel(guild, 'mods-only', PermissionFlagsBits.ViewChannel);
  });
  fake = h.fake;
  community = { platform: 'discord', externalId: guild.id };
});
afterAll(async () => h?.stop());

// A handler that throws, a misused API or a payload Discord would refuse fails the test that caused it.
afterEach(() => {
  h.hooks.beforeHandle = undefined;
  expect(fake.violations).toEqual([]);
  expect(h.t.log.errors).toEqual([]);
});

const ask = (user: APIUser, sub: string, options: Record<string, string> = {}, where: { guild: FakeGuild } | 'dm' = { guild }) =>
  fake.outcome(fake.slash(user, where, sub, options));
const press = (user: APIUser, message: APIMessage | undefined, label: string | RegExp) => fake.outcome(fake.press(user, message!, customIdOf(message, label)));
const lessonCount = () => h.t.app.catalog.course.lessons.length;
const firstLesson = () => h.t.app.catalog.lessonAt(0)!;
const at = (user: APIUser): Recipient => ({ communityExternalId: guild.id, userExternalId: user.id, dmChannelId: null });
const channelPosts = (channelId: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);

/** Answers every question on a quiz message by its buttons, right or wrong, checking each is edited in place. */
async function answerQuiz(user: APIUser, first: APIMessage, pick: (i: number) => 'right' | 'wrong'): Promise<Outcome> {
  const quiz = firstLesson().quiz;
  let message = first;
  let last: Outcome | null = null;
  for (const [i, question] of quiz.entries()) {
    expect(message.embeds[0]?.title).toBe(`${firstLesson().title}: question ${i + 1} of ${quiz.length}`);
    expect(buttonsOf(message).map((b) => b.label)).toEqual(question.choices);
    const choice = pick(i) === 'right' ? question.answer : (question.answer + 1) % question.choices.length;
    last = await fake.outcome(fake.press(user, message, buttonsOf(message)[choice]!.custom_id));
    expect(last).toMatchObject({ kind: 'update', deferred: false });
    expect(last.message!.id).toBe(message.id);
    expect(textOf(last.message)).toContain(pick(i) === 'right' ? '✅ **Right**' : '❌ **Not quite.**');
    expect(textOf(last.message)).toContain(question.explanation.slice(0, 40));
    message = last.message!;
  }
  return last!;
}

describe('setup', () => {
  it('connects with only the non-privileged Guilds intent', () => {
    expect(fake.gateway.identifies).toHaveLength(1);
    expect(fake.gateway.identifies[0]).toMatchObject({ intents: GatewayIntentBits.Guilds, shard: [0, 1] });
    expect(h.adapter.client.guilds.cache.get(guild.id)?.name).toBe('Backend Club');
  });

  it('registers /learn with every learner verb and /cohort with every cohort verb, as Discord accepts them', async () => {
    const registered = await registerCommands({ token: fake.token, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl }, FAST_REST);
    expect(registered).toEqual({ scope: 'guild', names: ['learn', 'cohort'] });
    const [learn, cohort] = fake.commands.get(guild.id)!;
    const subs = new Map((learn!.options ?? []).map((o) => [o.name, o]));
    expect([...subs.keys()]).toEqual(LEARNER_COMMANDS.map((c) => c.verb));
    expect([...subs.keys()]).toEqual(expect.arrayContaining(['challenges', 'leaderboard']));
    const optionsOf = (verb: string) => (subs.get(verb) as { options?: { name: string; autocomplete?: boolean; choices?: { value: string }[] }[] }).options ?? [];
    expect(optionsOf('start').map((o) => [o.name, o.autocomplete ?? false])).toEqual([['timezone', true], ['time', false]]);
    expect(optionsOf('settings').find((o) => o.name === 'key')?.choices?.map((c) => c.value)).toEqual(['timezone', 'time', 'nudges', 'quiet']);
    expect(optionsOf('streak').find((o) => o.name === 'detail')?.choices?.map((c) => c.value)).toEqual(['why']);
    expect(optionsOf('practice').map((o) => o.name)).toEqual(['note', 'link']);
    // Every member sees /cohort: the app decides who leads (Manage Server, lead users, lead roles).
    expect(cohort).toMatchObject({ name: 'cohort', default_member_permissions: null, contexts: [InteractionContextType.Guild] });
    const cohortVerbs = (cohort!.options ?? []).flatMap((o) => (o.type === ApplicationCommandOptionType.SubcommandGroup ? (o.options ?? []).map((s) => `${o.name} ${s.name}`) : [o.name]));
    expect(cohortVerbs).toEqual(COHORT_COMMANDS.map((c) => c.verb));

    await registerCommands({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl }, FAST_REST);
    expect(fake.commands.get('global')?.map((c) => c.name)).toEqual(['learn', 'cohort']);
  });

  it('npm run discord:register registers and prints the invite link, never the token', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_GUILD_ID: guild.id, DISCORD_API_URL: fake.apiUrl };
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/discord-register.ts'], { env });
    expect(stdout).toContain(`Registered /learn, /cohort to server ${guild.id}`);
    const invite = new URL(stdout.split('\n').find((l) => l.startsWith('https://'))!);
    expect(invite.searchParams.get('scope')).toBe('bot applications.commands');
    const permissions = BigInt(invite.searchParams.get('permissions')!);
    const wanted = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.AttachFiles | PermissionFlagsBits.ReadMessageHistory;
    expect(permissions).toBe(wanted);
    expect(`${stdout}${stderr}`).not.toContain(fake.token);
  });

  it('answers /cohort help from the app to anyone, only to the asker', async () => {
    const reply = await fake.outcome(fake.slash(people.ada!, { guild }, 'help', {}, 'cohort'));
    expect(reply).toMatchObject({ kind: 'message', ephemeral: true });
    expect(reply.message!.embeds[0]?.title).toBe('Cohort tools for leads');
    expect(textOf(reply.message)).toContain('/cohort challenge post <template> [deadline]');
  });
});

describe('a learner in a server', () => {
  it('starts, reads the lesson, answers the quiz by buttons, logs practice by modal and by option, and sees the streak', async () => {
    const ada = people.ada!;
    const start = await ask(ada, 'start', { timezone: 'Europe/Berlin', time: '09:00' });
    expect(start).toMatchObject({ kind: 'message', ephemeral: true, deferred: false });
    const lesson = start.message!;
    expect(lesson.embeds[0]?.title).toBe(`Lesson 1 of ${lessonCount()}: ${firstLesson().title}`);
    expect(lesson.embeds[0]?.description).toContain('Welcome to **Backend Foundations**, Ada!');
    expect(lesson.embeds[0]?.description).toContain(firstLesson().body.slice(0, 60));
    expect(buttonsOf(lesson).map((b) => b.label)).toEqual(['Take the quiz', 'Log experiment']);

    const quiz = await press(ada, lesson, 'Take the quiz');
    expect(quiz).toMatchObject({ kind: 'message', ephemeral: true });
    const done = await answerQuiz(ada, quiz.message!, (i) => (i === 0 ? 'wrong' : 'right'));
    expect(done.message!.embeds[0]?.title).toBe(`${firstLesson().title}: quiz done`);
    expect(textOf(done.message)).toContain('Streak: 1 day');

    const form = await press(ada, lesson, 'Log experiment');
    expect(form.kind).toBe('modal');
    expect(form.modal!.custom_id).toMatch(/^v1:form:practice:\d+$/);
    const logged = await fake.outcome(fake.submit(ada, form.modal!, { note: 'ran strace -c echo', link: 'https://example.com/notes' }, { guild }, lesson));
    expect(logged).toMatchObject({ kind: 'message', ephemeral: true });
    expect(textOf(logged.message)).toContain(`Logged your experiment for **${firstLesson().title}**`);

    const atOnce = await ask(ada, 'practice', { note: 'read man 2 write', link: 'https://man7.org/linux/man-pages/man2/write.2.html' });
    expect(atOnce.kind).toBe('message');
    expect(textOf(atOnce.message)).toContain('Logged your experiment');
    const bare = await ask(ada, 'practice');
    expect(bare.kind).toBe('modal');
    const viaForm = await fake.outcome(fake.submit(ada, bare.modal!, { note: 'counted syscalls', link: '' }, { guild }));
    expect(textOf(viaForm.message)).toContain('Logged your experiment');

    expect(textOf((await ask(ada, 'streak')).message)).toContain('Streak: 1 day');
    expect((await ask(ada, 'streak', { detail: 'why' })).message!.embeds[0]?.title).toBe('Your last 14 days');

    const data = await h.t.app.stores.learners.exportData(await h.t.learnerId(ada.id, community));
    expect((data.practice as { note: string; link: string | null }[]).map((p) => [p.note, p.link])).toEqual([
      ['ran strace -c echo', 'https://example.com/notes'],
      ['read man 2 write', 'https://man7.org/linux/man-pages/man2/write.2.html'],
      ['counted syscalls', null],
    ]);
    expect(data.answers).toHaveLength(firstLesson().quiz.length);
  });

  it('changes settings through options and exports data as an attached file', async () => {
    const bob = people.bob!;
    await ask(bob, 'start', { timezone: 'UTC', time: '07:00' });
    const saved = await ask(bob, 'settings', { key: 'time', value: '08:30' });
    expect(textOf(saved.message)).toContain('Daily lesson at: **08:30**');
    const exported = await ask(bob, 'export');
    expect(exported).toMatchObject({ kind: 'message', ephemeral: true });
    expect(exported.message!.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/^backend-mentor-\d{4}-\d{2}-\d{2}\.json$/)]);
  });

  it('suggests timezones and setting values while typing, whatever is typed', async () => {
    const zones = await fake.outcome(fake.autocomplete(people.ada!, { guild }, 'start', { timezone: 'berl' }, 'timezone'));
    expect(zones.choices?.map((c) => c.value)).toContain('Europe/Berlin');
    const york = await fake.outcome(fake.autocomplete(people.ada!, { guild }, 'start', { timezone: 'new york' }, 'timezone'));
    expect(york.choices?.[0]?.value).toBe('America/New_York');
    const nudges = await fake.outcome(fake.autocomplete(people.ada!, { guild }, 'settings', { key: 'nudges', value: '' }, 'value'));
    expect(nudges.choices?.map((c) => c.value)).toEqual(['on', 'off']);
    const junk = await fake.outcome(fake.autocomplete(people.ada!, { guild }, 'start', { timezone: '\u0000'.repeat(300) + '../../etc' }, 'timezone'));
    expect(junk.choices).toEqual([]);
  });

  it("refuses a button from someone else's lesson, telling only the presser, and changes nothing", async () => {
    const [cy, dee] = [people.cy!, people.dee!];
    const lesson = (await ask(cy, 'start', { timezone: 'UTC' })).message!;
    const quiz = (await press(cy, lesson, 'Take the quiz')).message!;
    await ask(dee, 'start', { timezone: 'UTC' });

    for (const [message, label] of [[lesson, 'Take the quiz'], [quiz, buttonsOf(quiz)[0]!.label!], [lesson, 'Log experiment']] as const) {
      const refused = await press(dee, message, label);
      expect(refused).toMatchObject({ kind: 'message', ephemeral: true });
      expect(textOf(refused.message)).toContain("belongs to someone else's lesson");
      expect(fake.messages.get(message.id)?.edited_timestamp).toBeNull();
    }
    const delivery = Number(/^v1:quiz:(\d+)$/.exec(customIdOf(lesson, 'Take the quiz'))![1]);
    expect(await h.t.app.stores.answers.forDelivery(delivery)).toEqual([]);
  });

  it('acknowledges within the window when the app is slow: defers, then edits or follows up', async () => {
    const eve = people.eve!;
    let release!: () => void;
    const slowly = () => {
      const gate = new Promise<void>((resolve) => (release = resolve));
      h.hooks.beforeHandle = () => gate;
    };
    slowly();
    const id = fake.slash(eve, { guild }, 'start', { timezone: 'UTC' });
    await eventually(() => expect(fake.callbacksOf(id).map((c) => c.type)).toEqual([InteractionResponseType.DeferredChannelMessageWithSource]));
    release();
    const start = await fake.outcome(id);
    expect(start).toMatchObject({ kind: 'message', deferred: true, ephemeral: true });
    const token = fake.payloadOf(id).token;
    expect(fake.requests.find((r) => r.method === 'PATCH' && r.rawPath.includes(token))?.rawPath).toMatch(/\/messages\/%40original$/);
    expect(start.message!.embeds[0]?.title).toContain('Lesson 1 of');
    const lesson = start.message!;

    const quiz = (await press(eve, lesson, 'Take the quiz')).message!;
    slowly();
    const answerId = fake.press(eve, quiz, buttonsOf(quiz)[0]!.custom_id);
    await eventually(() => expect(fake.callbacksOf(answerId).map((c) => c.type)).toEqual([InteractionResponseType.DeferredMessageUpdate]));
    release();
    const answered = await fake.outcome(answerId);
    expect(answered).toMatchObject({ kind: 'update', deferred: true });
    expect(answered.message!.id).toBe(quiz.id);
    expect(textOf(answered.message)).toMatch(/Right|Not quite/);

    // A modal cannot follow a deferral: the reply offers a button that opens it on the next press.
    slowly();
    const practiceId = fake.press(eve, lesson, customIdOf(lesson, 'Log experiment'));
    await eventually(() => expect(fake.callbacksOf(practiceId)).toHaveLength(1));
    release();
    const fallback = await fake.outcome(practiceId);
    expect(fallback).toMatchObject({ kind: 'message', deferred: true, ephemeral: true });
    expect(customIdOf(fallback.message, 'Log practice')).toBe(customIdOf(lesson, 'Log experiment'));
    expect((await press(eve, fallback.message, 'Log practice')).kind).toBe('modal');
  });

  it('survives bad input and a failing app: friendly answers, a logged error, and the next request works', async () => {
    const fay = people.fay!;
    const stale = await fake.outcome(fake.press(fay, { ...(await ask(fay, 'help')).message!, components: [] }, 'v1:ans:00:x:1'));
    expect(textOf(stale.message)).toContain('no longer valid');
    expect(textOf((await ask(fay, 'nonsense')).message)).toContain("I don't know \"/learn nonsense\"");
    expect(textOf((await ask(fay, 'start', { timezone: 'x'.repeat(1500) })).message)).toContain("isn't a timezone I know");

    h.hooks.beforeHandle = () => Promise.reject(new Error('database on fire'));
    const failed = await ask(fay, 'today');
    expect(failed).toMatchObject({ kind: 'message', ephemeral: true });
    expect(textOf(failed.message)).toContain('something went wrong');
    expect(h.t.log.errors.map((e) => e.msg)).toEqual(['Discord: the app failed on an interaction']);
    h.t.log.entries.length = 0;
    h.hooks.beforeHandle = undefined;
    expect(textOf((await ask(fay, 'help')).message)).toContain('/learn start');
  });

  it('logs a failed answer with what failed, never the interaction token', async () => {
    fake.fail({ method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/, status: 404, code: 10062, times: 1 });
    const id = fake.slash(people.fay!, { guild }, 'help');
    const [entry] = await eventually(() => {
      expect(h.t.log.errors).toHaveLength(1);
      return h.t.log.errors;
    });
    expect(entry!.msg).toBe('Discord: answering an interaction failed');
    expect(entry!.obj).toMatchObject({ interaction: id, command: 'learn', err: { code: 10062, url: expect.stringContaining(`/interactions/${id}/[token]/callback`) } });
    expect(JSON.stringify(h.t.log.entries)).not.toContain(fake.payloadOf(id).token);
    h.t.log.entries.length = 0;
  });
});

describe('lessons by DM', () => {
  const lessonReply = async (user: APIUser): Promise<Reply> => h.t.learn(user.id, 'today', community);

  it('delivers the daily lesson by DM through the Messenger, and its buttons work there', async () => {
    const gus = people.gus!;
    await ask(gus, 'start', { timezone: 'UTC' });
    const sent = await h.adapter.messenger.sendDirect(at(gus), await lessonReply(gus), 'lesson:gus:2026-11-25');
    expect(sent.channelId).toBe(fake.dmChannelOf(gus.id));
    const [dm] = fake.messagesIn(sent.channelId);
    expect(dm!.id).toBe(sent.ref);
    expect(dm!.embeds[0]?.title).toContain('Lesson 1 of');
    const post = channelPosts(sent.channelId)[0]!.body as { nonce: string; enforce_nonce: boolean };
    expect(post).toMatchObject({ nonce: nonceFor('lesson:gus:2026-11-25'), enforce_nonce: true, allowed_mentions: { parse: [] } });

    // The DM carries no server: the app finds gus's community from the lesson the button belongs to.
    const quiz = await press(gus, dm, 'Take the quiz');
    expect(quiz).toMatchObject({ kind: 'message', ephemeral: false });
    const done = await answerQuiz(gus, quiz.message!, () => 'right');
    expect(textOf(done.message)).toContain('Streak: 1 day');
    const today = await ask(gus, 'today', {}, 'dm');
    expect(today.message!.embeds[0]?.title).toBe(dm!.embeds[0]?.title);

    // The same key again (a retried job) shows nothing new; a known DM channel skips opening it.
    const again = await h.adapter.messenger.sendDirect({ ...at(gus), dmChannelId: sent.channelId }, await lessonReply(gus), 'lesson:gus:2026-11-25');
    expect(again.ref).toBe(sent.ref);
    expect(fake.messagesIn(sent.channelId).filter((m) => !m.webhook_id)).toHaveLength(1);
  });

  it('tells someone who has not started anywhere to start in their server', async () => {
    const reply = await ask(people.newbie!, 'start', { timezone: 'UTC' }, 'dm');
    expect(textOf(reply.message)).toBe(NO_COMMUNITY_YET);
  });

  it('throws RecipientUnreachable when DMs are closed (50007), sending nothing', async () => {
    const hal = people.hal!;
    fake.setDmsOpen(hal.id, false);
    const error = await h.adapter.messenger.sendDirect(at(hal), { text: 'Your lesson' }, 'lesson:hal:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipientUnreachable);
    expect((error as RecipientUnreachable).reason).toContain('50007');
    expect(fake.messagesIn(fake.dmChannelOf(hal.id))).toEqual([]);
    // The scheduler's one-time note in the server goes through.
    const note = await h.adapter.messenger.sendToChannel(guild.id, cohortChannel, { text: 'Hal, your DMs are closed: open them to get lessons.' }, 'unreachable:hal');
    expect(fake.messages.get(note.ref)?.channel_id).toBe(cohortChannel);
  });

  it('rides out a 429 storm (Retry-After honoured): every lesson arrives once', async () => {
    fake.fail({ method: 'POST', path: /^\/channels\/\d+\/messages$/, status: 429, times: 6, retryAfter: 0.1 });
    fake.fail({ method: 'POST', path: /^\/users\/@me\/channels$/, status: 429, times: 1, retryAfter: 0.1, global: true });
    const sent = await Promise.all(crowd.map((u, i) => h.adapter.messenger.sendDirect(at(u), { title: 'Lesson', text: `Lesson for ${u.username}` }, `lesson:crowd${i}:1`)));
    for (const [i, u] of crowd.entries()) {
      const messages = fake.messagesIn(fake.dmChannelOf(u.id));
      expect(messages.map((m) => m.id)).toEqual([sent[i]!.ref]);
    }
    const limited = fake.requests.filter((r) => r.status === 429);
    expect(limited.length).toBe(7);
    expect(h.t.log.entries.filter((e) => e.msg === 'Discord: rate limited; waiting').length).toBeGreaterThan(0);
  });

  it('rides out a 5xx burst, including lost responses: nothing lost, nothing doubled', async () => {
    // A worker process: a Messenger without a gateway connection, with discord.js's default retries.
    const log = new RecordingLog();
    const worker = createDiscordAdapter({
      config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl },
      handle: () => Promise.reject(new Error('workers take no interactions')),
      handleDirect: () => Promise.reject(new Error('workers take no interactions')),
      log,
      rest: { retries: 3, offset: 0 },
    });
    const ivy = people.ivy!;
    const dm = fake.dmChannelOf(ivy.id);
    fake.fail({ method: 'POST', path: new RegExp(`^/channels/${dm}/messages$`), status: 502, times: 2, afterEffect: true });
    fake.fail({ method: 'POST', path: new RegExp(`^/channels/${dm}/messages$`), status: 503, times: 1 });
    const first = await worker.messenger.sendDirect(at(ivy), { text: 'Lesson one' }, 'lesson:ivy:1');
    expect(fake.messagesIn(dm).map((m) => m.id)).toEqual([first.ref]);
    const attempts = channelPosts(dm);
    expect(attempts.map((r) => r.status)).toEqual([502, 502, 503, 200]);
    expect(new Set(attempts.map((r) => (r.body as { nonce: string }).nonce)).size).toBe(1);

    // Retries exhausted (the job fails and runs again later with the same key): still exactly one message.
    fake.fail({ method: 'POST', path: new RegExp(`^/channels/${dm}/messages$`), status: 502, times: 4, afterEffect: true });
    await expect(worker.messenger.sendDirect(at(ivy), { text: 'Lesson two' }, 'lesson:ivy:2')).rejects.toThrow();
    const retried = await worker.messenger.sendDirect(at(ivy), { text: 'Lesson two' }, 'lesson:ivy:2');
    expect(fake.messagesIn(dm).map((m) => m.content)).toEqual(['Lesson one', 'Lesson two']);
    expect(fake.messages.get(retried.ref)?.content).toBe('Lesson two');
    expect(log.errors).toEqual([]);
    await worker.stop();
  });

  it('names the missing permission when Discord refuses a channel post (50013, 50001), with and without the gateway cache', async () => {
    const worker = new RecordingLog();
    const offline = createDiscordAdapter({
      config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl },
      handle: () => Promise.reject(new Error('unused')),
      handleDirect: () => Promise.reject(new Error('unused')),
      log: worker,
      rest: FAST_REST,
    });
    for (const [messenger, log] of [[h.adapter.messenger, h.t.log], [offline.messenger, worker]] as const) {
      // Permanent: retrying cannot grant a permission, so the job stops instead of retrying.
      await expect(messenger.sendToChannel(guild.id, lockedChannel, { text: 'Challenge posted' }, `post:${lockedChannel}`)).rejects.toThrow(PermanentJobError);
      await expect(messenger.sendToChannel(guild.id, hiddenChannel, { text: 'Challenge posted' }, `post:${hiddenChannel}`)).rejects.toThrow('Discord 50001');
      const lines = log.errors.map((e) => e.msg ?? '');
      expect(lines[0]).toContain(`the bot lacks the SendMessages permission`);
      expect(lines[0]).toContain(lockedChannel);
      expect(lines[1]).toContain('the bot lacks the ViewChannel permission');
      expect(log.errors.map((e) => e.obj)).toMatchObject([
        { code: 50013, channel: lockedChannel, missing: ['SendMessages'] },
        { code: 50001, channel: hiddenChannel, missing: ['ViewChannel'] },
      ]);
      log.entries.length = 0;
    }
    await offline.stop();
  });
});

describe('mentions', () => {
  it('pings nobody, whatever users typed (@everyone, @here, roles, users)', async () => {
    const pinger = people.pinger!;
    const roleId = guild.roles[1]!.id;
    const typed = `@everyone @here <@&${roleId}> <@${people.ada!.id}>`;
    // The fake pings as Discord does when allowed_mentions is left out: the assertions below can fail.
    expect(resolveMentions(typed, undefined, fake.users)).toMatchObject({ mention_everyone: true, mention_roles: [roleId] });

    const refused = await ask(pinger, 'start', { timezone: typed });
    expect(refused.message!.content).toContain('@everyone');
    const welcome = await ask(pinger, 'start', { timezone: 'UTC' });
    expect(textOf(welcome.message)).toContain('Welcome to **Backend Foundations**, @everyone!');
    const dm = await h.adapter.messenger.sendDirect(at(pinger), { text: `Hi ${typed}` }, 'nudge:pinger:1');
    const post = await h.adapter.messenger.sendToChannel(guild.id, cohortChannel, { text: `Digest: ${typed}` }, 'digest:1');

    for (const message of [refused.message!, welcome.message!, fake.messages.get(dm.ref)!, fake.messages.get(post.ref)!]) {
      expect(message).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
    }
    // Every message payload the bot sent: interaction replies and updates, edits, follow-ups, channel posts.
    const payloads = fake.requests.flatMap((r) => {
      const body = r.body as { type?: number; data?: { allowed_mentions?: unknown }; allowed_mentions?: unknown } | null;
      if (r.path.endsWith('/callback')) {
        const carriesMessage = body?.type === InteractionResponseType.ChannelMessageWithSource || body?.type === InteractionResponseType.UpdateMessage;
        return carriesMessage ? [body.data?.allowed_mentions] : [];
      }
      const sendsMessage = (r.method === 'POST' && /^\/(channels\/\d+\/messages|webhooks\/\d+\/[^/]+)$/.test(r.path)) || (r.method === 'PATCH' && r.path.startsWith('/webhooks/'));
      return sendsMessage ? [body?.allowed_mentions] : [];
    });
    expect(payloads.length).toBeGreaterThanOrEqual(4);
    for (const allowed of payloads) expect(allowed).toEqual({ parse: [], replied_user: false });
  });

  it('pings exactly the one learner a notice is about, and nobody its text names', async () => {
    const ada = people.ada!;
    const sent = await h.adapter.messenger.sendToChannel(guild.id, cohortChannel, { text: `I couldn't DM you. @everyone <@&${guild.roles[1]!.id}>`, mentionUser: ada.id }, 'unreachable:ada');
    const message = fake.messages.get(sent.ref)!;
    expect(message).toMatchObject({ mention_everyone: false, mention_roles: [] });
    expect(message.mentions.map((m: { id: string }) => m.id)).toEqual([ada.id]);
  });
});

describe('the fake gateway', () => {
  it('speaks zlib-stream when a client asks for it', async () => {
    const ws = new WebSocket(`${fake.wsUrl}/?v=10&encoding=json&compress=zlib-stream`);
    const inflate = createInflate();
    const hello = new Promise<{ op: number }>((resolve) => inflate.on('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString('utf8')))));
    ws.on('message', (data: Buffer) => inflate.write(data));
    expect((await hello).op).toBe(GatewayOpcodes.Hello);
    ws.close();
  });
});

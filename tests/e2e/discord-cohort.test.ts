// Cohorts in Discord, end to end: the real discord.js Client and the real app (real Postgres) against the fake
// Discord. Leads (Manage Server, then a lead role) set the channel and post a challenge, a learner submits through
// the form, the lead reviews, and stats and export come back as attachments; non-leads and other servers change nothing.
import { ApplicationCommandOptionType, ComponentType, InteractionResponseType, PermissionFlagsBits, type APIMessage, type APIUser } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NOT_A_LEAD } from '../../src/app/cohort/lead.js';
import { PermanentJobError } from '../../src/app/jobs/errors.js';
import type { CommunityRef } from '../../src/app/ports.js';
import type { FakeGuild } from '../fakes/discord-model.js';
import type { FakeDiscord, Outcome } from '../fakes/discord-server.js';
import { buttonsOf, customIdOf, eventually, registerFor, startHarness, textOf, type Harness } from './discord-harness.js';

let h: Harness;
let fake: FakeDiscord;
let guild: FakeGuild;
let other: FakeGuild;
let community: CommunityRef;
let cohortChannel: string;
let generalChannel: string;
let noFilesChannel: string;
let mentorsRole: string;
const people: Record<'owner' | 'mia' | 'rita' | 'uma' | 'lou' | 'kim' | 'ned' | 'olga', APIUser> = {} as never;

const TEMPLATE = 'cache-slow-endpoint';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

beforeAll(async () => {
  h = await startHarness((f) => {
    people.owner = f.addUser('owner');
    guild = f.addGuild('Backend Club', people.owner);
    const admins = f.addRole(guild, 'Admins', PermissionFlagsBits.ManageGuild);
    mentorsRole = f.addRole(guild, 'Mentors', 0n);
    for (const name of ['mia', 'rita', 'uma', 'lou', 'kim', 'ned'] as const) people[name] = f.addUser(name, { globalName: name[0]!.toUpperCase() + name.slice(1) });
    f.join(guild, people.mia, [admins]);
    f.join(guild, people.rita, [mentorsRole]);
    for (const name of ['uma', 'lou', 'kim', 'ned'] as const) f.join(guild, people[name]);
    cohortChannel = f.addChannel(guild, 'cohort');
    noFilesChannel = f.addChannel(guild, 'no-files', PermissionFlagsBits.AttachFiles);
    generalChannel = guild.channels[0]!.id;
    people.olga = f.addUser('olga', { globalName: 'Olga' });
    other = f.addGuild('Other Club', people.olga);
  });
  fake = h.fake;
  community = { platform: 'discord', externalId: guild.id };
  await registerFor(h);
});
afterAll(async () => h?.stop());

afterEach(() => {
  h.hooks.beforeHandle = undefined;
  expect(fake.violations).toEqual([]);
  expect(h.t.log.errors).toEqual([]);
});

type Where = { guild: FakeGuild; channelId?: string };
const cohort = (user: APIUser, sub: string, options: Record<string, string | number> = {}, where: Where = { guild }) =>
  fake.outcome(fake.slash(user, where, sub, options, 'cohort'));
const press = (user: APIUser, message: APIMessage | undefined, label: string | RegExp) => fake.outcome(fake.press(user, message!, customIdOf(message, label)));
const settings = async () => h.t.app.stores.communities.settings((await h.t.app.stores.communities.ensure(community)).id);
const dmsTo = (user: APIUser) => fake.messagesIn(fake.dmChannelOf(user.id));
const postsIn = (channelId: string) => fake.messagesIn(channelId).filter((m) => !m.webhook_id);
/** The fields a modal shows, by custom_id, with whether each is required and what it is pre-filled with. */
const fieldsOf = (outcome: Outcome) =>
  outcome.modal!.components.map((c) => {
    const input = (c as { component: { custom_id: string; required?: boolean; value?: string } }).component;
    return { name: input.custom_id, required: input.required ?? true, value: input.value };
  });

let challengeId = 0;
let post: APIMessage;

describe('/cohort registration', () => {
  it("offers the course's challenge templates as the choices of /cohort challenge post", () => {
    const registered = fake.commands.get('global')!.find((c) => c.name === 'cohort')!;
    const group = registered.options!.find((o) => o.name === 'challenge' && o.type === ApplicationCommandOptionType.SubcommandGroup) as { options: { name: string; options?: { name: string; required?: boolean; choices?: { value: string }[] }[] }[] };
    const postOptions = group.options.find((o) => o.name === 'post')!.options!;
    expect(postOptions.map((o) => [o.name, o.required])).toEqual([['template', true], ['deadline', false]]);
    expect(postOptions[0]!.choices!.map((c) => c.value)).toEqual(h.t.app.catalog.course.challenges.map((t) => t.id));
    expect(group.options.map((o) => o.name)).toEqual(['new', 'post', 'list', 'close', 'extend']);
  });
});

describe('leads', () => {
  it('refuses a member who is no lead, privately, and changes nothing', async () => {
    for (const [sub, options] of [['channel', { channel: cohortChannel }], ['stats', {}], ['leads add', { who: people.ned.id }]] as const) {
      const refused = await cohort(people.ned, sub, options);
      expect(refused).toMatchObject({ kind: 'message', ephemeral: true });
      expect(textOf(refused.message)).toBe(NOT_A_LEAD);
    }
    // A lead role counts only once a lead adds it.
    expect(textOf((await cohort(people.rita, 'review')).message)).toBe(NOT_A_LEAD);
    expect(await settings()).toMatchObject({ leadUserIds: [], leadRoleIds: [] });
    expect((await settings()).cohortChannelId ?? null).toBeNull();
  });

  it('lets a Manage Server member set the cohort channel (this one, or the one named) and add people and roles as leads', async () => {
    const here = await cohort(people.mia, 'channel', {}, { guild, channelId: generalChannel });
    expect(textOf(here.message)).toContain(`now go to <#${generalChannel}>`);
    expect((await settings()).cohortChannelId).toBe(generalChannel);
    const named = await cohort(people.mia, 'channel', { channel: cohortChannel });
    expect(named).toMatchObject({ kind: 'message', ephemeral: true });
    expect((await settings()).cohortChannelId).toBe(cohortChannel);
    // The rendered reply names the channel without pinging anything.
    expect(named.message).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });

    // `who` is one Mentionable option: Discord says whether the id is a role or a person.
    expect(textOf((await cohort(people.mia, 'leads add', { who: mentorsRole })).message)).toContain(`Added role ${mentorsRole}`);
    expect(textOf((await cohort(people.mia, 'leads add', { who: people.uma.id })).message)).toContain(`Added person ${people.uma.id}`);
    expect(await settings()).toMatchObject({ leadRoleIds: [mentorsRole], leadUserIds: [people.uma.id] });
    expect(textOf((await cohort(people.uma, 'leads remove', { who: people.uma.id })).message)).toContain(`Removed person ${people.uma.id}`);
    expect(textOf((await cohort(people.uma, 'leads list')).message)).toBe(NOT_A_LEAD);

    // A member of the lead role leads without Manage Server.
    const list = await cohort(people.rita, 'leads list');
    expect(textOf(list.message)).toBe(`Leads besides admins: role ${mentorsRole}.`);
  });

  it('refuses a channel the bot could not post in, naming what its role lacks there', async () => {
    const before = (await settings()).cohortChannelId;
    const noFiles = await cohort(people.mia, 'channel', { channel: noFilesChannel });
    expect(noFiles).toMatchObject({ kind: 'message', ephemeral: true });
    expect(textOf(noFiles.message)).toBe(
      `I couldn't post in <#${noFilesChannel}>: my role lacks Attach Files there. Grant it in the channel's settings (Permissions), then run \`/cohort channel\` again.`,
    );
    expect((await settings()).cohortChannelId).toBe(before);
  });

  it('sets the cohort timezone with an autocompleted zone', async () => {
    const typed = await fake.outcome(fake.autocomplete(people.rita, { guild }, 'settings', { key: 'timezone', value: 'berl' }, 'value', 'cohort'));
    expect(typed.choices?.map((c) => c.value)).toContain('Europe/Berlin');
    const set = await cohort(people.rita, 'settings', { key: 'timezone', value: 'Europe/Berlin' });
    expect(textOf(set.message)).toContain('Deadlines and the digest now follow **Europe/Berlin**.');
    expect(textOf(set.message)).toContain(`<#${cohortChannel}>`);
  });
});

describe('a challenge', () => {
  it('is posted from a template by a role lead: a card with a Submit button in the cohort channel', async () => {
    const before = postsIn(cohortChannel).length;
    const posted = await cohort(people.rita, 'challenge post', { template: TEMPLATE, deadline: '2026-12-02 18:00' });
    expect(posted).toMatchObject({ kind: 'message', ephemeral: true });
    const template = h.t.app.catalog.course.challenges.find((t) => t.id === TEMPLATE)!;
    expect(textOf(posted.message)).toContain(`Posted in the cohort channel: **#`);
    expect(textOf(posted.message)).toContain('Wed 2 Dec 2026, 18:00 (Europe/Berlin)');
    challengeId = Number(/#(\d+)/.exec(textOf(posted.message))![1]);

    const posts = postsIn(cohortChannel);
    expect(posts).toHaveLength(before + 1);
    post = posts.at(-1)!;
    expect(post.embeds[0]?.title).toBe(`🏁 Challenge #${challengeId}: ${template.title}`);
    expect(post.embeds[0]?.fields?.map((f) => f.name)).toEqual(expect.arrayContaining(['Deadline', 'Points']));
    expect(buttonsOf(post).map((b) => [b.label, b.custom_id])).toEqual([['Submit', `v1:sub:${challengeId}`]]);
    expect(post).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
    expect((await h.t.app.stores.challenges.get((await h.t.app.stores.communities.ensure(community)).id, challengeId))?.messageRef).toBe(post.id);
  });

  it('takes a submission through the Submit form, and opens it pre-filled to edit', async () => {
    const form = await press(people.lou, post, 'Submit');
    expect(form.kind).toBe('modal');
    expect(form.modal!.custom_id).toBe(`v1:form:sub:${challengeId}`);
    expect(fieldsOf(form)).toEqual([
      { name: 'link', required: true, value: undefined },
      { name: 'note', required: false, value: undefined },
    ]);
    const link = 'https://github.com/lou/cache';
    const sent = await fake.outcome(fake.submit(people.lou, form.modal!, { link, note: 'p99 from 900 ms to 40 ms' }, { guild }, post));
    expect(sent).toMatchObject({ kind: 'message', ephemeral: true });
    expect(textOf(sent.message)).toContain('📬 Submitted to **Cache a slow endpoint');
    // The post itself is untouched.
    expect(fake.messages.get(post.id)?.edited_timestamp).toBeNull();

    const again = await press(people.lou, post, 'Submit');
    expect(again.modal!.title).toBe('Edit your submission');
    expect(fieldsOf(again)).toEqual([
      { name: 'link', required: true, value: link },
      { name: 'note', required: false, value: 'p99 from 900 ms to 40 ms' },
    ]);

    const kim = await press(people.kim, post, 'Submit');
    await fake.outcome(fake.submit(people.kim, kim.modal!, { link: 'https://github.com/kim/cache', note: '' }, { guild }, post));
  });

  it('is reviewed: Accept updates the queue in place and DMs the learner; Request changes asks for feedback by form', async () => {
    const queue = await cohort(people.rita, 'review');
    expect(queue.message!.embeds[0]?.title).toBe('Review queue: 2 waiting');
    expect(buttonsOf(queue.message).map((b) => b.label)).toEqual(['Accept Lou', 'Request changes (Lou)', 'Accept Kim', 'Request changes (Kim)']);

    const accepted = await press(people.rita, queue.message, 'Accept Lou');
    expect(accepted).toMatchObject({ kind: 'update', ephemeral: true });
    expect(accepted.message!.id).toBe(queue.message!.id);
    expect(textOf(accepted.message)).toContain("✅ Accepted Lou's **Cache a slow endpoint and measure p50 and p99** (+40 points). They have been told by DM.");
    expect(buttonsOf(accepted.message).map((b) => b.label)).toEqual(['Accept Kim', 'Request changes (Kim)']);
    const [decision] = dmsTo(people.lou);
    expect(decision?.content).toContain('🎉 Your submission to **Cache a slow endpoint and measure p50 and p99** was accepted: +40 points.');
    expect(buttonsOf(decision).map((b) => b.custom_id)).toEqual(['v1:run:leaderboard']);

    const form = await press(people.rita, accepted.message, 'Request changes (Kim)');
    expect(form.modal!.custom_id).toMatch(/^v1:form:chg:\d+$/);
    expect(fieldsOf(form)).toEqual([{ name: 'feedback', required: true, value: undefined }]);
    const asked = await fake.outcome(fake.submit(people.rita, form.modal!, { feedback: 'Show the p99 before and after.' }, { guild }, accepted.message));
    expect(textOf(asked.message)).toContain("✏️ Asked Kim for changes to **Cache a slow endpoint and measure p50 and p99**. They have been told by DM.");
    const [changes] = dmsTo(people.kim);
    expect(changes?.content).toContain('> Show the p99 before and after.');
    expect(buttonsOf(changes).map((b) => [b.label, b.custom_id])).toEqual([['Submit again', `v1:sub:${challengeId}`]]);

    // The DM carries no server: the app finds Kim's, and the form opens with her submission filled in.
    const again = await press(people.kim, changes, 'Submit again');
    expect(again.modal?.title).toBe('Edit your submission');
    expect(fieldsOf(again)[0]).toMatchObject({ name: 'link', value: 'https://github.com/kim/cache' });
    const resubmitted = await fake.outcome(fake.submit(people.kim, again.modal!, { link: 'https://github.com/kim/cache-v2', note: 'p99 before: 900 ms, after: 45 ms' }, 'dm', changes));
    expect(textOf(resubmitted.message)).toContain('📝 Updated your submission to **Cache a slow endpoint and measure p50 and p99**');
    expect(buttonsOf((await cohort(people.rita, 'review')).message).map((b) => b.label)).toEqual(['Accept Kim', 'Request changes (Kim)']);
  });

  it('is closed and extended by number (an integer option)', async () => {
    const closed = await cohort(people.rita, 'challenge close', { challenge: challengeId });
    expect(textOf(closed.message)).toContain(`**#${challengeId} Cache a slow endpoint and measure p50 and p99** is closed: 2 submitted, 1 accepted, 1 to review`);
    const before = postsIn(cohortChannel).length;
    const extended = await cohort(people.rita, 'challenge extend', { challenge: challengeId, deadline: '2026-12-09' });
    expect(textOf(extended.message)).toContain('is now due Wed 9 Dec 2026, 23:59 (Europe/Berlin)');
    expect(textOf(extended.message)).toContain('I announced it in the cohort channel.');
    expect(postsIn(cohortChannel)).toHaveLength(before + 1);
    const list = await cohort(people.rita, 'challenge list');
    expect(textOf(list.message)).toContain(`**#${challengeId} Cache a slow endpoint and measure p50 and p99** (40 pts) · due Wed 9 Dec 2026, 23:59 (Europe/Berlin)`);
  });

  it('is written in the 5-field form of /cohort challenge new, which a slow answer reopens from a button', async () => {
    const form = await cohort(people.mia, 'challenge new');
    expect(form.kind).toBe('modal');
    expect(form.modal).toMatchObject({ custom_id: 'v1:form:chal:0', title: 'New challenge' });
    expect(fieldsOf(form).map((f) => [f.name, f.required])).toEqual([
      ['title', true],
      ['description', true],
      ['acceptance', false],
      ['deadline', true],
      ['points', true],
    ]);
    expect(form.modal!.components.every((c) => c.type === ComponentType.Label)).toBe(true);

    // Acknowledged late, a modal cannot follow: the reply carries the form's own reopen button.
    let release!: () => void;
    h.hooks.beforeHandle = () => new Promise<void>((resolve) => (release = resolve));
    const slow = fake.slash(people.mia, { guild }, 'challenge new', {}, 'cohort');
    await eventually(() => expect(fake.callbacksOf(slow).map((c) => c.type)).toEqual([InteractionResponseType.DeferredChannelMessageWithSource]));
    release();
    const fallback = await fake.outcome(slow);
    expect(fallback).toMatchObject({ kind: 'message', deferred: true, ephemeral: true });
    expect(customIdOf(fallback.message, 'New challenge')).toBe('v1:co:challenge-new');
    h.hooks.beforeHandle = undefined;
    const reopened = await press(people.mia, fallback.message, 'New challenge');
    expect(reopened.modal?.custom_id).toBe('v1:form:chal:0');

    const before = postsIn(cohortChannel).length;
    const fields = { title: 'Add an index', description: 'Find the slowest query and index it.', acceptance: '- EXPLAIN before\n- EXPLAIN after', deadline: '+7d', points: '15' };
    const created = await fake.outcome(fake.submit(people.mia, reopened.modal!, fields, { guild }, fallback.message));
    expect(textOf(created.message)).toContain('Posted in the cohort channel: **#');
    const card = postsIn(cohortChannel)[before]!;
    expect(card.embeds[0]?.title).toMatch(/^🏁 Challenge #\d+: Add an index$/);
    expect(card.embeds[0]?.fields?.find((f) => f.name === 'Done when')?.value).toBe('• EXPLAIN before\n• EXPLAIN after');
  });
});

describe('cohort reports', () => {
  it('/cohort stats answers with the numbers and a PNG chart whose alt text is the attachment description', async () => {
    const stats = await cohort(people.mia, 'stats');
    expect(stats).toMatchObject({ kind: 'message', ephemeral: true });
    expect(stats.message!.embeds[0]?.title).toBe('Cohort stats: Backend Foundations');
    const [chart, ...rest] = stats.message!.attachments;
    expect(rest).toEqual([]);
    expect(chart).toMatchObject({ filename: 'cohort-stats.png', content_type: 'image/png' });
    expect(chart!.description).toMatch(/^Bar charts\. Quiz accuracy per lesson: .+Current streaks: /);
    const png = fake.download(chart!);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('/cohort export answers with the learners, answers and submissions as CSV files', async () => {
    const exported = await cohort(people.rita, 'export');
    expect(exported).toMatchObject({ kind: 'message', ephemeral: true });
    expect(textOf(exported.message)).toContain('Cohort export: 2 learners');
    const files = new Map(exported.message!.attachments.map((a) => [a.filename, fake.download(a).toString('utf8')]));
    expect([...files.keys()]).toEqual(['cohort-learners-2026-11-25.csv', 'cohort-answers-2026-11-25.csv', 'cohort-submissions-2026-11-25.csv']);
    const learners = files.get('cohort-learners-2026-11-25.csv')!.split('\r\n');
    expect(learners[0]).toBe(
      'learner_id,name,timezone,status,joined_at,lessons_delivered,quizzes_finished,answers,correct,accuracy_pct,practice_logs,streak_current,streak_longest,last_active_day,challenge_points',
    );
    expect(learners.find((row) => row.startsWith(`${people.lou.id},Lou,`))?.endsWith(',40')).toBe(true);
    const submissions = files.get('cohort-submissions-2026-11-25.csv')!.split('\r\n');
    expect(submissions[0]).toBe('challenge,challenge_title,learner_id,name,link,note,status,late,submitted_at,updated_at,reviewer,feedback,points,self_reviewed');
    expect(submissions.some((row) => row.includes('https://github.com/lou/cache') && row.includes(',accepted,'))).toBe(true);
  });

  it('leaves out an export file over the upload limit, saying so, and attaches the rest', async () => {
    fake.uploadLimit = 150;
    try {
      const exported = await cohort(people.rita, 'export');
      expect(exported.message!.attachments.map((a) => a.filename)).toEqual(['cohort-answers-2026-11-25.csv']);
      expect(exported.message!.content).toMatch(
        /^Cohort export: 2 learners, .+\n\ncohort-learners-2026-11-25\.csv \(\d+ bytes\) is too big to attach here: Discord's limit is 150 bytes\.\ncohort-submissions-2026-11-25\.csv \(\d+ bytes\) is too big/,
      );
    } finally {
      fake.uploadLimit = 10 * 1024 * 1024;
    }
  });

  it('posts pictures and files in a channel with their alt text, and names AttachFiles when the channel withholds it', async () => {
    const png = Uint8Array.from([...PNG_SIGNATURE, 0, 0, 0, 13]);
    const reply = { text: 'This week', images: [{ name: 'week.png', data: png, alt: 'Streaks this week: 3 learners at 5+ days' }], files: [{ name: 'week.csv', content: 'a,b\r\n1,2\r\n' }] };
    const sent = await h.adapter.messenger.sendToChannel(guild.id, cohortChannel, reply, 'chart:week-48');
    const message = fake.messages.get(sent.ref)!;
    expect(message.attachments.map((a) => [a.filename, a.description ?? null])).toEqual([
      ['week.png', 'Streaks this week: 3 learners at 5+ days'],
      ['week.csv', null],
    ]);
    expect(fake.download(message.attachments[0]!)).toEqual(Buffer.from(png));
    expect(fake.download(message.attachments[1]!).toString('utf8')).toBe('a,b\r\n1,2\r\n');

    await expect(h.adapter.messenger.sendToChannel(guild.id, noFilesChannel, reply, 'chart:week-48:no-files')).rejects.toThrow(PermanentJobError);
    expect(h.t.log.errors.map((e) => e.obj)).toMatchObject([{ code: 50013, channel: noFilesChannel, missing: ['AttachFiles'] }]);
    h.t.log.entries.length = 0;
  });

  it('/cohort digest posts the weekly digest in the cohort channel', async () => {
    const before = postsIn(cohortChannel).length;
    const posted = await cohort(people.rita, 'digest');
    expect(textOf(posted.message)).toContain('Posted the digest in the cohort channel.');
    expect(postsIn(cohortChannel)).toHaveLength(before + 1);
  });
});

describe('other servers', () => {
  it("changes nothing when another server's lead crafts Accept and Request changes for this server's submission", async () => {
    // ned submits here; olga leads (owns) Other Club.
    const form = await press(people.ned, post, 'Submit');
    await fake.outcome(fake.submit(people.ned, form.modal!, { link: 'https://github.com/ned/cache' }, { guild }, post));
    const queue = await cohort(people.rita, 'review');
    const accept = customIdOf(queue.message, 'Accept Ned');
    const submissionId = Number(/^v1:acc:(\d+)$/.exec(accept)![1]);

    const elsewhere = (await cohort(people.olga, 'help', {}, { guild: other })).message!;
    for (const customId of [accept, `v1:chg:${submissionId}`]) {
      const refused = await fake.outcome(fake.press(people.olga, { ...elsewhere, components: [] }, customId));
      expect(refused).toMatchObject({ kind: 'message', ephemeral: true });
      expect(textOf(refused.message)).toBe("That submission isn't in this community's review queue.");
    }
    const crafted = await fake.outcome(fake.submit(people.olga, { custom_id: `v1:form:chg:${submissionId}`, title: 'x', components: [] }, { feedback: 'no' }, { guild: other }));
    expect(textOf(crafted.message)).toBe("That submission isn't in this community's review queue.");

    const { id } = await h.t.app.stores.communities.ensure(community);
    expect((await h.t.app.stores.submissions.find(id, submissionId))?.status).toBe('pending');
    expect(dmsTo(people.ned)).toEqual([]);
    // Ned's submission still waits here, for this server's leads.
    const after = await cohort(people.rita, 'review');
    expect(customIdOf(after.message, 'Accept Ned')).toBe(accept);
  });
});

// Cohorts through the real app layer on real Postgres: leads post challenges, learners submit, leads review.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommunityRef } from '../../src/app/ports.js';
import { createChartRenderer } from '../../src/charts/png.js';
import { quizPoints } from '../../src/core/leaderboard.js';
import { encodeForm, type ActionId, type Reply } from '../../src/core/reply.js';
import { admin, buttons, TestClock, testApp, type As } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { RecordingMessenger } from '../support/recording-messenger.js';

let database: TestDatabase;
let t: Awaited<ReturnType<typeof testApp>>;
let messenger: RecordingMessenger;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());
beforeEach(async () => {
  messenger = new RecordingMessenger();
  // Monday 4 May 2026, 10:00 in Berlin.
  t = await testApp(database, new TestClock(new Date('2026-05-04T08:00:00Z')), { messengers: { console: messenger } });
  t.app.charts = createChartRenderer();
});

/** A fresh community per test, so tests never see each other's rows. */
const newCommunity = (): CommunityRef => ({ platform: 'console', externalId: `c-${randomBytes(4).toString('hex')}` });
const LEAD = admin('lena');

function action<K extends ActionId['kind']>(reply: Reply, kind: K): Extract<ActionId, { kind: K }> {
  const found = buttons(reply).find((b) => b.action.kind === kind);
  if (!found) throw new Error(`no ${kind} button in: ${reply.text}`);
  return found.action as Extract<ActionId, { kind: K }>;
}

/** A community with a cohort channel and timezone, and a posted template challenge; returns its id. */
async function cohortWithChallenge(community: CommunityRef, template = 'cache-slow-endpoint', deadline = ''): Promise<number> {
  await t.cohort(LEAD, 'channel cohort', community);
  await t.cohort(LEAD, 'settings timezone Europe/Berlin', community);
  const posted = await t.cohort(LEAD, `challenge post ${template} ${deadline}`.trim(), community);
  const id = /#(\d+)/.exec(posted.text)?.[1];
  if (!id) throw new Error(`not posted: ${posted.text}`);
  return Number(id);
}

async function submitWork(user: As, challengeId: number, community: CommunityRef, fields = { link: `https://github.com/${typeof user === 'string' ? user : user.externalId}/cache`, note: 'p99 went from 900 ms to 40 ms' }) {
  const form = await t.press(user, { kind: 'submit', challengeId }, community);
  if (!form.modal) return form;
  return t.submit(user, encodeForm(form.modal.form), fields, community);
}

async function submissionId(user: string, challengeId: number, community: CommunityRef): Promise<number> {
  const { id } = await t.app.stores.communities.ensure(community);
  const learnerId = await t.learnerId(user, community);
  return (await t.app.stores.submissions.mine(id, challengeId, learnerId))!.id;
}

async function finishQuizRight(user: string, community: CommunityRef) {
  let reply = await t.learn(user, 'quiz', community);
  for (let i = 0; i < 10 && buttons(reply)[0]?.action.kind === 'answer'; i++) {
    const first = buttons(reply)[0]!.action;
    if (first.kind !== 'answer') break;
    const delivery = await t.app.stores.deliveries.find(first.deliveryId);
    const question = t.app.catalog.lesson(delivery!.lessonId)!.quiz[first.question]!;
    reply = await t.press(user, { ...first, choice: question.answer }, community);
  }
}

describe('the challenge lifecycle', () => {
  it('posts a template, takes a submission, edits it, requests changes, accepts it and ranks the learner', async () => {
    const community = newCommunity();
    expect((await t.cohort(LEAD, 'channel cohort', community)).text).toContain('#cohort');
    expect((await t.cohort(LEAD, 'settings timezone Europe/Berlin', community)).text).toContain('Europe/Berlin');
    const posted = await t.cohort(LEAD, 'challenge post cache-slow-endpoint', community);
    expect(posted.text).toContain('Posted in the cohort channel');
    // 7 suggested days, end of day in Berlin (CEST, UTC+2).
    expect(posted.text).toContain('Mon 11 May 2026, 23:59 (Europe/Berlin)');
    expect(posted.text).toContain('24h before and 1h before');
    const challengeId = Number(/#(\d+)/.exec(posted.text)![1]);

    const [post] = messenger.sent.filter((s) => s.channel === 'cohort');
    expect(post!.key).toBe(`challenge:${challengeId}:post`);
    expect(post!.reply.title).toContain('Cache a slow endpoint');
    expect(post!.reply.fields?.find((f) => f.name === 'Points')?.value).toBe('40');
    expect(action(post!.reply, 'submit')).toEqual({ kind: 'submit', challengeId });

    await t.learn('ada', 'start Europe/Berlin 09:00', community);
    await finishQuizRight('ada', community);
    const mine = await t.learn('ada', 'challenges', community);
    expect(mine.text).toContain('not submitted yet');
    expect(action(mine, 'submit').challengeId).toBe(challengeId);

    const form = await t.press('ada', action(post!.reply, 'submit'), community);
    expect(form.modal?.form).toEqual({ kind: 'submit', challengeId });
    expect(form.modal?.fields.map((f) => f.name)).toEqual(['link', 'note']);
    const submitted = await t.submit('ada', encodeForm(form.modal!.form), { link: 'https://github.com/ada/cache', note: 'first try' }, community);
    expect(submitted.text).toContain('Submitted to **Cache a slow endpoint');
    expect(submitted.text).toContain('edit it until the deadline');

    // Editing before the deadline: the form comes back filled in, and the one submission is replaced.
    const again = await t.press('ada', { kind: 'submit', challengeId }, community);
    expect(again.modal?.title).toBe('Edit your submission');
    expect(again.modal?.fields.find((f) => f.name === 'link')?.value).toBe('https://github.com/ada/cache');
    const edited = await t.submit('ada', encodeForm(again.modal!.form), { link: 'https://github.com/ada/cache2', note: 'now with p99' }, community);
    expect(edited.text).toContain('Updated your submission');
    const [row] = await database.sql`select count(*)::int as n, max(link) as link from submissions where challenge_id = ${challengeId}`;
    expect(row).toEqual({ n: 1, link: 'https://github.com/ada/cache2' });

    const queue = await t.cohort(LEAD, 'review', community);
    expect(queue.title).toBe('Review queue: 1 waiting');
    expect(queue.text).toContain('**ada** on **#');
    expect(queue.text).toContain('https://github.com/ada/cache2');
    const changes = await t.press(LEAD, action(queue, 'changes'), community);
    expect(changes.modal?.form.kind).toBe('changes');
    const asked = await t.submit(LEAD, encodeForm(changes.modal!.form), { feedback: 'Add the raw hey output, please.' }, community);
    expect(asked.text).toContain('Asked ada for changes');
    expect(asked.text).toContain('They have been told by DM.');
    const [changesDm] = messenger.to('ada').filter((m) => m.key.startsWith('review:'));
    expect(changesDm!.reply.text).toContain('Add the raw hey output, please.');
    expect((await t.learn('ada', 'challenges', community)).text).toContain('changes requested');

    await submitWork('ada', challengeId, community);
    const accepted = await t.press(LEAD, action(await t.cohort(LEAD, 'review', community), 'accept'), community);
    expect(accepted.text).toContain("Accepted ada's **Cache a slow endpoint");
    expect(accepted.text).toContain('+40 points');
    expect(accepted.update).toBe(true);
    expect(accepted.text).toContain('Nothing waiting for review');
    const acceptDm = messenger.to('ada').filter((m) => m.key.startsWith('review:')).at(-1)!;
    expect(acceptDm.reply.text).toContain('accepted: +40 points');
    // Accepted is final: no second acceptance, no more edits.
    expect((await t.press(LEAD, { kind: 'accept', submissionId: await submissionId('ada', challengeId, community) }, community)).text).toContain('already accepted');
    expect((await t.press('ada', { kind: 'submit', challengeId }, community)).text).toContain('nothing left to change');
    const [reviews] = await database.sql`select count(*)::int as n, sum(points)::int as points from reviews r join submissions s on s.id = r.submission_id where s.challenge_id = ${challengeId}`;
    expect(reviews).toEqual({ n: 2, points: 40 });

    const board = await t.learn('ada', 'leaderboard', community);
    const quiz = quizPoints(t.app.catalog.lessonAt(0)!.quiz.length, t.app.catalog.lessonAt(0)!.quiz.length);
    expect(board.text).toContain(`🥇 ada: ${40 + quiz} pts (40 challenges + ${quiz} quiz)** ← you`);

    const list = await t.cohort(LEAD, 'challenge list', community);
    expect(list.text).toContain('1 submitted, 1 accepted, 0 to review');

    const stats = await t.cohort(LEAD, 'stats', community);
    expect(stats.fields?.find((f) => f.name === 'Participation')?.value).toBe('1 learner, 1 active in the last 7 days (100%)');
    expect(stats.fields?.find((f) => f.name === 'Quiz accuracy per lesson')?.value).toContain('1. Backend is relative: 100% of');
    const [image] = stats.images ?? [];
    expect(image?.name).toBe('cohort-stats.png');
    expect([...image!.data.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(image!.alt).toContain('lesson 1 100%');
    expect(t.log.errors).toEqual([]);
  });

  it('creates a challenge from the form, checking every field again', async () => {
    const community = newCommunity();
    expect((await t.cohort(LEAD, 'challenge new', community)).text).toContain('There is no cohort channel yet');
    await t.cohort(LEAD, 'channel cohort', community);
    const form = await t.cohort(LEAD, 'challenge new', community);
    expect(form.modal?.fields.map((f) => f.name)).toEqual(['title', 'description', 'acceptance', 'deadline', 'points']);
    // The form's reopen button (platforms that must defer a modal) opens it again, for leads only.
    expect((await t.press(LEAD, form.modal!.reopen!, community)).modal?.form).toEqual({ kind: 'challenge' });
    expect((await t.press('mallory', form.modal!.reopen!, community)).text).toContain('Only cohort leads');
    const formId = encodeForm(form.modal!.form);
    const fields = { title: 'Rate-limit an API', description: 'Add a token bucket to one endpoint and show it working.', acceptance: '- 429 with Retry-After\n- a load test', deadline: '2026-05-08 18:00', points: '30' };
    expect((await t.submit(LEAD, formId, { ...fields, deadline: 'soonish' })).text).toContain("can't read \"soonish\"");
    expect((await t.submit(LEAD, formId, { ...fields, points: 'lots' }, community)).text).toContain('Points are a whole number');
    expect((await t.submit(LEAD, formId, { ...fields, deadline: '2026-05-01 18:00' }, community)).text).toContain('has already passed');
    expect((await t.submit('mallory', formId, fields, community)).text).toContain('Only cohort leads');
    const created = await t.submit(LEAD, formId, fields, community);
    expect(created.text).toContain('Rate-limit an API** (30 points), due Fri 8 May 2026, 18:00 (UTC)');
    const post = messenger.sent.find((s) => s.channel === 'cohort')!;
    expect(post.reply.fields?.find((f) => f.name === 'Done when')?.value).toBe('• 429 with Retry-After\n• a load test');
    const [count] = await database.sql`select count(*)::int as n from challenges where title = 'Rate-limit an API'`;
    expect(count!.n).toBe(1);
  });

  it('answers bad input with a hint and changes nothing', async () => {
    const community = newCommunity();
    await t.cohort(LEAD, 'channel cohort', community);
    expect((await t.cohort(LEAD, 'challenge post', community)).text).toContain('`cache-slow-endpoint`');
    expect((await t.cohort(LEAD, 'challenge post nope', community)).text).toContain('There is no challenge template "nope"');
    expect((await t.cohort(LEAD, 'challenge post cache-slow-endpoint yesterday', community)).text).toContain(`can't read "yesterday"`);
    expect((await t.cohort(LEAD, 'challenge extend #999 +1d', community)).text).toContain('There is no challenge #999');
    expect((await t.cohort(LEAD, 'challenge close twelve', community)).text).toContain('by its number');
    expect((await t.cohort(LEAD, 'dance', community)).text).toContain('I don\'t know "/cohort dance"');
    const group = await t.cohort(LEAD, 'challenge', community);
    expect(group.text).toContain('I don\'t know "/cohort challenge". With challenge, you can use:');
    expect(group.text).toContain('`/cohort challenge post <template> [deadline]`');
    expect((await t.cohort(LEAD, 'settings colour blue', community)).text).toContain('I don\'t know the cohort setting');
    expect((await t.cohort(LEAD, 'settings timezone Mars/Base', community)).text).toContain("isn't a timezone I know");
    expect((await t.cohort(LEAD, 'leads add <#123>', community)).text).toContain('Name a person');
    const id = await cohortWithChallenge(community);
    const bad = await submitWork('ada', id, community, { link: 'not a link', note: 'x' });
    expect(bad.text).toContain('must start with http');
    expect((await t.press('ada', 'v1:sub:0', community)).text).toContain('no longer valid');
    const [none] = await database.sql`select count(*)::int as n from submissions where challenge_id = ${id}`;
    expect(none!.n).toBe(0);
    const help = await t.cohort('anyone', 'help', community);
    expect(help.text).toContain('/cohort challenge post <template> [deadline]');
    expect(t.log.errors).toEqual([]);
  });
});

describe('who may lead', () => {
  it('refuses everyone else, and lets a lead add people and roles', async () => {
    const community = newCommunity();
    const id = await cohortWithChallenge(community);
    await submitWork('ada', id, community);
    const submission = await submissionId('ada', id, community);
    for (const text of ['channel elsewhere', 'challenge post cache-slow-endpoint', 'challenge new', 'challenge list', `challenge close #${id}`, `challenge extend #${id} +3d`, 'review', 'stats', 'export', 'digest', 'settings', 'leads add bob']) {
      expect((await t.cohort('bob', text, community)).text, text).toContain('Only cohort leads can do that');
    }
    expect((await t.press('bob', { kind: 'accept', submissionId: submission }, community)).text).toContain('Only cohort leads');
    expect((await t.press('bob', { kind: 'changes', submissionId: submission }, community)).text).toContain('Only cohort leads');
    expect((await t.submit('bob', encodeForm({ kind: 'changes', submissionId: submission }), { feedback: 'no' }, community)).text).toContain('Only cohort leads');
    expect((await t.press('bob', { kind: 'cohort', verb: 'stats' }, community)).text).toContain('Only cohort leads');
    const [state] = await database.sql`select s.status, (select count(*)::int from reviews where submission_id = s.id) as reviews, c.status as challenge from submissions s join challenges c on c.id = s.challenge_id where s.id = ${submission}`;
    expect(state).toEqual({ status: 'pending', reviews: 0, challenge: 'open' });

    expect((await t.cohort(LEAD, 'leads add <@bob>', community)).text).toContain('Added person bob');
    expect((await t.cohort('bob', 'review', community)).title).toBe('Review queue: 1 waiting');
    expect((await t.cohort(LEAD, 'leads add <@&4242>', community)).text).toContain('role 4242');
    const withRole = { externalId: 'cy', displayName: 'cy', roleIds: ['4242'] };
    expect((await t.cohort(withRole, 'leads list', community)).text).toContain('person bob, role 4242');
    expect((await t.cohort(LEAD, 'leads remove bob', community)).text).toContain('Removed person bob');
    expect((await t.cohort('bob', 'review', community)).text).toContain('Only cohort leads');
  });
});

describe("reviewing one's own submission", () => {
  const reviewRows = (submission: number) =>
    database.sql`select decision, points, reviewer_external_id as reviewer, notified_at is not null as told from reviews where submission_id = ${submission} order by id`;

  it('sends it to another lead, and a lead removed later keeps the points they gave', async () => {
    const community = newCommunity();
    const id = await cohortWithChallenge(community); // lena (an admin) posts it: 40 points
    expect((await t.cohort(LEAD, 'leads add <@bob>', community)).text).toContain('Added person bob');

    // The friend made a lead submits and tries to accept his own: every way in is refused.
    expect((await submitWork('bob', id, community)).text).toContain('Another lead will review it');
    const bobs = await submissionId('bob', id, community);
    const queue = await t.cohort('bob', 'review', community);
    expect(queue.text).toContain('Nothing waiting for review.');
    expect(queue.text).toContain('Your own submission waits for another lead to review');
    expect(buttons(queue)).toEqual([]);
    const refusal = "That's your own submission to **Cache a slow endpoint and measure p50 and p99**, so another lead has to review it";
    expect((await t.press('bob', { kind: 'accept', submissionId: bobs }, community)).text).toContain(refusal);
    expect((await t.press('bob', { kind: 'changes', submissionId: bobs }, community)).text).toContain(refusal);
    expect((await t.submit('bob', encodeForm({ kind: 'changes', submissionId: bobs }), { feedback: 'fine by me' }, community)).text).toContain(refusal);
    expect(await reviewRows(bobs)).toEqual([]);

    // The admin who posted is refused on her own too: bob, listed, can review it.
    await submitWork(LEAD, id, community);
    const lenas = await submissionId('lena', id, community);
    expect((await t.press(LEAD, { kind: 'accept', submissionId: lenas }, community)).text).toContain('another lead has to review it');
    const lenaQueue = await t.cohort(LEAD, 'review', community);
    expect(lenaQueue.title).toBe('Review queue: 1 waiting');
    expect(lenaQueue.text).toContain('**bob** on');
    expect(buttons(lenaQueue).map((b) => b.label)).toEqual(['Accept bob', 'Request changes (bob)']);

    // Each accepts the other's: peer reviews, with points.
    expect((await t.press(LEAD, action(lenaQueue, 'accept'), community)).text).toContain("Accepted bob's **Cache a slow endpoint and measure p50 and p99** (+40 points)");
    const bobQueue = await t.cohort('bob', 'review', community);
    expect(bobQueue.text).toContain('**lena** on');
    expect((await t.press('bob', action(bobQueue, 'accept'), community)).text).toContain("Accepted lena's");

    // bob stops leading: the review he made was valid when he made it, so lena keeps its points.
    expect((await t.cohort(LEAD, 'leads remove bob', community)).text).toContain('Removed person bob');
    expect((await t.cohort('bob', 'review', community)).text).toContain('Only cohort leads');
    expect((await reviewRows(lenas)).map((r) => r.points)).toEqual([40]);
    const board = (await t.learn('lena', 'leaderboard', community)).text;
    expect(board).toContain('🥇 bob: 40 pts (40 challenges + 0 quiz)');
    expect(board).toContain('🥇 lena: 40 pts (40 challenges + 0 quiz)** ← you');
    expect(t.log.errors).toEqual([]);
  });

  it('lets the only lead accept their own as a self-review: done, no points, flagged in stats and the export', async () => {
    const community = newCommunity();
    const id = await cohortWithChallenge(community);
    expect((await submitWork(LEAD, id, community)).text).toContain('You are the only lead I know of here, so you may accept it yourself');
    expect((await submitWork('ada', id, community)).text).toContain("You'll hear from a lead by DM.");
    const queue = await t.cohort(LEAD, 'review', community);
    expect(queue.title).toBe('Review queue: 2 waiting');
    expect(queue.text).toMatch(/1\. \*\*lena\*\*[^\n]*🪞 your own: accepting it is a self-review \(flagged, no points\)/);
    expect(queue.text).not.toMatch(/\*\*ada\*\*[^\n]*🪞/);
    expect(buttons(queue)[0]!.label).toBe('Accept lena (self-review)');

    const own = await t.press(LEAD, action(queue, 'accept'), community);
    expect(own.text).toContain('✅ Accepted your own **Cache a slow endpoint and measure p50 and p99** as a self-review');
    expect(own.text).toContain('earns no points');
    expect(own.text).not.toContain('+40');
    // Nobody to tell: no DM now, and none left for the cohort scan to send.
    expect(messenger.to('lena').filter((m) => m.key.startsWith('review:'))).toEqual([]);
    expect(await reviewRows(await submissionId('lena', id, community))).toEqual([{ decision: 'accepted', points: 0, reviewer: 'lena', told: true }]);
    expect((await t.press(LEAD, action(own, 'accept'), community)).text).toContain("Accepted ada's **Cache a slow endpoint and measure p50 and p99** (+40 points)");

    const board = (await t.learn('lena', 'leaderboard', community)).text.split('\n');
    expect(board.slice(0, 2)).toEqual(['🥇 ada: 40 pts (40 challenges + 0 quiz)', '**🥈 lena: 0 pts (0 challenges + 0 quiz)** ← you']);
    const stats = await t.cohort(LEAD, 'stats', community);
    expect(stats.fields?.find((f) => f.name === 'Self-reviewed')?.value).toBe(
      `1 accepted by the lead who submitted it (no other lead to review), so no points:\n🪞 lena: #${id} Cache a slow endpoint and measure p50 and p99`,
    );
    const [learners, , submissions] = (await t.cohort(LEAD, 'export', community)).files!.map((f) => f.content.split('\r\n'));
    expect(submissions![0]!.endsWith(',reviewer,feedback,points,self_reviewed')).toBe(true);
    expect(submissions!.find((row) => row.includes(',lena,https://'))).toMatch(/,accepted,false,[^,]+,[^,]+,lena,,0,true$/);
    expect(submissions!.find((row) => row.includes(',ada,https://'))).toMatch(/,accepted,false,[^,]+,[^,]+,lena,,40,false$/);
    expect(learners!.find((row) => row.startsWith('lena,'))!.endsWith(',0')).toBe(true);
    expect(t.log.errors).toEqual([]);
  });

  it('shows no self-review flag in stats while there is none', async () => {
    const community = newCommunity();
    const id = await cohortWithChallenge(community);
    await submitWork('ada', id, community);
    await t.press(LEAD, action(await t.cohort(LEAD, 'review', community), 'accept'), community);
    expect((await t.cohort(LEAD, 'stats', community)).fields?.map((f) => f.name)).not.toContain('Self-reviewed');
    const submissions = (await t.cohort(LEAD, 'export', community)).files![2]!.content.split('\r\n');
    expect(submissions[1]).toMatch(/,lena,,40,false$/);
  });
});

describe('cross-community isolation', () => {
  it('never lets a lead of one community see or touch another, even with crafted payloads', async () => {
    const a = newCommunity();
    const b = newCommunity();
    const idA = await cohortWithChallenge(a);
    const idB = await cohortWithChallenge(b, 'harden-ssh-linux-vm');
    await submitWork('ada', idA, a);
    await submitWork('bea', idB, b);
    const subB = await submissionId('bea', idB, b);
    // A lead of A only: an admin there, a plain member in B.
    const leadA = admin('lars');

    expect((await t.press(leadA, { kind: 'accept', submissionId: subB }, a)).text).toContain("isn't in this community's review queue");
    expect((await t.press(leadA, { kind: 'changes', submissionId: subB }, a)).text).toContain("isn't in this community's review queue");
    expect((await t.submit(leadA, encodeForm({ kind: 'changes', submissionId: subB }), { feedback: 'gotcha' }, a)).text).toContain("isn't in this community");
    expect((await t.press('lars', { kind: 'accept', submissionId: subB }, b)).text).toContain('Only cohort leads');
    expect((await t.cohort(leadA, `challenge close #${idB}`, a)).text).toContain(`There is no challenge #${idB}`);
    expect((await t.cohort(leadA, `challenge extend #${idB} +30d`, a)).text).toContain(`There is no challenge #${idB}`);
    expect((await t.press('ada', { kind: 'submit', challengeId: idB }, a)).text).toContain("That challenge isn't in this community");
    expect((await t.submit('ada', encodeForm({ kind: 'submit', challengeId: idB }), { link: 'https://x.y/z' }, a)).text).toContain("That challenge isn't in this community");

    const queueA = await t.cohort(leadA, 'review', a);
    expect(queueA.text).toContain('ada');
    expect(queueA.text).not.toContain('bea');
    const exportA = (await t.cohort(leadA, 'export', a)).files!.map((f) => f.content).join('\n');
    expect(exportA).toContain('ada');
    expect(exportA).not.toContain('bea');
    const boardB = await t.learn('bea', 'leaderboard', b);
    expect(boardB.text).toContain('bea');
    expect(boardB.text).not.toContain('ada');
    expect((await t.learn('bea', 'challenges', b)).text).not.toContain(`#${idA} `);

    const [stateB] = await database.sql`
      select s.status, s.link, c.status as challenge, c.due_at::text as due,
        (select count(*)::int from reviews r where r.submission_id = s.id) as reviews
      from submissions s join challenges c on c.id = s.challenge_id where s.id = ${subB}`;
    expect(stateB).toMatchObject({ status: 'pending', link: 'https://github.com/bea/cache', challenge: 'open', reviews: 0 });
    expect(messenger.to('bea').filter((m) => m.key.startsWith('review:'))).toEqual([]);
  });
});

describe('deadlines for submissions', () => {
  it('keeps editing open until the deadline, then takes late work marked late and locks the rest', async () => {
    const community = newCommunity();
    const id = await cohortWithChallenge(community, 'harden-ssh-linux-vm', '2026-05-05 18:00');
    expect((await submitWork('ada', id, community)).text).toContain('Submitted');
    t.clock.set('2026-05-05T15:59:00Z'); // 17:59 in Berlin
    expect((await submitWork('ada', id, community, { link: 'https://github.com/ada/ssh', note: 'last minute fix' })).text).toContain('Updated your submission');

    t.clock.set('2026-05-05T16:01:00Z'); // 18:01 in Berlin: past the deadline
    expect((await t.press('ada', { kind: 'submit', challengeId: id }, community)).text).toContain('is locked while it waits for review');
    expect((await t.submit('ada', encodeForm({ kind: 'submit', challengeId: id }), { link: 'https://github.com/ada/after' }, community)).text).toContain('locked');
    const lateForm = await t.press('bob', { kind: 'submit', challengeId: id }, community);
    expect(lateForm.text).toContain('it will be marked late');
    const late = await submitWork('bob', id, community);
    expect(late.text).toContain('marked late');
    // bob never ran /learn start: submitting made him a learner of this community, nothing more.
    expect(await t.app.stores.enrollments.find(await t.learnerId('bob', community), t.app.catalog.course.id)).toBeNull();

    const queue = await t.cohort(LEAD, 'review', community);
    expect(queue.text).toMatch(/\*\*bob\*\*[^\n]*⏰ late/);
    expect(queue.text).toContain('https://github.com/ada/ssh');

    // Changes asked after the deadline reopen ada's submission, and it keeps its on-time mark.
    await t.submit(LEAD, encodeForm({ kind: 'changes', submissionId: await submissionId('ada', id, community) }), { feedback: 'Show sshd -T output' }, community);
    expect((await submitWork('ada', id, community, { link: 'https://github.com/ada/ssh-v2', note: 'added sshd -T' })).text).toContain('Updated');
    const rows = await database.sql`select l.external_id as who, s.late, s.status from submissions s join learners l on l.id = s.learner_id where s.challenge_id = ${id} order by who`;
    expect(rows).toEqual([
      { who: 'ada', late: false, status: 'pending' },
      { who: 'bob', late: true, status: 'pending' },
    ]);
  });

  it('closes by hand with a summary, and extends to reopen', async () => {
    const community = newCommunity();
    const id = await cohortWithChallenge(community, 'harden-ssh-linux-vm', '+2d');
    await submitWork('ada', id, community);
    const closed = await t.cohort(LEAD, `challenge close #${id}`, community);
    expect(closed.text).toContain('is closed: 1 submitted, 0 accepted, 1 to review');
    expect((await t.cohort(LEAD, `challenge close ${id}`, community)).text).toContain('already closed');
    expect((await t.learn('ada', 'challenges', community)).text).toContain('No open challenges');
    const extended = await t.cohort(LEAD, `challenge extend #${id} 2026-05-20 12:00`, community);
    expect(extended.text).toContain('now due Wed 20 May 2026, 12:00 (Europe/Berlin)');
    expect(extended.text).toContain('I announced it in the cohort channel.');
    expect(messenger.sent.filter((s) => s.channel === 'cohort').at(-1)!.reply.title).toContain('Deadline moved');
    expect((await t.learn('ada', 'challenges', community)).text).toContain('submitted, waiting for review');
  });
});

describe('the leaderboard', () => {
  it('shares ranks on equal scores (1, 1, ..., 6) and shows my own rank beyond the top 10', async () => {
    const community = newCommunity();
    const big = await cohortWithChallenge(community, 'cache-slow-endpoint'); // 40 points
    const small = Number(/#(\d+)/.exec((await t.cohort(LEAD, 'challenge post harden-ssh-linux-vm', community)).text)![1]); // 25 points
    const names = Array.from({ length: 11 }, (_, i) => `p${String(i + 1).padStart(2, '0')}`);
    for (const [i, name] of names.entries()) {
      await submitWork(name, big, community);
      if (i < 5) await submitWork(name, small, community);
    }
    await t.learn('zed', 'start UTC 09:00', community);
    for (let queue = await t.cohort(LEAD, 'review', community); buttons(queue).some((b) => b.action.kind === 'accept'); ) {
      queue = await t.press(LEAD, action(queue, 'accept'), community);
    }

    const ranked = (await t.learn('p07', 'leaderboard', community)).text.split('\n');
    expect(ranked.slice(0, 10)).toEqual([
      '🥇 p01: 65 pts (65 challenges + 0 quiz)',
      '🥇 p02: 65 pts (65 challenges + 0 quiz)',
      '🥇 p03: 65 pts (65 challenges + 0 quiz)',
      '🥇 p04: 65 pts (65 challenges + 0 quiz)',
      '🥇 p05: 65 pts (65 challenges + 0 quiz)',
      '6. p06: 40 pts (40 challenges + 0 quiz)',
      '**6. p07: 40 pts (40 challenges + 0 quiz)** ← you',
      '6. p08: 40 pts (40 challenges + 0 quiz)',
      '6. p09: 40 pts (40 challenges + 0 quiz)',
      '6. p10: 40 pts (40 challenges + 0 quiz)',
    ]);
    expect(ranked[10]).toBe('');
    const mine = (await t.learn('zed', 'leaderboard', community)).text.split('\n');
    expect(mine.slice(10, 12)).toEqual(['…', '**12. zed: 0 pts (0 challenges + 0 quiz)** ← you']);
    expect((await t.learn('p11', 'leaderboard', community)).text).toContain('…\n**6. p11: 40 pts');
  });
});

describe('the export', () => {
  it('attaches learners, answers and submissions as CSV, quoted and formula-safe', async () => {
    const community = newCommunity();
    const id = await cohortWithChallenge(community);
    await t.learn({ externalId: 'u1', displayName: 'Ada, "the first"' }, 'start UTC 09:00', community);
    await finishQuizRight('u1', community);
    await submitWork('u1', id, community, { link: 'https://github.com/ada/x', note: '=HYPERLINK("http://evil","click")\nsecond line' });
    await t.press(LEAD, action(await t.cohort(LEAD, 'review', community), 'accept'), community);

    const reply = await t.cohort(LEAD, 'export', community);
    expect(reply.ephemeral).toBe(true);
    expect(reply.files!.map((f) => f.name)).toEqual(['cohort-learners-2026-05-04.csv', 'cohort-answers-2026-05-04.csv', 'cohort-submissions-2026-05-04.csv']);
    const [learners, answers, submissions] = reply.files!.map((f) => f.content.split('\r\n'));
    const questions = t.app.catalog.lessonAt(0)!.quiz.length;
    expect(learners![0]).toBe('learner_id,name,timezone,status,joined_at,lessons_delivered,quizzes_finished,answers,correct,accuracy_pct,practice_logs,streak_current,streak_longest,last_active_day,challenge_points');
    expect(learners![1]).toBe(`u1,"Ada, ""the first""",UTC,active,2026-05-04T08:00:00.000Z,1,1,${questions},${questions},100,0,1,1,2026-05-04,40`);
    expect(learners![2]).toBe('');
    expect(answers).toHaveLength(questions + 2);
    expect(answers![1]).toMatch(new RegExp(`^u1,"Ada, ""the first""",${t.app.catalog.lessonAt(0)!.id},${t.app.catalog.lessonAt(0)!.quiz[0]!.id},\\d,true,2026-05-04T08:00:00.000Z,2026-05-04$`));
    const content = reply.files![2]!.content;
    expect(content).toContain(`${id},Cache a slow endpoint and measure p50 and p99,u1,"Ada, ""the first""",https://github.com/ada/x,"'=HYPERLINK(""http://evil"",""click"")\nsecond line",accepted,false,`);
    expect(submissions![0]).toBe('challenge,challenge_title,learner_id,name,link,note,status,late,submitted_at,updated_at,reviewer,feedback,points,self_reviewed');
    expect(content.trimEnd().endsWith(',lena,,40,false')).toBe(true);
  });
});

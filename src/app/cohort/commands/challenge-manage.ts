// `/cohort challenge list | close | extend`: the lead's view of the cohort's challenges.
import { z } from 'zod';
import { formatDeadline, parseDeadline, reminderSchedule } from '../../../core/deadlines.js';
import { defineCommand } from '../../command.js';
import { Refusal } from '../../refusal.js';
import { challengeArg } from '../args.js';
import { cohortZone, requireLead } from '../lead.js';
import { challengeLine, challengePost, closeSummary } from '../views.js';

const LIST_MAX = 15;
const notFound = (id: number) => new Refusal(`There is no challenge #${id} in this community. \`/cohort challenge list\` shows them.`);

export const challengeList = defineCommand({
  verb: 'challenge list',
  summary: 'Every challenge with its deadline and submissions',
  usage: 'challenge list',
  params: [],
  args: z.object({}),
  async run(ctx) {
    const settings = await requireLead(ctx);
    const zone = cohortZone(ctx, settings);
    const challenges = await ctx.app.stores.challenges.list(ctx.community.id, 'all', LIST_MAX);
    if (challenges.length === 0) return { text: 'No challenges yet. Post one with `/cohort challenge post <template>` or `/cohort challenge new`.', ephemeral: true };
    const open = challenges.filter((c) => c.status === 'open');
    const closed = challenges.filter((c) => c.status === 'closed');
    const section = (title: string, items: typeof challenges) => (items.length ? [`**${title}**`, ...items.map((c) => challengeLine(c, zone))] : []);
    return {
      title: 'Cohort challenges',
      text: [...section('Open', open), ...section('Closed', closed)].join('\n'),
      actions: [[{ action: { kind: 'cohort', verb: 'review' }, label: 'Review queue' }, { action: { kind: 'cohort', verb: 'challenge-new' }, label: 'New challenge' }]],
      ephemeral: true,
    };
  },
});

export const challengeClose = defineCommand({
  verb: 'challenge close',
  summary: 'Close a challenge now (later submissions are still taken, marked late)',
  usage: 'challenge close <#challenge>',
  params: ['challenge'],
  args: z.object({ challenge: challengeArg }),
  async run(ctx, { challenge: id }) {
    await requireLead(ctx);
    const closed = await ctx.app.stores.challenges.close(ctx.community.id, id, ctx.app.clock.now());
    if (!closed) {
      const existing = await ctx.app.stores.challenges.get(ctx.community.id, id);
      if (!existing) throw notFound(id);
      throw new Refusal(`#${id} ${existing.title} is already closed. \`/cohort challenge extend #${id} <deadline>\` reopens it.`);
    }
    const counts = await ctx.app.stores.challenges.counts(ctx.community.id, id);
    return { ...closeSummary(closed, counts), ephemeral: true };
  },
});

export const challengeExtend = defineCommand({
  verb: 'challenge extend',
  summary: 'Move a deadline (reopens a closed challenge); reminders follow the new deadline',
  usage: 'challenge extend <#challenge> <deadline>',
  params: ['challenge', 'deadline'],
  restParam: true,
  args: z.object({ challenge: challengeArg, deadline: z.string({ message: 'Give the new deadline, for example `+3d` or `2026-05-20 18:00`.' }).trim().min(1) }),
  async run(ctx, args) {
    const settings = await requireLead(ctx);
    const zone = cohortZone(ctx, settings);
    const now = ctx.app.clock.now();
    const due = parseDeadline(args.deadline, now, zone);
    if (!due.ok) throw new Refusal(due.reason);
    const challenge = await ctx.app.stores.challenges.extend(ctx.community.id, args.challenge, due.at, now);
    if (!challenge) throw notFound(args.challenge);
    let announced = false;
    const messenger = ctx.app.messengers?.[ctx.community.platform];
    if (messenger && challenge.channelId) {
      try {
        const post = challengePost(challenge, zone);
        await messenger.sendToChannel(ctx.community.externalId, challenge.channelId, { ...post, title: `⏳ Deadline moved: ${post.title?.replace('🏁 ', '')}` }, `challenge:${challenge.id}:due-${due.at.getTime()}`);
        announced = true;
      } catch {
        // The new deadline holds either way; only the announcement is missing, and the lead is told.
      }
    }
    const reminders = reminderSchedule(challenge.dueAt, challenge.dueSetAt, zone).map((r) => `${r.kind} before`);
    return {
      text: [
        `⏳ **#${challenge.id} ${challenge.title}** is now due ${formatDeadline(challenge.dueAt, zone)}.`,
        reminders.length ? `Reminders go out ${reminders.join(' and ')} to whoever hasn't submitted.` : 'The deadline is too close for reminders.',
        announced ? 'I announced it in the cohort channel.' : 'Tell the cohort: I could not announce it in the channel.',
      ].join('\n'),
      ephemeral: true,
    };
  },
});

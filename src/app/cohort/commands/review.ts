// `/cohort review`: the queue of pending submissions, Accept and Request changes. Every decision is
// re-checked here: the presser must lead this community and the submission must belong to it.
import { z } from 'zod';
import type { Reply } from '../../../core/reply.js';
import { defineCommand, type RequestContext } from '../../command.js';
import { Refusal } from '../../refusal.js';
import { cohortZone, requireLead } from '../lead.js';
import { parseOrRefuse } from '../parse.js';
import type { Decision, ReviewItem } from '../ports.js';
import { notifyDecision, type NoticeOutcome } from '../send.js';
import { reviewButtons, reviewText } from '../views.js';

const SHOWN = 3;
export const FEEDBACK_MAX = 1000;

const NOT_HERE = "That submission isn't in this community's review queue.";

async function queueView(ctx: RequestContext, lead: string | null): Promise<Reply> {
  const settings = await requireLead(ctx);
  const zone = cohortZone(ctx, settings);
  const [items, total] = await Promise.all([ctx.app.stores.submissions.queue(ctx.community.id, SHOWN), ctx.app.stores.submissions.pendingCount(ctx.community.id)]);
  const head = lead ? `${lead}\n\n` : '';
  if (items.length === 0) return { text: `${head}✨ Nothing waiting for review.`, ephemeral: true };
  const more = total > items.length ? `\n\n…and ${total - items.length} more after these.` : '';
  return {
    title: `Review queue: ${total} waiting`,
    text: `${head}${items.map((item, i) => `${i + 1}. ${reviewText(item, zone)}`).join('\n\n')}${more}`,
    actions: items.map(reviewButtons),
    ephemeral: true,
  };
}

export const review = defineCommand({
  verb: 'review',
  summary: 'Submissions waiting for a decision, oldest first',
  usage: 'review',
  params: [],
  args: z.object({}),
  run: (ctx) => queueView(ctx, null),
});

async function findForLead(ctx: RequestContext, submissionId: number): Promise<ReviewItem> {
  await requireLead(ctx);
  const item = await ctx.app.stores.submissions.find(ctx.community.id, submissionId);
  if (!item) throw new Refusal(NOT_HERE);
  return item;
}

const told: Record<NoticeOutcome, string> = {
  sent: 'They have been told by DM.',
  unreachable: "I couldn't DM them (their direct messages are closed).",
  'no-messenger': 'They will get a DM in a minute or two.',
};

async function decide(ctx: RequestContext, submissionId: number, decision: Decision, feedback: string | null): Promise<Reply> {
  const item = await findForLead(ctx, submissionId);
  if (item.status === 'accepted') return queueView(ctx, `${item.learnerName}'s submission to **${item.challengeTitle}** is already accepted.`);
  // Accepted is final; changes can be requested only while a submission waits.
  const from = decision === 'accepted' ? (['pending', 'changes_requested'] as const) : (['pending'] as const);
  const result = await ctx.app.stores.submissions.decide({
    communityId: ctx.community.id,
    submissionId,
    decision,
    from: [...from],
    feedback,
    reviewer: ctx.user.externalId,
    at: ctx.app.clock.now(),
  });
  if (!result) return queueView(ctx, `Someone already decided on ${item.learnerName}'s submission to **${item.challengeTitle}**.`);
  let outcome: NoticeOutcome = 'no-messenger';
  try {
    outcome = await notifyDecision(ctx.app, ctx.community, { reviewId: result.reviewId, item: result.item, decision, feedback });
  } catch {
    // Still unmarked in Postgres, so the cohort scan tells them (with retries and logging).
  }
  const what = decision === 'accepted' ? `✅ Accepted ${item.learnerName}'s **${item.challengeTitle}** (+${item.points} points).` : `✏️ Asked ${item.learnerName} for changes to **${item.challengeTitle}**.`;
  return queueView(ctx, `${what} ${told[outcome]}`);
}

/** Accept, from the queue's button: the queue message is replaced by the next state of the queue. */
export const accept = async (ctx: RequestContext, submissionId: number): Promise<Reply> => ({ ...(await decide(ctx, submissionId, 'accepted', null)), update: true });

/** The feedback form behind Request changes. */
export async function changesForm(ctx: RequestContext, submissionId: number): Promise<Reply> {
  const item = await findForLead(ctx, submissionId);
  if (item.status !== 'pending') throw new Refusal(`${item.learnerName}'s submission to ${item.challengeTitle} is no longer waiting for review.`);
  return {
    text: `What should ${item.learnerName} change?`,
    modal: {
      form: { kind: 'changes', submissionId },
      title: 'Request changes',
      reopen: { kind: 'changes', submissionId },
      fields: [{ name: 'feedback', label: `What should ${item.learnerName} change?`.slice(0, 45), multiline: true, required: true, maxLength: FEEDBACK_MAX }],
    },
    ephemeral: true,
  };
}

const feedbackInput = z.object({
  feedback: z.string({ message: 'Write a line of feedback so they know what to change.' }).trim().min(1, 'Write a line of feedback so they know what to change.').max(FEEDBACK_MAX, `Keep the feedback under ${FEEDBACK_MAX} characters.`),
});

export async function requestChanges(ctx: RequestContext, submissionId: number, fields: Record<string, string | undefined>): Promise<Reply> {
  await requireLead(ctx);
  const { feedback } = parseOrRefuse(feedbackInput, fields);
  return decide(ctx, submissionId, 'changes_requested', feedback);
}

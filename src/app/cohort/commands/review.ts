// `/cohort review`: the queue of pending submissions, Accept and Request changes. Every decision is
// re-checked here: the presser must lead this community, the submission must belong to it, and it must be
// someone else's (one's own only when no other lead can review it: a flagged self-review worth no points).
import { z } from 'zod';
import { reviewEarnsPoints, type ReviewStanding } from '../../../core/permissions.js';
import type { Reply } from '../../../core/reply.js';
import { defineCommand, type RequestContext } from '../../command.js';
import { Refusal } from '../../refusal.js';
import { cohortZone, requireLead } from '../lead.js';
import { parseOrRefuse } from '../parse.js';
import type { Decision, ReviewItem } from '../ports.js';
import { needsAnotherLead, SELF_REVIEW_NOTE, standingOn } from '../review-rights.js';
import { notifyDecision, type NoticeOutcome } from '../send.js';
import { reviewButtons, reviewText } from '../views.js';

const SHOWN = 3;
export const FEEDBACK_MAX = 1000;

const NOT_HERE = "That submission isn't in this community's review queue.";

/** The lead's own pending submissions, which wait for another lead and so are not in their queue. */
async function ownWaiting(ctx: RequestContext, learnerId: number): Promise<string> {
  const pending = (await ctx.app.stores.submissions.ofLearner(ctx.community.id, learnerId)).filter((s) => s.status === 'pending').length;
  if (pending === 0) return '';
  return `\n\n🪞 ${pending === 1 ? 'Your own submission waits' : `Your ${pending} own submissions wait`} for another lead to review: nobody marks their own work.`;
}

async function queueView(ctx: RequestContext, lead: string | null): Promise<Reply> {
  const settings = await requireLead(ctx);
  const zone = cohortZone(ctx, settings);
  const own = await standingOn(ctx, settings, ctx.actor.externalId);
  // One's own submissions are left out while another lead can review them, and marked when none can.
  const except = own === 'needs-another-lead' ? ctx.actor.learnerId : null;
  const { submissions } = ctx.app.stores;
  const [items, total, waiting] = await Promise.all([
    submissions.queue(ctx.community.id, SHOWN, except),
    submissions.pendingCount(ctx.community.id, except),
    except === null ? '' : ownWaiting(ctx, except),
  ]);
  const head = lead ? `${lead}\n\n` : '';
  if (items.length === 0) return { text: `${head}✨ Nothing waiting for review.${waiting}`, ephemeral: true };
  const more = total > items.length ? `\n\n…and ${total - items.length} more after these.` : '';
  const mine = (item: ReviewItem) => item.learnerExternalId === ctx.actor.externalId;
  return {
    title: `Review queue: ${total} waiting`,
    text: `${head}${items.map((item, i) => `${i + 1}. ${reviewText(item, zone, mine(item))}`).join('\n\n')}${more}${waiting}`,
    actions: items.map((item) => reviewButtons(item, mine(item))),
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

/** The submission, if the asker leads here and may review it; a friendly refusal otherwise. */
async function findForLead(ctx: RequestContext, submissionId: number): Promise<{ item: ReviewItem; standing: ReviewStanding }> {
  const settings = await requireLead(ctx);
  const item = await ctx.app.stores.submissions.find(ctx.community.id, submissionId);
  if (!item) throw new Refusal(NOT_HERE);
  const standing = await standingOn(ctx, settings, item.learnerExternalId);
  if (standing === 'needs-another-lead') throw new Refusal(needsAnotherLead(item.challengeTitle));
  return { item, standing };
}

const told: Record<NoticeOutcome, string> = {
  sent: 'They have been told by DM.',
  unreachable: "I couldn't DM them (their direct messages are closed).",
  'no-messenger': 'They will get a DM in a minute or two.',
};

async function decide(ctx: RequestContext, submissionId: number, decision: Decision, feedback: string | null): Promise<Reply> {
  const { item, standing } = await findForLead(ctx, submissionId);
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
    awardPoints: reviewEarnsPoints(standing),
    at: ctx.app.clock.now(),
  });
  if (!result) return queueView(ctx, `Someone already decided on ${item.learnerName}'s submission to **${item.challengeTitle}**.`);
  if (standing === 'self-review') {
    // They made the decision themselves: no DM to tell them, and none for the cohort scan to retry.
    await ctx.app.stores.submissions.markNotified(result.reviewId, ctx.app.clock.now());
    const what = decision === 'accepted' ? `✅ Accepted your own **${item.challengeTitle}**` : `✏️ Marked your own **${item.challengeTitle}** as needing changes`;
    return queueView(ctx, `${what} as ${SELF_REVIEW_NOTE}.`);
  }
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
  const { item } = await findForLead(ctx, submissionId);
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

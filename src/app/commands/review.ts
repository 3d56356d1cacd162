import { grade } from '../../core/grading.js';
import { reviewAfterAnswer } from '../../core/review.js';
import type { Reply } from '../../core/reply.js';
import { noArgs } from '../args.js';
import { defineCommand, type RequestContext } from '../command.js';
import { requireEnrolled } from '../learning.js';
import type { Learner } from '../ports.js';
import { Refusal } from '../refusal.js';
import { formatLocal, questionButtons, verdictText } from '../views.js';

async function nextReview(ctx: RequestContext, learner: Learner, prefix = ''): Promise<Reply> {
  const now = ctx.app.clock.now();
  const [due] = await ctx.app.stores.reviews.due(learner.id, now, 1);
  const lead = prefix ? `${prefix}\n\n` : '';
  const found = due && ctx.app.catalog.question(due.questionId);
  if (!due || !found) {
    return { title: 'Review', text: `${lead}🎉 Nothing to review right now. Questions you miss come back here on a spaced schedule.` };
  }
  const remaining = await ctx.app.stores.reviews.countDue(learner.id, now);
  return {
    title: `Review: ${found.lesson.title} (${remaining} due)`,
    text: `${lead}${found.question.prompt}`,
    actions: questionButtons(found.question, (choice) => ({ kind: 'review', questionId: due.questionId, choice })),
  };
}

export const review = defineCommand({
  verb: 'review',
  summary: 'Practise the questions you missed, when they are due',
  usage: 'review',
  params: [],
  args: noArgs,
  async run(ctx) {
    const { learner } = await requireEnrolled(ctx);
    return { ...(await nextReview(ctx, learner)), ephemeral: true };
  },
});

/** A review answer from a button; the card is the presser's own, looked up by their learner id. */
export async function reviewAnswer(ctx: RequestContext, questionId: string, choice: number): Promise<Reply> {
  const { learner } = await requireEnrolled(ctx);
  const card = await ctx.app.stores.reviews.get(learner.id, questionId);
  const found = ctx.app.catalog.question(questionId);
  if (!card || !found || choice >= found.question.choices.length) {
    throw new Refusal('That review question is not waiting for you. Run `/learn review` for the ones that are.');
  }
  const now = ctx.app.clock.now();
  if (card.due > now) {
    return { ...(await nextReview(ctx, learner, `Already reviewed; it comes back ${formatLocal(card.due, learner.timezone)}.`)), update: true };
  }
  const verdict = grade(found.question, choice);
  await ctx.app.stores.reviews.save(learner.id, questionId, reviewAfterAnswer(card, verdict.correct, now), now);
  return { ...(await nextReview(ctx, learner, verdictText(verdict, found.question.choices[choice]!))), update: true };
}

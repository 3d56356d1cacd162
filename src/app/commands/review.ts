import { grade } from '../../core/grading.js';
import { reviewAfterAnswer } from '../../core/review.js';
import type { Reply } from '../../core/reply.js';
import { noArgs } from '../args.js';
import { defineCommand, type RequestContext } from '../command.js';
import { refreshStreak, requireEnrolled, today } from '../learning.js';
import type { Learner } from '../ports.js';
import { Refusal } from '../refusal.js';
import { formatLocal, questionButtons, streakLine, verdictText } from '../views.js';

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
  const already = async (due: Date) => ({ ...(await nextReview(ctx, learner, `Already reviewed; it comes back ${formatLocal(due, learner.timezone)}.`)), update: true });
  if (card.due > now) return already(card.due);
  const verdict = grade(found.question, choice);
  const next = reviewAfterAnswer(card, verdict.correct, now);
  // A review answered makes the day active, as a finished quiz or logged practice does: after the last
  // lesson, reviewing is what keeps a streak going.
  const recorded = await ctx.app.stores.reviews.answer({ learnerId: learner.id, questionId, card: next, at: now, localDate: today(ctx.app, learner) });
  if (!recorded) return already((await ctx.app.stores.reviews.get(learner.id, questionId))?.due ?? next.due);
  const verdictLine = verdictText(verdict, found.question.choices[choice]!);
  const streak = recorded.firstToday ? `\n${streakLine(await refreshStreak(ctx.app, learner))}` : '';
  return { ...(await nextReview(ctx, learner, `${verdictLine}${streak}`)), update: true };
}

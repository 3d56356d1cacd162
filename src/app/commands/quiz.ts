import { grade, nextUnanswered, scoreLine } from '../../core/grading.js';
import { reviewAfterAnswer } from '../../core/review.js';
import type { Reply } from '../../core/reply.js';
import { noArgs } from '../args.js';
import { defineCommand, type RequestContext } from '../command.js';
import { lessonOf, refreshStreak, requireLearner, today, todaysLessonWithAnswers } from '../learning.js';
import type { AnswerRecord, Delivery } from '../ports.js';
import { mayActFor } from '../../core/permissions.js';
import { Refusal } from '../refusal.js';
import { dataGone } from './forget.js';
import { NEXT_STEPS, questionView, streakLine, verdictText } from '../views.js';

/** The next unanswered question of a delivery, or the final score when all are answered. */
export async function quizStep(ctx: RequestContext, delivery: Delivery, prefix = '', known?: AnswerRecord[]): Promise<Reply> {
  const { lesson } = lessonOf(ctx.app, delivery);
  const answers = known ?? (await ctx.app.stores.answers.forDelivery(delivery.id));
  const index = nextUnanswered(lesson.quiz.map((q) => q.id), new Set(answers.map((a) => a.questionId)));
  if (index >= 0) {
    const view = questionView(lesson, index, delivery.id);
    return { ...view, text: prefix ? `${prefix}\n\n**Next:** ${view.text}` : view.text };
  }
  const correct = answers.filter((a) => a.correct).length;
  const missed = answers.length - correct;
  const review = missed > 0 ? ` The ${missed === 1 ? 'question you missed comes' : `${missed} questions you missed come`} back in \`/learn review\`.` : '';
  return {
    title: `${lesson.title}: quiz done`,
    text: `${prefix ? `${prefix}\n\n` : ''}**${scoreLine({ correct, total: answers.length })}**${review}`,
    actions: NEXT_STEPS,
  };
}

export const quiz = defineCommand({
  verb: 'quiz',
  summary: "Take today's quiz",
  usage: 'quiz',
  params: [],
  args: noArgs,
  async run(ctx) {
    const todays = await todaysLessonWithAnswers(ctx);
    if ('finished' in todays) throw new Refusal('You have finished the course: there is no new quiz. Try `/learn review`.');
    return { ...(await quizStep(ctx, todays.delivery, '', todays.answers)), ephemeral: true };
  },
});

/** Loads a delivery named in a payload and checks that it belongs to the person pressing. */
export async function ownDelivery(ctx: RequestContext, deliveryId: number): Promise<Delivery> {
  const delivery = await ctx.app.stores.deliveries.find(deliveryId);
  if (delivery && mayActFor(ctx.actor, delivery.learnerId)) return delivery;
  // Gone, or owned by nobody any more (deliveries are cached): its learner was deleted by `/learn forget`.
  if (!delivery || !(await ctx.app.stores.learners.exists(delivery.learnerId))) throw dataGone(ctx);
  throw new Refusal("That button belongs to someone else's lesson, so nothing changed. Use `/learn today` for yours.");
}

/** Thrown when a remembered learner no longer matches (see answerAsRecent): take the usual path. */
export class StaleLearner extends Error {}

/**
 * A quiz answer from a button. With `verifyRecent`, ctx.learner is only remembered, not read: the answer's
 * own statement checks it is still this person in this timezone, and StaleLearner is thrown if not.
 */
export async function answer(ctx: RequestContext, deliveryId: number, questionIndex: number, choice: number, verifyRecent = false): Promise<Reply> {
  // The delivery first: a button from before `/learn forget` says so, not "you haven't started".
  const delivery = await ownDelivery(ctx, deliveryId);
  const learner = requireLearner(ctx);
  const { lesson } = lessonOf(ctx.app, delivery);
  const question = lesson.quiz[questionIndex];
  if (!question || choice >= question.choices.length) throw new Refusal('That answer no longer matches the quiz. Run `/learn quiz` to get a fresh question.');
  const verdict = grade(question, choice);
  const now = ctx.app.clock.now();
  const recorded = await ctx.app.stores.answers.record({
    delivery,
    questionId: question.id,
    choice,
    correct: verdict.correct,
    at: now,
    localDate: today(ctx.app, learner),
    questionCount: lesson.quiz.length,
    newCard: verdict.correct ? null : reviewAfterAnswer(null, false, now),
    ...(verifyRecent ? { verify: { communityId: ctx.community.id, externalId: ctx.user.externalId, timezone: learner.timezone } } : {}),
  });
  if (recorded === 'unverified') throw new StaleLearner();
  if (!recorded) {
    return { ...(await quizStep(ctx, delivery, 'You already answered that question; your first answer counts.')), update: true };
  }
  const step = await quizStep(ctx, delivery, verdictText(verdict, question.choices[choice]!), recorded.answers);
  if (!recorded.completed) return { ...step, update: true };
  const streak = await refreshStreak(ctx.app, learner, recorded.activityDates);
  return { ...step, text: `${step.text}\n${streakLine(streak)}`, update: true };
}

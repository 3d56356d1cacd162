import { noArgs } from '../args.js';
import { defineCommand } from '../command.js';
import { currentStreak, requireEnrolled } from '../learning.js';
import { formatLocal, progressBar, streakLine } from '../views.js';

export const progress = defineCommand({
  verb: 'progress',
  summary: 'How far you are, quiz accuracy, practice logged',
  usage: 'progress',
  params: [],
  args: noArgs,
  async run(ctx) {
    const { learner, enrollment } = await requireEnrolled(ctx);
    const { stores, catalog, clock } = ctx.app;
    const [stats, practiced, due, streak] = await Promise.all([
      stores.stats.progress(learner.id),
      stores.practice.count(learner.id),
      stores.reviews.countDue(learner.id, clock.now()),
      currentStreak(ctx.app, learner),
    ]);
    const total = catalog.course.lessons.length;
    const accuracy = stats.answered ? `${Math.round((stats.correct / stats.answered) * 100)}% (${stats.correct} of ${stats.answered})` : 'no answers yet';
    const next =
      enrollment.finishedAt || enrollment.position >= total
        ? 'Course complete 🎓'
        : learner.status === 'paused'
          ? 'Paused: `/learn resume` to continue'
          : enrollment.nextDeliveryAt
            ? formatLocal(enrollment.nextDeliveryAt, learner.timezone)
            : 'with your next `/learn today`';
    return {
      title: `${catalog.course.title}: your progress`,
      text: progressBar(enrollment.position, total),
      fields: [
        { name: 'Quizzes finished', value: String(stats.quizzesDone), inline: true },
        { name: 'Accuracy', value: accuracy, inline: true },
        { name: 'Practice logged', value: String(practiced), inline: true },
        { name: 'Reviews due', value: String(due), inline: true },
        { name: 'Streak', value: streakLine(streak), inline: true },
        { name: 'Next lesson', value: next, inline: true },
      ],
      ephemeral: true,
    };
  },
});

// The learner's dashboard (Slack App Home): today's lesson, streak grid, progress, reviews due.
import type { Button, Reply } from '../../core/reply.js';
import type { RequestContext } from '../command.js';
import { currentStreak, lessonOf, START_HINT, today } from '../learning.js';
import { formatLocal, progressBar, streakGridText, streakLine } from '../views.js';

export async function dashboard(ctx: RequestContext): Promise<Reply> {
  const { stores, catalog, clock } = ctx.app;
  const course = catalog.course;
  const enrollment = ctx.learner ? await stores.enrollments.find(ctx.learner.id, course.id) : null;
  if (!ctx.learner || !enrollment) {
    return {
      title: `Backend Mentor: ${course.title}`,
      text: `${course.description}\n\n${START_HINT}`,
      actions: [[{ action: { kind: 'run', verb: 'help' }, label: 'How it works' }]],
    };
  }
  const learner = ctx.learner;
  const [delivered, streak, due] = await Promise.all([
    stores.deliveries.forDay(enrollment.id, today(ctx.app, learner)),
    currentStreak(ctx.app, learner),
    stores.reviews.countDue(learner.id, clock.now()),
  ]);
  const total = course.lessons.length;
  const buttons: Button[] = [];
  let lessonLine: string;
  if (delivered) {
    const { lesson, number } = lessonOf(ctx.app, delivered);
    lessonLine = `Lesson ${number} of ${total}: **${lesson.title}**`;
    buttons.push({ action: { kind: 'quiz', deliveryId: delivered.id }, label: 'Take the quiz', style: 'primary' });
    buttons.push({ action: { kind: 'practice', deliveryId: delivered.id }, label: 'Log practice' });
  } else if (enrollment.position >= total) {
    lessonLine = 'You have finished the course 🎓';
  } else {
    const when = enrollment.nextDeliveryAt && learner.status === 'active' ? `, arriving ${formatLocal(enrollment.nextDeliveryAt, learner.timezone)}` : '';
    lessonLine = `Next: lesson ${enrollment.position + 1} of ${total}, **${catalog.lessonAt(enrollment.position)!.title}**${when}`;
    buttons.push({ action: { kind: 'run', verb: 'today' }, label: "Get today's lesson", style: 'primary' });
  }
  if (due > 0) buttons.push({ action: { kind: 'run', verb: 'review' }, label: `Review (${due})` });
  if (learner.status === 'paused') buttons.push({ action: { kind: 'run', verb: 'resume' }, label: 'Resume' });
  return {
    title: `${course.title}: your dashboard`,
    text: `${lessonLine}\n\n${streakLine(streak)}\n${streakGridText(streak, today(ctx.app, learner))}`,
    fields: [
      { name: 'Progress', value: progressBar(enrollment.position, total), inline: true },
      { name: 'Reviews due', value: String(due), inline: true },
      { name: 'Status', value: learner.status, inline: true },
    ],
    actions: buttons.length ? [buttons] : undefined,
  };
}

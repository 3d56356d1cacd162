import { noArgs } from '../args.js';
import { defineCommand } from '../command.js';
import { todaysLessonWithAnswers } from '../learning.js';
import { lessonView } from '../views.js';

export const todayCommand = defineCommand({
  verb: 'today',
  summary: "Today's lesson",
  usage: 'today',
  params: [],
  args: noArgs,
  async run(ctx) {
    const todays = await todaysLessonWithAnswers(ctx);
    const total = ctx.app.catalog.course.lessons.length;
    if ('finished' in todays) {
      return {
        text: `🎓 You have finished all ${total} lessons of ${ctx.app.catalog.course.title}. Keep your knowledge fresh with \`/learn review\`.`,
        actions: [[{ action: { kind: 'run', verb: 'review' }, label: 'Review' }]],
        ephemeral: true,
      };
    }
    return { ...lessonView(todays.lesson, todays.number, total, todays.delivery.id), ephemeral: true };
  },
});

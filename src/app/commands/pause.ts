import { noArgs } from '../args.js';
import { defineCommand } from '../command.js';
import { requireEnrolled, reschedule } from '../learning.js';
import { formatLocal } from '../views.js';

export const pause = defineCommand({
  verb: 'pause',
  summary: 'Stop daily lessons and nudges until you resume',
  usage: 'pause',
  params: [],
  args: noArgs,
  async run(ctx) {
    const { learner } = await requireEnrolled(ctx);
    await ctx.app.stores.learners.update(learner.id, { status: 'paused' });
    return {
      text: '⏸️ Paused. No lessons or nudges until you come back; your progress and streak history stay. `/learn resume` when you are ready.',
      actions: [[{ action: { kind: 'run', verb: 'resume' }, label: 'Resume' }]],
      ephemeral: true,
    };
  },
});

export const resume = defineCommand({
  verb: 'resume',
  summary: 'Continue after a pause',
  usage: 'resume',
  params: [],
  args: noArgs,
  async run(ctx) {
    const { learner, enrollment } = await requireEnrolled(ctx);
    const active = await ctx.app.stores.learners.update(learner.id, { status: 'active' });
    const next = await reschedule(ctx.app, { learner: active, enrollment });
    const when = next
      ? `Your next lesson arrives ${formatLocal(next, active.timezone)}, or get it now with \`/learn today\`.`
      : `You have finished ${ctx.app.catalog.course.title}.`;
    return {
      text: `▶️ Welcome back! ${when}`,
      actions: [[{ action: { kind: 'run', verb: 'today' }, label: "Today's lesson", style: 'primary' }]],
      ephemeral: true,
    };
  },
});

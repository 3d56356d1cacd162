import { noArgs } from '../args.js';
import { defineCommand } from '../command.js';
import { nextSlot, requireEnrolled } from '../learning.js';
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
    const next = nextSlot(ctx.app, active);
    if (!enrollment.finishedAt) await ctx.app.stores.enrollments.setNextDelivery(enrollment.id, next);
    return {
      text: `▶️ Welcome back! Your next lesson arrives ${formatLocal(next, active.timezone)}, or get it now with \`/learn today\`.`,
      actions: [[{ action: { kind: 'run', verb: 'today' }, label: "Today's lesson", style: 'primary' }]],
      ephemeral: true,
    };
  },
});

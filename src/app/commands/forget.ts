import type { Reply } from '../../core/reply.js';
import { mayActFor } from '../../core/permissions.js';
import { noArgs } from '../args.js';
import { defineCommand, type RequestContext } from '../command.js';
import { Refusal } from '../refusal.js';

export const forget = defineCommand({
  verb: 'forget',
  summary: 'Delete all your data (asks first)',
  usage: 'forget',
  params: [],
  args: noArgs,
  async run(ctx) {
    if (!ctx.learner) throw new Refusal('I have no data about you, so there is nothing to delete.');
    return {
      text: '⚠️ This deletes **all** your data: progress, answers, reviews, practice notes and streak. It cannot be undone. Consider `/learn export` first.',
      actions: [[{ action: { kind: 'forget', learnerId: ctx.learner.id }, label: 'Delete everything', style: 'danger' }]],
      ephemeral: true,
    };
  },
});

/** The confirmation button: only the person it was shown to can press it. */
export async function confirmForget(ctx: RequestContext, learnerId: number): Promise<Reply> {
  if (!mayActFor(ctx.actor, learnerId)) throw new Refusal('That button was meant for someone else, so nothing was deleted.');
  await ctx.app.stores.learners.remove(learnerId);
  return { text: '🗑️ Done: everything I stored about you is deleted. `/learn start` if you ever want to come back.', update: true, ephemeral: true };
}

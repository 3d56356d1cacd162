import { noArgs } from '../args.js';
import { defineCommand } from '../command.js';
import { Refusal } from '../refusal.js';

export const exportCommand = defineCommand({
  verb: 'export',
  summary: 'Download everything stored about you, as JSON',
  usage: 'export',
  params: [],
  args: noArgs,
  async run(ctx) {
    if (!ctx.learner) throw new Refusal('I have no data about you: you have not started the course.');
    const data = await ctx.app.stores.learners.exportData(ctx.learner.id);
    const stamp = ctx.app.clock.now().toISOString().slice(0, 10);
    return {
      text: 'Here is everything I store about you: your settings, lessons, answers, reviews, practice and streak.',
      files: [{ name: `backend-mentor-${stamp}.json`, content: JSON.stringify({ exportedAt: ctx.app.clock.now().toISOString(), ...data }, null, 2) }],
      ephemeral: true,
    };
  },
});

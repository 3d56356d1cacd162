import { z } from 'zod';
import type { Reply } from '../../../core/reply.js';
import { defineCommand, type Command } from '../../command.js';

export function cohortHelpReply(commands: readonly Command<never>[]): Reply {
  const lines = commands.map((c) => `\`/cohort ${c.usage}\`: ${c.summary}`);
  return {
    title: 'Cohort tools for leads',
    text: [
      'Post challenges with deadlines, review submissions, and see how the cohort is doing. Learners see `/learn challenges` and `/learn leaderboard`.',
      '',
      ...lines,
      '',
      'Deadlines are in the cohort timezone. Reminders go to whoever has not submitted 24 hours and 1 hour before; challenges close themselves at the deadline (later submissions are kept, marked late), and you get a summary. A digest goes to the cohort channel every Monday at 09:00.',
    ].join('\n'),
    actions: [[{ action: { kind: 'cohort', verb: 'review' }, label: 'Review queue' }, { action: { kind: 'cohort', verb: 'stats' }, label: 'Stats' }]],
    ephemeral: true,
  };
}

/** Help is open to everyone: a learner learns what the tools are and who may use them. */
export const cohortHelp = (all: () => readonly Command<never>[]) =>
  defineCommand({
    verb: 'help',
    summary: 'What the cohort tools do',
    usage: 'help',
    params: [],
    args: z.object({}).passthrough(),
    run: async () => cohortHelpReply(all()),
  });

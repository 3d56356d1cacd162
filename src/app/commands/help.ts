import type { Reply } from '../../core/reply.js';
import type { Command } from '../command.js';

export function helpReply(commands: readonly Command<never>[], courseTitle: string): Reply {
  const lines = commands.map((c) => `\`/learn ${c.usage}\`: ${c.summary}`);
  return {
    title: `Backend Mentor: ${courseTitle}`,
    text: `One short lesson a day, a quiz, and something to try on your own machine.\n\n${lines.join('\n')}`,
    actions: [[{ action: { kind: 'run', verb: 'today' }, label: "Today's lesson", style: 'primary' }]],
    ephemeral: true,
  };
}

// `/learn leaderboard`: this community only; the asker's own rank even beyond the top 10.
import { leaderboardWindow, rankLeaderboard, type RankedEntry } from '../../core/leaderboard.js';
import { noArgs } from '../args.js';
import { defineCommand } from '../command.js';

const MEDALS: Record<number, string> = { 1: '🥇', 2: '🥈', 3: '🥉' };

function line(entry: RankedEntry, mine: boolean): string {
  const text = `${MEDALS[entry.rank] ?? `${entry.rank}.`} ${entry.name}: ${entry.score} pts (${entry.challengePoints} challenges + ${entry.quizPoints} quiz)`;
  return mine ? `**${text}** ← you` : text;
}

export const leaderboard = defineCommand({
  verb: 'leaderboard',
  summary: 'Points from accepted challenges and quiz accuracy, in your cohort',
  usage: 'leaderboard',
  params: [],
  args: noArgs,
  async run(ctx) {
    const ranked = rankLeaderboard(await ctx.app.stores.cohortReports.leaderboard(ctx.community.id));
    if (ranked.length === 0) return { text: 'Nobody is on the leaderboard yet. Start with `/learn start`.', ephemeral: true };
    const me = ctx.learner?.id ?? null;
    const { top, me: mine } = leaderboardWindow(ranked, me);
    const lines = top.map((e) => line(e, e.learnerId === me));
    if (mine) lines.push('…', line(mine, true));
    return {
      title: 'Leaderboard',
      text: `${lines.join('\n')}\n\nPoints: every accepted challenge's points, plus up to 100 for quiz accuracy (it counts more as you answer more). Equal scores share a rank.`,
      actions: [[{ action: { kind: 'run', verb: 'challenges' }, label: 'Challenges' }]],
      ephemeral: true,
    };
  },
});

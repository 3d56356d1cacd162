import { z } from 'zod';
import { DateTime } from 'luxon';
import { recentDays, type DayState } from '../../core/streak.js';
import { defineCommand } from '../command.js';
import { currentStreak, requireEnrolled, today } from '../learning.js';
import { CELL, streakGridText, streakLine } from '../views.js';


const WHY: Record<DayState, string> = {
  active: 'active: quiz finished or practice logged',
  frozen: 'no activity; a freeze kept the streak',
  missed: 'no activity',
  pending: 'today: not over yet, the streak is safe until midnight',
};

const weekday = (date: string) => DateTime.fromISO(date).toFormat('ccc d LLL');

export const streak = defineCommand({
  verb: 'streak',
  summary: 'Your streak, freezes and 12-week grid (`streak why` explains each day)',
  usage: 'streak [why]',
  params: ['detail'],
  args: z.object({
    detail: z.enum(['why'], { message: 'Use `/learn streak` or `/learn streak why`.' }).optional(),
  }),
  async run(ctx, args) {
    const { learner } = await requireEnrolled(ctx);
    const summary = await currentStreak(ctx.app, learner);
    const date = today(ctx.app, learner);
    if (args.detail === 'why') {
      const first = summary.days[0]?.date;
      const days = recentDays(summary, date, 14);
      const before = days.filter((d) => !first || d.date < first);
      const lines = days.filter((d) => first && d.date >= first).map((d) => `${CELL[d.state]} ${weekday(d.date)}: ${WHY[d.state]} (streak ${d.streak})`);
      if (before.length) lines.unshift(`⬛ ${weekday(before[0]!.date)} to ${weekday(before.at(-1)!.date)}: before your first active day`);
      const hint = first ? '' : '\nFinish a quiz or log practice to start your streak.';
      return { title: 'Your last 14 days', text: `${lines.join('\n')}${hint}\n\nDays are counted in ${learner.timezone}.`, ephemeral: true };
    }
    const freezeNote = `Freezes: ${summary.freezes} of 2. You earn one for every 7 active days in a row; a missed day spends one automatically.`;
    return {
      title: 'Your streak',
      text: `${streakLine(summary)}\nLongest: ${summary.longest} day${summary.longest === 1 ? '' : 's'}\n${freezeNote}\n\n${streakGridText(summary, date)}\nEach row is a week, Monday to Sunday. \`/learn streak why\` explains the last 14 days.`,
      ephemeral: true,
    };
  },
});

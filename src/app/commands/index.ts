import { z } from 'zod';
import { defineCommand, type Command } from '../command.js';
import { challengesCommand } from './challenges.js';
import { exportCommand } from './export.js';
import { forget } from './forget.js';
import { helpReply } from './help.js';
import { leaderboard } from './leaderboard.js';
import { pause, resume } from './pause.js';
import { practice } from './practice.js';
import { progress } from './progress.js';
import { quiz } from './quiz.js';
import { review } from './review.js';
import { settings } from './settings.js';
import { start } from './start.js';
import { streak } from './streak.js';
import { todayCommand } from './today.js';

const help = defineCommand({
  verb: 'help',
  summary: 'What I can do',
  usage: 'help',
  params: [],
  args: z.object({}).passthrough(),
  run: async (ctx) => helpReply(LEARNER_COMMANDS, ctx.app.catalog.course.title),
});

/** Every learner verb, in the order help lists them. */
export const LEARNER_COMMANDS: readonly Command<never>[] = [
  start,
  todayCommand,
  quiz,
  review,
  practice,
  streak,
  progress,
  challengesCommand,
  leaderboard,
  settings,
  pause,
  resume,
  exportCommand,
  forget,
  help,
] as unknown as Command<never>[];

export const findCommand = (verb: string): Command<unknown> | undefined =>
  LEARNER_COMMANDS.find((c) => c.verb === verb) as Command<unknown> | undefined;

import { z } from 'zod';
import { timeArg, timezoneArg } from '../args.js';
import { defineCommand } from '../command.js';
import { parseOrRefuse } from '../input.js';
import { requireEnrolled, reschedule } from '../learning.js';
import type { Learner, LearnerSettings } from '../ports.js';
import { Refusal } from '../refusal.js';
import { formatLocal } from '../views.js';

const USAGE = [
  '`/learn settings timezone Europe/Berlin`: your timezone (days and streaks follow it)',
  '`/learn settings time 08:30`: when the daily lesson arrives',
  '`/learn settings nudges off` (or `on`): practice and streak reminders',
  '`/learn settings quiet 21:00-08:00`: no reminders in this window',
].join('\n');

const quietArg = z
  .string()
  .regex(/^\d{1,2}:\d{2}-\d{1,2}:\d{2}$/, 'Write quiet hours as HH:MM-HH:MM, for example 21:00-08:00.')
  .transform((v) => v.split('-'))
  .pipe(z.tuple([timeArg, timeArg]));

/** Parses one setting; the value's schema depends on the key. */
function parseSetting(key: string, value: string): LearnerSettings {
  const check = <T>(schema: z.ZodType<T>): T => parseOrRefuse(schema, value);
  switch (key) {
    case 'timezone':
      return { timezone: check(timezoneArg) };
    case 'time':
      return { deliveryTime: check(timeArg) };
    case 'nudges':
      return { nudgesEnabled: check(z.enum(['on', 'off'], { message: 'Use `nudges on` or `nudges off`.' })) === 'on' };
    case 'quiet': {
      const [quietStart, quietEnd] = check(quietArg);
      return { quietStart, quietEnd };
    }
    default:
      throw new Refusal(`I don't know the setting "${key}". You can change:\n${USAGE}`);
  }
}

function show(learner: Learner): string {
  return [
    `Timezone: **${learner.timezone}**`,
    `Daily lesson at: **${learner.deliveryTime}**`,
    `Nudges: **${learner.nudgesEnabled ? 'on' : 'off'}**, quiet hours **${learner.quietStart}-${learner.quietEnd}**`,
    `Status: **${learner.status}**`,
  ].join('\n');
}

export const settings = defineCommand({
  verb: 'settings',
  summary: 'See or change timezone, lesson time, nudges and quiet hours',
  usage: 'settings [timezone|time|nudges|quiet] [value]',
  params: ['key', 'value'],
  args: z.object({ key: z.string().trim().toLowerCase().optional(), value: z.string().trim().optional() }),
  async run(ctx, args) {
    const enrolled = await requireEnrolled(ctx);
    if (!args.key) return { title: 'Your settings', text: `${show(enrolled.learner)}\n\n${USAGE}`, ephemeral: true };
    if (!args.value) throw new Refusal(`Give a value too. You can change:\n${USAGE}`);
    const change = parseSetting(args.key, args.value);
    const learner = await ctx.app.stores.learners.update(enrolled.learner.id, change);
    if (change.timezone || change.deliveryTime) await reschedule(ctx.app, { learner, enrollment: enrolled.enrollment });
    const enrollment = await ctx.app.stores.enrollments.find(learner.id, enrolled.enrollment.courseId);
    const next = enrollment?.nextDeliveryAt ? `\nNext lesson: ${formatLocal(enrollment.nextDeliveryAt, learner.timezone)}.` : '';
    return { title: 'Settings saved', text: `${show(learner)}${next}`, ephemeral: true };
  },
});

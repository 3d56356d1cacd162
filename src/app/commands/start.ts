import { z } from 'zod';
import { timeArg, timezoneArg } from '../args.js';
import { defineCommand } from '../command.js';
import { lessonView } from '../views.js';
import { nextSlot, reschedule, todaysLesson } from '../learning.js';

export const start = defineCommand({
  verb: 'start',
  summary: 'Enrol (or change when lessons arrive) and get your first lesson',
  usage: 'start [timezone] [HH:MM]',
  params: ['timezone', 'time'],
  args: z.object({ timezone: timezoneArg.optional(), time: timeArg.optional() }),
  async run(ctx, args) {
    const { stores, catalog, defaults } = ctx.app;
    const timezone = args.timezone ?? ctx.learner?.timezone ?? ctx.community.defaultTimezone ?? defaults.timezone;
    const deliveryTime = args.time ?? ctx.learner?.deliveryTime ?? defaults.deliveryTime;
    const channel = ctx.channelId ? { deliveryChannelId: ctx.channelId } : {};
    const learner = ctx.learner
      ? await stores.learners.update(ctx.learner.id, { timezone, deliveryTime, status: 'active', ...channel })
      : await stores.learners.create({ communityId: ctx.community.id, externalId: ctx.user.externalId, displayName: ctx.user.displayName, timezone, deliveryTime, deliveryChannelId: ctx.channelId });
    const existing = await stores.enrollments.find(learner.id, catalog.course.id);
    // A new zone or time moves the next lesson; today's lesson (if handed out below) moves it again, by the same rule.
    if (existing) await reschedule(ctx.app, { learner, enrollment: existing });
    const enrollment = existing ?? (await stores.enrollments.create(learner.id, catalog.course.id, nextSlot(ctx.app, learner), ctx.app.clock.now()));
    const schedule = `Lessons arrive every day at **${deliveryTime}** (${timezone}). Change it any time with \`/learn settings\`.`;
    const todays = await todaysLesson(ctx.app, { learner, enrollment });
    if ('finished' in todays) return { text: `You have finished ${catalog.course.title}. ${schedule}`, ephemeral: true };
    const welcome = existing
      ? `Updated. ${schedule}`
      : `Welcome to **${catalog.course.title}**, ${learner.displayName}! ${schedule} Here is your first lesson.`;
    const lesson = lessonView(todays.lesson, todays.number, catalog.course.lessons.length, todays.delivery.id);
    return { ...lesson, text: `${welcome}\n\n${lesson.text}`, ephemeral: true };
  },
});

// Sends one learner the day's lesson, exactly once, however long the platform is down. The delivery row
// (unique per enrolment and local date) is written before the send and the enrolment moves on only when
// the send is recorded; a failed attempt sets the next try in Postgres, so later ticks, not a job left in
// a queue, bring it. A lesson still unsent when the learner's day ends is the one the next day brings.
import { DateTime } from 'luxon';
import { deliveryInstant, localDate, nextDeliveryAfter } from '../../core/calendar.js';
import type { Reply } from '../../core/reply.js';
import { retryDelayMs } from '../../core/retry.js';
import { deliveryTimeOf } from '../learning.js';
import { NotPosted, RecipientUnreachable, type DayDelivery, type DeliveryTarget, type LessonJob } from '../ports.js';
import { lessonView } from '../views.js';
import type { JobContext } from './context.js';
import { PermanentJobError } from './errors.js';
import { tellUnreachable } from './unreachable.js';

export type DeliveryOutcome = 'sent' | 'already-sent' | 'stale' | 'inactive' | 'finished' | 'unreachable' | 'rescheduled' | 'retrying';

/** The message key: a lesson carried over to the next day keeps its row, so its key too. */
export const lessonKey = (delivery: { id: number }) => `lesson:${delivery.id}`;

/** Failed attempts logged at warn: the first, then every tenth (an outage would log each learner every minute). */
const loggedAttempt = (attempts: number) => attempts === 1 || attempts % 10 === 0;

export async function deliverLesson(ctx: JobContext, job: LessonJob): Promise<DeliveryOutcome> {
  const { app } = ctx;
  const target = await ctx.scheduler.target(job.enrollmentId);
  if (!target || target.learner.status !== 'active' || target.enrollment.finishedAt) return 'inactive';
  const { enrollment, learner } = target;
  const now = app.clock.now();
  // A job that waited past the learner's midnight is for a day that is over; the next tick sends today's.
  if (job.localDate !== localDate(now, learner.timezone)) return 'stale';
  // Due since a day that is over (no worker ran, or a job waited past midnight): today's lesson comes at
  // today's time, not at once just after midnight. A slot already past is caught up now.
  const todays = deliveryInstant(job.localDate, learner.timezone, deliveryTimeOf(learner));
  const dueOn = enrollment.nextDeliveryAt ? localDate(enrollment.nextDeliveryAt, learner.timezone) : job.localDate;
  if (dueOn < job.localDate && todays > now) {
    await app.stores.enrollments.setNextDelivery(enrollment.id, todays);
    return 'rescheduled';
  }

  const lesson = app.catalog.lessonAt(enrollment.position);
  if (!lesson) {
    await app.stores.enrollments.setNextDelivery(enrollment.id, null);
    return 'finished';
  }
  const delivery = await app.stores.deliveries.createForDay({
    at: now,
    enrollment,
    localDate: job.localDate,
    lessonId: lesson.id,
    state: 'pending',
    finishedAt: null,
    nextDeliveryAt: enrollment.nextDeliveryAt,
  });
  if (delivery.state === 'sent') {
    // Handed out as a reply meanwhile: the next lesson is due the day after (else every tick would ask again).
    if (enrollment.nextDeliveryAt && enrollment.nextDeliveryAt <= now) {
      await app.stores.enrollments.setNextDelivery(enrollment.id, nextDeliveryAfter(job.localDate, learner.timezone, deliveryTimeOf(learner)));
    }
    return 'already-sent';
  }
  // Another job or process changed the enrolment since we read it: let BullMQ run this one again.
  if (!delivery.began) throw new Error(`enrollment ${enrollment.id} moved on while lesson ${delivery.id} was being sent; retrying`);
  return send(ctx, job, target, delivery, now);
}

async function send(ctx: JobContext, job: LessonJob, target: DeliveryTarget, delivery: DayDelivery, now: Date): Promise<DeliveryOutcome> {
  const { app } = ctx;
  const { enrollment, learner, community } = target;
  const messenger = ctx.messengers[community.platform];
  if (!messenger) throw new PermanentJobError(`no ${community.platform} connection in this process to deliver lesson ${delivery.id}`);
  const lessons = app.catalog.course.lessons;
  const lesson = app.catalog.lesson(delivery.lessonId)!;
  const last = lessons.at(-1)!.id === lesson.id;
  const view = lessonView(lesson, lessons.indexOf(lesson) + 1, lessons.length, delivery.id);
  // Greeted for the day's delivery time, not the moment of the attempt: a retry renders the same message.
  const slot = deliveryInstant(job.localDate, learner.timezone, deliveryTimeOf(learner));
  const reply: Reply = { ...view, text: `Good ${greeting(slot, learner.timezone)}, ${learner.displayName}! Here is today's lesson.\n\n${view.text}` };
  const unsure = delivery.unsureBefore ? { since: delivery.unsureBefore, now } : undefined;
  try {
    const sent = await messenger.sendDirect(
      { communityExternalId: community.externalId, userExternalId: learner.externalId, dmChannelId: learner.dmChannelId },
      reply,
      lessonKey(delivery),
      unsure,
    );
    await ctx.scheduler.markSent({
      deliveryId: delivery.id,
      messageRef: sent.ref,
      dmChannelId: sent.channelId,
      learnerId: learner.id,
      enrollmentId: enrollment.id,
      nextDeliveryAt: last ? null : nextDeliveryAfter(job.localDate, learner.timezone, deliveryTimeOf(learner)),
      finishedAt: last ? app.clock.now() : null,
    });
    return 'sent';
  } catch (error) {
    if (error instanceof RecipientUnreachable) {
      await ctx.scheduler.markFailed(delivery.id);
      await tellUnreachable(ctx, target, error.reason);
      return 'unreachable';
    }
    const retryAt = new Date(now.getTime() + retryDelayMs(delivery.attempts));
    // Tried all day: the next day's delivery brings this lesson (its row ends this one).
    const next = localDate(retryAt, learner.timezone) === job.localDate ? retryAt : nextDeliveryAfter(job.localDate, learner.timezone, deliveryTimeOf(learner));
    await ctx.scheduler.retryLater({ deliveryId: delivery.id, enrollmentId: enrollment.id, nextDeliveryAt: next, clearUnsure: error instanceof NotPosted && !delivery.unsureBefore });
    if (loggedAttempt(delivery.attempts)) {
      ctx.log.warn(
        { err: error instanceof NotPosted ? (error.cause ?? error.message) : error, delivery: delivery.id, platform: community.platform, attempt: delivery.attempts, retryAt: next.toISOString() },
        'could not send a lesson; trying again later',
      );
    }
    return 'retrying';
  }
}

function greeting(at: Date, zone: string): string {
  const { hour } = DateTime.fromJSDate(at, { zone });
  return hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
}

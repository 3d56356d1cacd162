// Sends one learner the day's lesson, exactly once: the delivery row (unique per enrolment and local
// date) is written first, and a retry finds it. The next delivery is computed in the learner's zone.
import { DateTime } from 'luxon';
import { localDate, nextDeliveryAfter } from '../../core/calendar.js';
import type { Reply } from '../../core/reply.js';
import { deliveryTimeOf } from '../learning.js';
import { RecipientUnreachable, type LessonJob } from '../ports.js';
import { lessonView } from '../views.js';
import type { JobContext } from './context.js';
import { PermanentJobError } from './errors.js';
import { tellUnreachable } from './unreachable.js';

export type DeliveryOutcome = 'sent' | 'already-sent' | 'stale' | 'inactive' | 'finished' | 'unreachable';

export const lessonKey = (job: LessonJob) => `lesson:${job.enrollmentId}:${job.localDate}`;

export async function deliverLesson(ctx: JobContext, job: LessonJob): Promise<DeliveryOutcome> {
  const { app } = ctx;
  const target = await ctx.scheduler.target(job.enrollmentId);
  if (!target || target.learner.status !== 'active' || target.enrollment.finishedAt) return 'inactive';
  const { enrollment, learner, community } = target;
  // A job that waited past the learner's midnight is for a day that is over; the next tick sends today's.
  if (job.localDate !== localDate(app.clock.now(), learner.timezone)) return 'stale';

  const lesson = app.catalog.lessonAt(enrollment.position);
  const existing = lesson ? null : await app.stores.deliveries.forDay(enrollment.id, job.localDate);
  if (!lesson && !existing) {
    await app.stores.enrollments.setNextDelivery(enrollment.id, null);
    return 'finished';
  }
  const total = app.catalog.course.lessons.length;
  // The enrolment moves on only once the send succeeded (markSent): until then the next tick retries.
  const delivery = await app.stores.deliveries.createForDay({
    at: app.clock.now(),
    enrollment,
    localDate: job.localDate,
    lessonId: lesson?.id ?? existing!.lessonId,
    state: 'pending',
    finishedAt: null,
    nextDeliveryAt: enrollment.nextDeliveryAt,
  });
  if (delivery.state === 'sent') return 'already-sent';
  const last = app.catalog.course.lessons.at(-1)!.id === delivery.lessonId;

  const messenger = ctx.messengers[community.platform];
  if (!messenger) throw new PermanentJobError(`no ${community.platform} connection in this process to deliver lesson ${delivery.id}`);
  const todays = app.catalog.lesson(delivery.lessonId)!;
  const view = lessonView(todays, app.catalog.course.lessons.indexOf(todays) + 1, total, delivery.id);
  const reply: Reply = { ...view, text: `Good ${greeting(app.clock.now(), learner.timezone)}, ${learner.displayName}! Here is today's lesson.\n\n${view.text}` };
  try {
    const sent = await messenger.sendDirect(
      { communityExternalId: community.externalId, userExternalId: learner.externalId, dmChannelId: learner.dmChannelId },
      reply,
      lessonKey(job),
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
    if (!(error instanceof RecipientUnreachable)) throw error;
    await ctx.scheduler.markFailed(delivery.id);
    await tellUnreachable(ctx, target, error.reason);
    return 'unreachable';
  }
}

function greeting(now: Date, zone: string): string {
  const { hour } = DateTime.fromJSDate(now, { zone });
  return hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
}

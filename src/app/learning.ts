// Use-case pieces several commands share: who is asking, today's lesson, the streak.
import { localDate, nextDeliveryAfter, parseTimeOfDay } from '../core/calendar.js';
import type { Lesson } from '../core/course.js';
import { nextDeliveryFor } from '../core/schedule.js';
import { computeStreak, type StreakSummary } from '../core/streak.js';
import type { RequestContext } from './command.js';
import type { AnswerRecord, AppContext, Delivery, DeliveryState, Enrollment, Learner } from './ports.js';
import { Refusal } from './refusal.js';

export const START_HINT = 'Start with `/learn start <timezone> <HH:MM>`, for example `/learn start Europe/Berlin 09:00`.';

export interface Enrolled {
  learner: Learner;
  enrollment: Enrollment;
}

export function requireLearner(ctx: RequestContext): Learner {
  if (!ctx.learner) throw new Refusal(`You haven't started the course yet. ${START_HINT}`);
  return ctx.learner;
}

const notEnrolled = (ctx: RequestContext) => new Refusal(`You aren't enrolled in ${ctx.app.catalog.course.title} yet. ${START_HINT}`);

export async function requireEnrolled(ctx: RequestContext): Promise<Enrolled> {
  const learner = requireLearner(ctx);
  const enrollment = await ctx.app.stores.enrollments.find(learner.id, ctx.app.catalog.course.id);
  if (!enrollment) throw notEnrolled(ctx);
  return { learner, enrollment };
}

/**
 * Today's lesson for an enrolled learner, with the answers given to it so far, from one read (plus the
 * write when the day's lesson is handed out now).
 */
export async function todaysLessonWithAnswers(ctx: RequestContext): Promise<TodaysLesson & { answers?: AnswerRecord[] }> {
  const learner = requireLearner(ctx);
  const day = await ctx.app.stores.enrollments.today(learner.id, ctx.app.catalog.course.id, today(ctx.app, learner));
  if (!day) throw notEnrolled(ctx);
  const todays = await todaysLesson(ctx.app, { learner, enrollment: day.enrollment }, day.delivery);
  if ('finished' in todays) return todays;
  // A lesson handed out by this very call has no answers yet; one found already made may (a race).
  const answers = day.delivery ? day.answers : todays.created ? [] : undefined;
  return answers ? { ...todays, answers } : todays;
}

export const today = (app: AppContext, learner: Learner): string => localDate(app.clock.now(), learner.timezone);

export function deliveryTimeOf(learner: Learner) {
  const time = parseTimeOfDay(learner.deliveryTime);
  if (!time) throw new Error(`learner ${learner.id} has an invalid delivery time ${learner.deliveryTime}`);
  return time;
}

export type TodaysLesson = { delivery: Delivery; lesson: Lesson; number: number; created: boolean } | { finished: true };

/**
 * The lesson for the learner's current local day: the one already delivered today, or the next one in
 * the course, delivered now (once per local day, whoever asks first: the learner or the scheduler).
 */
export async function todaysLesson(app: AppContext, { learner, enrollment }: Enrolled, known?: (Delivery & { state: DeliveryState }) | null): Promise<TodaysLesson> {
  const date = today(app, learner);
  const existing = known !== undefined ? known : await app.stores.deliveries.forDay(enrollment.id, date);
  if (existing?.state === 'sent') return { delivery: plainDelivery(existing), ...lessonOf(app, existing), created: false };
  // Nothing yet, or a scheduled send still trying (the platform is down): the learner gets it here, now.
  const lesson = app.catalog.lessonAt(enrollment.position);
  if (!lesson) return { finished: true };
  const finished = enrollment.position + 1 >= app.catalog.course.lessons.length;
  const day = await app.stores.deliveries.createForDay({
    at: app.clock.now(),
    enrollment,
    localDate: date,
    lessonId: lesson.id,
    state: 'sent',
    finishedAt: finished ? app.clock.now() : null,
    nextDeliveryAt: finished ? null : nextDeliveryAfter(date, learner.timezone, deliveryTimeOf(learner)),
  });
  return { delivery: plainDelivery(day), ...lessonOf(app, day), created: day.created };
}

const plainDelivery = ({ id, enrollmentId, learnerId, localDate, lessonId }: Delivery): Delivery => ({ id, enrollmentId, learnerId, localDate, lessonId });

export function lessonOf(app: AppContext, delivery: Delivery): { lesson: Lesson; number: number } {
  const lesson = app.catalog.lesson(delivery.lessonId);
  if (!lesson) throw new Refusal('That lesson is no longer part of the course. Try `/learn today` for the current one.');
  return { lesson, number: app.catalog.course.lessons.indexOf(lesson) + 1 };
}

/** Recomputes the streak from recorded activity (the source of truth, unless just read) and caches it. */
export async function refreshStreak(app: AppContext, learner: Learner, activityDates?: string[]): Promise<StreakSummary> {
  const dates = activityDates ?? (await app.stores.streaks.activityDates(learner.id));
  const summary = computeStreak(dates, today(app, learner));
  await app.stores.streaks.save(learner.id, summary, app.clock.now());
  return summary;
}

export async function currentStreak(app: AppContext, learner: Learner): Promise<StreakSummary> {
  return computeStreak(await app.stores.streaks.activityDates(learner.id), today(app, learner));
}

/** The learner's next slot at their zone and time after the lesson of `lastDeliveredDate` (if any). */
export const nextSlot = (app: AppContext, learner: Learner, lastDeliveredDate: string | null = null): Date =>
  nextDeliveryFor({ now: app.clock.now(), zone: learner.timezone, time: deliveryTimeOf(learner), lastDeliveredDate });

/**
 * Moves an unfinished enrolment's next lesson to the learner's current zone and time, after their latest
 * sent lesson (a pending one is a send still being retried). Returns the new time, or null if finished.
 */
export async function reschedule(app: AppContext, { learner, enrollment }: Enrolled): Promise<Date | null> {
  if (enrollment.finishedAt) return null;
  const latest = await app.stores.deliveries.latest(enrollment.id);
  const next = nextSlot(app, learner, latest?.localDate ?? null);
  await app.stores.enrollments.setNextDelivery(enrollment.id, next);
  return next;
}

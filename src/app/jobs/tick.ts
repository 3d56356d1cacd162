// Every minute: enqueue a lesson for every enrolment that is due. Postgres says what is due, so a
// missed tick (process down, queue wiped) is caught up by the next one.
import { localDate } from '../../core/calendar.js';
import type { JobContext } from './context.js';

export const TICK_BATCH = 1000;

export async function tick(ctx: JobContext): Promise<{ enqueued: number }> {
  const now = ctx.app.clock.now();
  let afterId = 0;
  let enqueued = 0;
  for (;;) {
    const due = await ctx.scheduler.dueEnrollments(now, afterId, TICK_BATCH);
    if (due.length === 0) break;
    await ctx.jobs.enqueueLessons(due.map((d) => ({ enrollmentId: d.enrollmentId, localDate: localDate(now, d.timezone) })));
    enqueued += due.length;
    afterId = due.at(-1)!.enrollmentId;
    if (due.length < TICK_BATCH) break;
  }
  return { enqueued };
}

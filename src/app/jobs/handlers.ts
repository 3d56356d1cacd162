import type { CohortJob } from '../ports.js';
import { runCohortJob } from './cohort.js';
import { cohortScan } from './cohort-scan.js';
import type { JobContext } from './context.js';
import { deliverLesson } from './deliver-lesson.js';
import { nudgeScan, sendNudge } from './nudges.js';
import { tick } from './tick.js';

/** Every job the workers run, bound to one context. */
export const jobHandlers = (ctx: JobContext) => ({
  tick: () => tick(ctx),
  nudgeScan: () => nudgeScan(ctx),
  deliverLesson: (job: Parameters<typeof deliverLesson>[1]) => deliverLesson(ctx, job),
  nudge: (job: Parameters<typeof sendNudge>[1]) => sendNudge(ctx, job),
  cohortScan: () => cohortScan(ctx),
  cohort: (job: CohortJob) => runCohortJob(ctx, job),
});

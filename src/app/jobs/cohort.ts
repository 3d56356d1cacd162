import type { CohortJob } from '../ports.js';
import { closeChallenge, remindChallenge } from './challenge-deadlines.js';
import { notifyReview, postPendingChallenge } from './cohort-outbox.js';
import type { JobContext } from './context.js';
import { sendDigest } from './digest.js';

/** Runs one cohort job (the payload was parsed by the jobs layer). */
export function runCohortJob(ctx: JobContext, job: CohortJob): Promise<unknown> {
  switch (job.type) {
    case 'challenge-remind':
      return remindChallenge(ctx, job);
    case 'challenge-close':
      return closeChallenge(ctx, job);
    case 'challenge-post':
      return postPendingChallenge(ctx, job);
    case 'review-notify':
      return notifyReview(ctx, job);
    case 'digest':
      return sendDigest(ctx, job);
  }
}

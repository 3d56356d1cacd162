// Posts and decision DMs a command could not send itself (no messenger in that process, a platform
// hiccup): still unmarked in Postgres, so the scan hands them here.
import { notifyDecision, postChallenge, type NoticeOutcome } from '../cohort/send.js';
import type { CohortJob } from '../ports.js';
import type { JobContext } from './context.js';
import { PermanentJobError } from './errors.js';

export async function postPendingChallenge(ctx: JobContext, job: Extract<CohortJob, { type: 'challenge-post' }>): Promise<'gone' | 'already-posted' | 'posted'> {
  const found = await ctx.app.stores.cohortJobs.challenge(job.challengeId);
  if (!found || found.community.id !== job.communityId || found.challenge.status !== 'open') return 'gone';
  if (found.challenge.messageRef) return 'already-posted';
  const { community, challenge } = found;
  if (!ctx.messengers[community.platform]) throw new PermanentJobError(`no ${community.platform} connection in this process to post challenge ${challenge.id}`);
  await postChallenge(ctx.app, community, challenge, community.settings.timezone ?? ctx.app.defaults.timezone, ctx.messengers);
  return 'posted';
}

export async function notifyReview(ctx: JobContext, job: Extract<CohortJob, { type: 'review-notify' }>): Promise<'gone' | 'already-told' | NoticeOutcome> {
  const found = await ctx.app.stores.cohortJobs.review(job.reviewId);
  if (!found || found.community.id !== job.communityId) return 'gone';
  if (found.notifiedAt) return 'already-told';
  if (!ctx.messengers[found.community.platform]) throw new PermanentJobError(`no ${found.community.platform} connection in this process to tell review ${job.reviewId}`);
  const outcome = await notifyDecision(ctx.app, found.community, found, ctx.messengers);
  if (outcome === 'unreachable') ctx.log.warn({ review: job.reviewId, learner: found.item.learnerId }, 'review decision undeliverable');
  return outcome;
}

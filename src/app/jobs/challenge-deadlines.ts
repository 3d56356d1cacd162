// Deadline jobs: remind non-submitters, close at the deadline and tell the lead. Each re-reads the
// challenge first: a job planned for a deadline that was since moved, or a closed challenge, does nothing.
import { dueReminder } from '../../core/deadlines.js';
import { closeSummary, reminderMessage } from '../cohort/views.js';
import { RecipientUnreachable, type CohortJob } from '../ports.js';
import type { JobContext } from './context.js';
import { PermanentJobError } from './errors.js';

const BATCH = 200;

type RemindJob = Extract<CohortJob, { type: 'challenge-remind' }>;
type CloseJob = Extract<CohortJob, { type: 'challenge-close' }>;

export const reminderKey = (job: RemindJob, learnerId: number) => `chal-remind-${job.kind}:${job.challengeId}:${learnerId}-${Date.parse(job.dueAt)}`;

export async function remindChallenge(ctx: JobContext, job: RemindJob): Promise<{ outcome: 'stale' | 'sent'; sent: number }> {
  const { app } = ctx;
  const store = app.stores.cohortJobs;
  const now = app.clock.now();
  const found = await store.challenge(job.challengeId);
  if (!found || found.challenge.status !== 'open' || found.challenge.dueAt.toISOString() !== job.dueAt) return { outcome: 'stale', sent: 0 };
  const { challenge, community } = found;
  const zone = community.settings.timezone ?? app.defaults.timezone;
  // A later reminder supersedes this one, and none goes out before its time.
  if (dueReminder({ dueAt: challenge.dueAt, setAt: challenge.dueSetAt, zone, now }) !== job.kind) return { outcome: 'stale', sent: 0 };
  const messenger = ctx.messengers[community.platform];
  if (!messenger) throw new PermanentJobError(`no ${community.platform} connection in this process to remind about challenge ${challenge.id}`);

  let sent = 0;
  let failure: unknown = null;
  let afterId = 0;
  for (;;) {
    const batch = await store.nonSubmitters(challenge.id, afterId, BATCH);
    for (const learner of batch) {
      const claim = await store.claimReminder(challenge.id, learner.learnerId, job.kind, challenge.dueAt);
      if (claim === null) continue;
      try {
        await messenger.sendDirect(
          { communityExternalId: community.externalId, userExternalId: learner.externalId, dmChannelId: learner.dmChannelId },
          reminderMessage(challenge, job.kind, zone),
          reminderKey(job, learner.learnerId),
        );
        sent += 1;
      } catch (error) {
        if (!(error instanceof RecipientUnreachable)) {
          // Keep going for everyone else; the retry finds this claim unsent and tries again.
          failure ??= error;
          continue;
        }
        ctx.log.warn({ learner: learner.learnerId, challenge: challenge.id, reason: error.reason }, 'challenge reminder undeliverable');
      }
      await store.markReminderSent(claim, now);
    }
    if (batch.length < BATCH) break;
    afterId = batch.at(-1)!.learnerId;
  }
  if (failure) throw failure;
  return { outcome: 'sent', sent };
}

export async function closeChallenge(ctx: JobContext, job: CloseJob): Promise<'stale' | 'not-due' | 'closed' | 'already-told'> {
  const { app } = ctx;
  const store = app.stores.cohortJobs;
  const now = app.clock.now();
  const found = await store.challenge(job.challengeId);
  if (!found || found.challenge.dueAt.toISOString() !== job.dueAt) return 'stale';
  const { challenge, community } = found;
  if (challenge.dueAt.getTime() > now.getTime()) return 'not-due';
  // Closed by this job or an earlier attempt of it; a lead's manual close already set summarySentAt.
  const closedNow = await store.closeAtDeadline(challenge.id, challenge.dueAt, now);
  if (!closedNow && challenge.status === 'open') return 'stale';
  if (challenge.summarySentAt) return 'already-told';
  const messenger = ctx.messengers[community.platform];
  if (!messenger) throw new PermanentJobError(`no ${community.platform} connection in this process to summarise challenge ${challenge.id}`);
  const counts = await app.stores.challenges.counts(community.id, challenge.id);
  try {
    await messenger.sendDirect(
      { communityExternalId: community.externalId, userExternalId: challenge.createdBy, dmChannelId: null },
      closeSummary({ ...challenge, status: 'closed' }, counts),
      `chal-summary:${challenge.id}:${challenge.dueAt.getTime()}`,
    );
  } catch (error) {
    if (!(error instanceof RecipientUnreachable)) throw error;
    ctx.log.warn({ challenge: challenge.id, lead: challenge.createdBy, reason: error.reason }, 'challenge summary undeliverable');
  }
  await store.markSummarySent(challenge.id, now);
  return 'closed';
}

// Every minute: Postgres says what cohort work is due, and the jobs that do it are enqueued under keys
// that make a second enqueue harmless. Nothing is scheduled ahead in the queue, so a wiped queue, a moved
// clock (the playground) or an extended deadline needs no bookkeeping: the next scan sees the truth.
import { dueReminder } from '../../core/deadlines.js';
import { digestWeekDue } from '../../core/digest.js';
import type { CohortJob } from '../ports.js';
import type { JobContext } from './context.js';

export const COHORT_SCAN_BATCH = 500;
/** A day of 25 hours (DST) puts the "24h" reminder at most this far before the deadline. */
const REMINDER_HORIZON_MS = 25 * 3600_000;
/** Commands send posts and decisions themselves; the scan takes over only what is still unsent after this. */
export const OUTBOX_GRACE_MS = 2 * 60_000;

export async function cohortScan(ctx: JobContext): Promise<{ enqueued: number }> {
  const { app } = ctx;
  const store = app.stores.cohortJobs;
  const now = app.clock.now();
  const jobs: CohortJob[] = [];

  for (const c of await store.openDueBy(new Date(now.getTime() + REMINDER_HORIZON_MS), COHORT_SCAN_BATCH)) {
    const dueAt = c.dueAt.toISOString();
    if (c.dueAt.getTime() <= now.getTime()) {
      jobs.push({ type: 'challenge-close', challengeId: c.challengeId, dueAt });
      continue;
    }
    const kind = dueReminder({ dueAt: c.dueAt, setAt: c.dueSetAt, zone: c.timezone ?? app.defaults.timezone, now });
    if (kind) jobs.push({ type: 'challenge-remind', challengeId: c.challengeId, kind, dueAt });
  }

  const before = new Date(now.getTime() - OUTBOX_GRACE_MS);
  for (const p of await store.unposted(before, COHORT_SCAN_BATCH)) jobs.push({ type: 'challenge-post', ...p });
  for (const r of await store.unnotified(before, COHORT_SCAN_BATCH)) jobs.push({ type: 'review-notify', ...r });

  for (const community of await store.digestCommunities()) {
    const week = digestWeekDue(now, community.settings.timezone ?? app.defaults.timezone);
    if (week && (community.lastDigestWeek === null || community.lastDigestWeek < week)) jobs.push({ type: 'digest', communityId: community.id, week });
  }

  await ctx.jobs.enqueueCohort(jobs);
  return { enqueued: jobs.length };
}

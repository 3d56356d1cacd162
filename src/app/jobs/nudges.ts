// Nudges: a scan every 15 minutes asks the pure policy about each learner and enqueues what it decides;
// the nudge job decides again with fresh facts, claims (learner, kind, day) once, and sends.
import { localDate, parseTimeOfDay } from '../../core/calendar.js';
import { computeStreak } from '../../core/streak.js';
import { decideNudge, NUDGE_KINDS, type NudgeDecision, type NudgeKind, type NudgeState } from '../../core/nudges.js';
import { RecipientUnreachable, type NudgeFacts, type NudgeJob } from '../ports.js';
import type { JobContext } from './context.js';
import { PermanentJobError } from './errors.js';
import { tellUnreachable } from './unreachable.js';

export const SCAN_BATCH = 500;

const isKind = (kind: string): kind is NudgeKind => (NUDGE_KINDS as readonly string[]).includes(kind);

/** Stored facts -> the policy's view, with every day counted in the learner's zone. */
export function nudgeState(ctx: JobContext, facts: NudgeFacts, now: Date): NudgeState {
  const { learner } = facts.target;
  const zone = learner.timezone;
  const today = localDate(now, zone);
  const lastActiveOn = facts.lastActivityAt ? localDate(facts.lastActivityAt, zone) : null;
  const since = facts.lastActivityAt?.getTime() ?? 0;
  const afterActivity = facts.recentNudges.filter((n) => n.sentAt && n.sentAt.getTime() > since);
  const latest = facts.latestDelivery;
  const lesson = latest && latest.localDate === today ? ctx.app.catalog.lesson(latest.lessonId) : undefined;
  // The same rule as `/learn streak`: freezes cover missed days, activity after today does not count.
  const streak = computeStreak(facts.activityDates, today).current;
  return {
    now,
    zone,
    quietStart: parseTimeOfDay(learner.quietStart) ?? { hour: 21, minute: 0 },
    quietEnd: parseTimeOfDay(learner.quietEnd) ?? { hour: 8, minute: 0 },
    nudgesEnabled: learner.nudgesEnabled,
    status: learner.status,
    enrolledOn: localDate(facts.enrolledAt, zone),
    lastActiveOn,
    activeToday: lastActiveOn === today,
    streak,
    todaysLesson:
      latest && lesson
        ? { deliveryId: latest.id, title: lesson.title, practiceKind: lesson.practice.kind, deliveredAt: latest.deliveredAt, quizDone: latest.quizDone, practised: latest.practised }
        : null,
    reviewsDue: facts.reviewsDue,
    sentToday: facts.recentNudges.filter((n) => n.localDate === today && n.sentAt).map((n) => n.kind).filter(isKind),
    sentSinceActive: afterActivity.map((n) => n.kind).filter(isKind),
    ignoredInARow: afterActivity.length,
  };
}

function decide(ctx: JobContext, facts: NudgeFacts, now: Date): NudgeDecision | null {
  return decideNudge(nudgeState(ctx, facts, now));
}

export async function nudgeScan(ctx: JobContext): Promise<{ enqueued: number }> {
  const now = ctx.app.clock.now();
  const course = ctx.app.catalog.course.id;
  let afterId = 0;
  let enqueued = 0;
  for (;;) {
    const batch = await ctx.nudges.candidates(course, now, afterId, SCAN_BATCH);
    const jobs: NudgeJob[] = [];
    for (const facts of batch) {
      const decision = decide(ctx, facts, now);
      const { learner } = facts.target;
      if (decision) jobs.push({ learnerId: learner.id, kind: decision.kind, localDate: localDate(now, learner.timezone) });
    }
    await ctx.jobs.enqueueNudges(jobs);
    enqueued += jobs.length;
    if (batch.length < SCAN_BATCH) break;
    afterId = batch.at(-1)!.target.learner.id;
  }
  return { enqueued };
}

export type NudgeOutcome = 'sent' | 'no-longer-due' | 'already-sent' | 'unreachable';

export async function sendNudge(ctx: JobContext, job: NudgeJob): Promise<NudgeOutcome> {
  const now = ctx.app.clock.now();
  const facts = await ctx.nudges.facts(ctx.app.catalog.course.id, job.learnerId, now);
  if (!facts) return 'no-longer-due';
  // Facts may have changed since the scan (they practised, it got late): decide again.
  const decision = decide(ctx, facts, now);
  const { learner, community } = facts.target;
  if (!decision || decision.kind !== job.kind || localDate(now, learner.timezone) !== job.localDate) return 'no-longer-due';
  const messenger = ctx.messengers[community.platform];
  if (!messenger) throw new PermanentJobError(`no ${community.platform} connection in this process to nudge learner ${learner.id}`);
  const nudgeId = await ctx.nudges.claim(learner.id, job.kind, job.localDate);
  if (nudgeId === null) return 'already-sent';
  try {
    await messenger.sendDirect(
      { communityExternalId: community.externalId, userExternalId: learner.externalId, dmChannelId: learner.dmChannelId },
      decision.reply,
      `nudge-${job.kind}:${learner.id}:${job.localDate}`,
    );
  } catch (error) {
    if (!(error instanceof RecipientUnreachable)) throw error;
    await tellUnreachable(ctx, facts.target, error.reason);
    return 'unreachable';
  }
  await ctx.nudges.markSent(nudgeId, now);
  if (decision.pauseLearner) await ctx.app.stores.learners.update(learner.id, { status: 'paused' });
  return 'sent';
}

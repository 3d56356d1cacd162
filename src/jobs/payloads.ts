// Job names and payloads, parsed with zod whenever a worker picks a job up.
import { z } from 'zod';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-MM-dd');
const rowId = z.number().int().positive();

export const lessonPayload = z.strictObject({ enrollmentId: rowId, localDate });
export const nudgePayload = z.strictObject({ learnerId: rowId, kind: z.string().regex(/^[a-z0-9-]{1,32}$/), localDate });
export const tickPayload = z.strictObject({}).default({});
const instant = z.iso.datetime({ offset: false });

export const cohortPayload = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('challenge-remind'), challengeId: rowId, kind: z.enum(['24h', '1h']), dueAt: instant }),
  z.strictObject({ type: z.literal('challenge-close'), challengeId: rowId, dueAt: instant }),
  z.strictObject({ type: z.literal('challenge-post'), challengeId: rowId, communityId: rowId }),
  z.strictObject({ type: z.literal('review-notify'), reviewId: rowId, communityId: rowId }),
  z.strictObject({ type: z.literal('digest'), communityId: rowId, week: localDate }),
]);

export const QUEUES = { lessons: 'bm-lessons', nudges: 'bm-nudges', ticks: 'bm-ticks', cohort: 'bm-cohort' } as const;
export const JOB_NAMES = { lesson: 'deliver-lesson', nudge: 'nudge', tick: 'tick', nudgeScan: 'nudge-scan', cohortScan: 'cohort-scan', cohort: 'cohort' } as const;

/** Job ids carry the idempotency keys (BullMQ allows ':' only as exactly three parts). */
export const lessonJobId = (p: z.infer<typeof lessonPayload>) => `lesson:${p.enrollmentId}:${p.localDate}`;
export const nudgeJobId = (p: z.infer<typeof nudgePayload>) => `nudge-${p.kind}:${p.learnerId}:${p.localDate}`;

/**
 * Cohort job ids. A reminder or close carries the deadline it was planned for (epoch ms), so an extended
 * deadline gets fresh jobs while the old ones find a different deadline in Postgres and do nothing.
 */
export function cohortJobId(p: z.infer<typeof cohortPayload>): string {
  switch (p.type) {
    case 'challenge-remind':
      return `chal-remind-${p.kind}:${p.challengeId}:${Date.parse(p.dueAt)}`;
    case 'challenge-close':
      return `chal-close:${p.challengeId}:${Date.parse(p.dueAt)}`;
    case 'challenge-post':
      return `chal-post:${p.communityId}:${p.challengeId}`;
    case 'review-notify':
      return `review-notify:${p.communityId}:${p.reviewId}`;
    case 'digest':
      return `digest:${p.communityId}:${p.week}`;
  }
}

/** Lesson jobs mostly wait (on the platform, on a batched statement), so many can run at once cheaply. */
export const DEFAULT_LESSON_CONCURRENCY = 256;

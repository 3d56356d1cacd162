// Job names and payloads, parsed with zod whenever a worker picks a job up.
import { z } from 'zod';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-MM-dd');
const rowId = z.number().int().positive();

export const lessonPayload = z.strictObject({ enrollmentId: rowId, localDate });
export const nudgePayload = z.strictObject({ learnerId: rowId, kind: z.string().regex(/^[a-z0-9-]{1,32}$/), localDate });
export const tickPayload = z.strictObject({}).default({});

export const QUEUES = { lessons: 'bm-lessons', nudges: 'bm-nudges', ticks: 'bm-ticks' } as const;
export const JOB_NAMES = { lesson: 'deliver-lesson', nudge: 'nudge', tick: 'tick', nudgeScan: 'nudge-scan' } as const;

/** Job ids carry the idempotency keys (BullMQ allows ':' only as exactly three parts). */
export const lessonJobId = (p: z.infer<typeof lessonPayload>) => `lesson:${p.enrollmentId}:${p.localDate}`;
export const nudgeJobId = (p: z.infer<typeof nudgePayload>) => `nudge-${p.kind}:${p.learnerId}:${p.localDate}`;

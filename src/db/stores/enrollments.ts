import { eq } from 'drizzle-orm';
import type { Enrollment, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { enrollments } from '../schema.js';

export function enrollmentStore(db: Db): Stores['enrollments'] {
  const client = db.$client;
  return {
    async find(learnerId, courseId): Promise<Enrollment | null> {
      // On most requests: straight to postgres.js (which hands timestamps over as text here).
      const [row] = await client<(Omit<Enrollment, 'nextDeliveryAt' | 'startedAt' | 'finishedAt'> & Record<'nextDeliveryAt' | 'startedAt' | 'finishedAt', string | null>)[]>`
        select id, learner_id as "learnerId", course_id as "courseId", position,
          next_delivery_at as "nextDeliveryAt", started_at as "startedAt", finished_at as "finishedAt"
        from enrollments where learner_id = ${learnerId} and course_id = ${courseId}`;
      if (!row) return null;
      const date = (v: string | null) => (v === null ? null : new Date(v));
      return { ...row, nextDeliveryAt: date(row.nextDeliveryAt), startedAt: new Date(row.startedAt!), finishedAt: date(row.finishedAt) };
    },
    async create(learnerId, courseId, nextDeliveryAt, startedAt) {
      const [row] = await db
        .insert(enrollments)
        .values({ learnerId, courseId, nextDeliveryAt, startedAt })
        .onConflictDoUpdate({ target: [enrollments.learnerId, enrollments.courseId], set: { learnerId } })
        .returning();
      return row!;
    },
    async setNextDelivery(enrollmentId, nextDeliveryAt) {
      await db.update(enrollments).set({ nextDeliveryAt }).where(eq(enrollments.id, enrollmentId));
    },
  };
}

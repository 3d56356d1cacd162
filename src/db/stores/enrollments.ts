import { and, eq } from 'drizzle-orm';
import type { Enrollment, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { enrollments } from '../schema.js';

export function enrollmentStore(db: Db): Stores['enrollments'] {
  return {
    async find(learnerId, courseId): Promise<Enrollment | null> {
      const [row] = await db.select().from(enrollments).where(and(eq(enrollments.learnerId, learnerId), eq(enrollments.courseId, courseId)));
      return row ?? null;
    },
    async create(learnerId, courseId, nextDeliveryAt) {
      const [row] = await db
        .insert(enrollments)
        .values({ learnerId, courseId, nextDeliveryAt })
        .onConflictDoUpdate({ target: [enrollments.learnerId, enrollments.courseId], set: { learnerId } })
        .returning();
      return row!;
    },
    async setNextDelivery(enrollmentId, nextDeliveryAt) {
      await db.update(enrollments).set({ nextDeliveryAt }).where(eq(enrollments.id, enrollmentId));
    },
  };
}

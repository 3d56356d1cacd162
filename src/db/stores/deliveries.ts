import { and, desc, eq, sql } from 'drizzle-orm';
import type { Delivery, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { deliveries, enrollments } from '../schema.js';

const columns = {
  id: deliveries.id,
  enrollmentId: deliveries.enrollmentId,
  learnerId: deliveries.learnerId,
  localDate: deliveries.localDate,
  lessonId: deliveries.lessonId,
};

// These fields never change once a delivery is written, and every quiz answer names its delivery:
// a bounded cache saves a round trip per answer.
const CACHE_MAX = 10_000;

export function deliveryStore(db: Db): Stores['deliveries'] {
  const known = new Map<number, Delivery>();
  const remember = (delivery: Delivery): Delivery => {
    if (known.size >= CACHE_MAX) known.delete(known.keys().next().value!);
    known.set(delivery.id, delivery);
    return delivery;
  };
  const client = db.$client;
  const forDay = async (enrollmentId: number, localDate: string): Promise<Delivery | null> => {
    const [row] = await client<Delivery[]>`
      select id, enrollment_id as "enrollmentId", learner_id as "learnerId", local_date as "localDate", lesson_id as "lessonId"
      from deliveries where enrollment_id = ${enrollmentId} and local_date = ${localDate}`;
    return row ? remember(row) : null;
  };
  return {
    async find(deliveryId) {
      const cached = known.get(deliveryId);
      if (cached) return cached;
      const [row] = await db.select(columns).from(deliveries).where(eq(deliveries.id, deliveryId));
      return row ? remember(row) : null;
    },
    forDay,
    async latest(enrollmentId) {
      const [row] = await db.select(columns).from(deliveries).where(eq(deliveries.enrollmentId, enrollmentId)).orderBy(desc(deliveries.localDate)).limit(1);
      return row ?? null;
    },
    async createForDay({ enrollment, localDate, lessonId, state, finishedAt, nextDeliveryAt }) {
      const withState = { ...columns, state: deliveries.state };
      return db.transaction(async (tx) => {
        const [created] = await tx
          .insert(deliveries)
          .values({ enrollmentId: enrollment.id, learnerId: enrollment.learnerId, localDate, lessonId, state })
          .onConflictDoNothing()
          .returning(withState);
        if (!created) {
          const [existing] = await tx.select(withState).from(deliveries).where(and(eq(deliveries.enrollmentId, enrollment.id), eq(deliveries.localDate, localDate)));
          return existing!;
        }
        // Guarded by the position we read, so two racing days can never hand out the same lesson twice.
        const advanced = await tx
          .update(enrollments)
          .set({ position: sql`${enrollments.position} + 1`, nextDeliveryAt, finishedAt })
          .where(and(eq(enrollments.id, enrollment.id), eq(enrollments.position, enrollment.position)))
          .returning({ id: enrollments.id });
        if (advanced.length === 0) throw new Error(`enrollment ${enrollment.id} moved on concurrently; retry`);
        return created;
      });
    },
  };
}

import { desc, eq } from 'drizzle-orm';
import type { Delivery, DeliveryState, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { deliveries } from '../schema.js';

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
    async createForDay({ at, enrollment, localDate, lessonId, state, finishedAt, nextDeliveryAt }) {
      type Row = Delivery & { state: DeliveryState };
      // One statement: the day's row and the enrolment's move happen together or not at all. The insert is
      // guarded by the position we read, so two racing days can never hand out the same lesson twice.
      const [created] = await client<Row[]>`
        with ins as (
          insert into deliveries (enrollment_id, learner_id, local_date, lesson_id, state, created_at)
          select ${enrollment.id}, ${enrollment.learnerId}, ${localDate}, ${lessonId}, ${state}, ${at.toISOString()}
          where exists (select 1 from enrollments where id = ${enrollment.id} and position = ${enrollment.position})
          on conflict (enrollment_id, local_date) do nothing
          returning id, enrollment_id, learner_id, local_date, lesson_id, state
        ),
        moved as (
          update enrollments
          set position = position + 1, next_delivery_at = ${nextDeliveryAt?.toISOString() ?? null}, finished_at = ${finishedAt?.toISOString() ?? null}
          where id = ${enrollment.id} and exists (select 1 from ins)
        )
        select id, enrollment_id as "enrollmentId", learner_id as "learnerId", local_date as "localDate", lesson_id as "lessonId", state from ins`;
      if (created) return created;
      const [existing] = await client<Row[]>`
        select id, enrollment_id as "enrollmentId", learner_id as "learnerId", local_date as "localDate", lesson_id as "lessonId", state
        from deliveries where enrollment_id = ${enrollment.id} and local_date = ${localDate}`;
      if (!existing) throw new Error(`enrollment ${enrollment.id} moved on concurrently; retry`);
      return existing;
    },
  };
}

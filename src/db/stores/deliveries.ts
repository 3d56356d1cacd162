import { desc, eq } from 'drizzle-orm';
import type { Delivery, DeliveryState, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { runBatch } from '../batch.js';
import { coalesce } from '../coalesce.js';
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

type DayInput = Parameters<Stores['deliveries']['createForDay']>[0];
type DayRow = Delivery & { state: DeliveryState; created: boolean };

const DAY_COLUMNS = `d.id, d.enrollment_id as "enrollmentId", d.learner_id as "learnerId", d.local_date as "localDate", d.lesson_id as "lessonId", d.state`;

const CREATE_DAYS = (rows: string, count: number) => `
  with input as (
    select * from json_to_recordset(${rows}) as i(
      "enrollmentId" bigint, "learnerId" bigint, position int, "localDate" date, "lessonId" text, state text,
      at timestamptz, "nextDeliveryAt" timestamptz, "finishedAt" timestamptz)
    limit ${count}
  ),
  ins as (
    insert into deliveries as d (enrollment_id, learner_id, local_date, lesson_id, state, created_at)
    select i."enrollmentId", i."learnerId", i."localDate", i."lessonId", i.state, i.at
    from input i join enrollments e on e.id = i."enrollmentId" and e.position = i.position
    order by i."enrollmentId"
    on conflict (enrollment_id, local_date) do nothing
    returning ${DAY_COLUMNS}
  ),
  moved as (
    update enrollments e
    set position = e.position + 1, next_delivery_at = i."nextDeliveryAt", finished_at = i."finishedAt"
    from input i join ins on ins."enrollmentId" = i."enrollmentId"
    where e.id = i."enrollmentId"
  )
  select *, true as created from ins`;

const EXISTING_DAYS = (rows: string, count: number) => `
  select ${DAY_COLUMNS}, false as created
  from deliveries d
  join (select * from json_to_recordset(${rows}) as k("enrollmentId" bigint, "localDate" date) limit ${count}) k
    on d.enrollment_id = k."enrollmentId" and d.local_date = k."localDate"`;

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
  // One statement per batch: each day's row and its enrolment's move happen together or not at all. The
  // insert is guarded by the position read, so two racing days never hand out the same lesson twice.
  // Delivery jobs and learners asking for today's lesson at the same time share the statement.
  const createForDay = coalesce(
    async (inputs: DayInput[]): Promise<DayRow[]> => {
      const rows = inputs.map((i) => ({
        enrollmentId: i.enrollment.id,
        learnerId: i.enrollment.learnerId,
        position: i.enrollment.position,
        localDate: i.localDate,
        lessonId: i.lessonId,
        state: i.state,
        at: i.at.toISOString(),
        nextDeliveryAt: i.nextDeliveryAt?.toISOString() ?? null,
        finishedAt: i.finishedAt?.toISOString() ?? null,
      }));
      // One input per enrolment in a batch (the coalesce key), so the enrolment names its day.
      const found = new Map((await runBatch<DayRow>(client, CREATE_DAYS, rows)).map((day) => [day.enrollmentId, day]));
      // A day that was not created already exists (a retry, or whoever asked first): read it after the insert.
      const missing = rows.filter((row) => !found.has(row.enrollmentId));
      if (missing.length) for (const day of await runBatch<DayRow>(client, EXISTING_DAYS, missing)) found.set(day.enrollmentId, day);
      return rows.map((row) => {
        const day = found.get(row.enrollmentId);
        if (!day) throw new Error(`enrollment ${row.enrollmentId} moved on concurrently; retry`);
        // Its quiz answers name it next.
        remember({ id: day.id, enrollmentId: day.enrollmentId, learnerId: day.learnerId, localDate: day.localDate, lessonId: day.lessonId });
        return day;
      });
    },
    { key: (input) => input.enrollment.id },
  );
  return {
    async find(deliveryId) {
      const cached = known.get(deliveryId);
      if (cached) return cached;
      const [row] = await client<Delivery[]>`
        select id, enrollment_id as "enrollmentId", learner_id as "learnerId", local_date as "localDate", lesson_id as "lessonId"
        from deliveries where id = ${deliveryId}`;
      return row ? remember(row) : null;
    },
    forDay,
    async latest(enrollmentId) {
      const [row] = await db.select(columns).from(deliveries).where(eq(deliveries.enrollmentId, enrollmentId)).orderBy(desc(deliveries.localDate)).limit(1);
      return row ?? null;
    },
    createForDay,
  };
}

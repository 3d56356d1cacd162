import { and, desc, eq } from 'drizzle-orm';
import type { DayDelivery, Delivery, DeliveryState, Stores } from '../../app/ports.js';
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
type DayRow = Omit<DayDelivery, 'unsureBefore'> & { unsureBefore: string | Date | null };

const DAY_COLUMNS = `d.id, d.enrollment_id as "enrollmentId", d.learner_id as "learnerId", d.local_date as "localDate", d.lesson_id as "lessonId", d.state, d.attempts`;

// The row each input lands on: the day's own, or else an earlier day still pending, carried over to this
// one (the same row, so the same message key, and what its attempts may have posted is looked for; the
// course never skips a lesson). `prior` reads it as it was before this statement, so an attempt learns
// whether an earlier one may have posted. Writes are guarded by the position read, so a stale caller
// changes nothing. On a row that has not reached the learner:
// - a request ('sent') hands its lesson out now and moves the enrolment on;
// - a scheduled attempt ('pending') counts itself, and marks itself unsure until it knows (a crash
//   mid-send leaves it so). Its lesson is the current position's (a failed day's may be older).
// No row yet: one is inserted; a racing insert from elsewhere wins, and the caller reads that one.
const CREATE_DAYS = (rows: string, count: number) => `
  with input as (
    select * from json_to_recordset(${rows}) as i(
      "enrollmentId" bigint, "learnerId" bigint, position int, "localDate" date, "lessonId" text, state text,
      at timestamptz, "nextDeliveryAt" timestamptz, "finishedAt" timestamptz)
    limit ${count}
  ),
  target as (
    select i."enrollmentId", coalesce(
      (select d.id from deliveries d where d.enrollment_id = i."enrollmentId" and d.local_date = i."localDate"),
      (select d.id from deliveries d where d.enrollment_id = i."enrollmentId" and d.state = 'pending' and d.local_date < i."localDate"
        order by d.local_date desc limit 1)) as id
    from input i
  ),
  prior as (
    select t."enrollmentId", d.unsure_since from target t join deliveries d on d.id = t.id
  ),
  updated as (
    update deliveries d set
      local_date = i."localDate",
      state = case when i.state = 'sent' then 'sent' else 'pending' end,
      lesson_id = i."lessonId",
      attempts = d.attempts + case when i.state = 'pending' then 1 else 0 end,
      unsure_since = coalesce(d.unsure_since, case when i.state = 'pending' then i.at end)
    from input i join enrollments e on e.id = i."enrollmentId" and e.position = i.position
      join target t on t."enrollmentId" = i."enrollmentId"
    where d.id = t.id and d.state <> 'sent'
    returning ${DAY_COLUMNS}, false as created
  ),
  inserted as (
    insert into deliveries as d (enrollment_id, learner_id, local_date, lesson_id, state, attempts, unsure_since, created_at)
    select i."enrollmentId", i."learnerId", i."localDate", i."lessonId", i.state,
      case when i.state = 'pending' then 1 else 0 end, case when i.state = 'pending' then i.at end, i.at
    from input i join enrollments e on e.id = i."enrollmentId" and e.position = i.position
      join target t on t."enrollmentId" = i."enrollmentId"
    where t.id is null
    order by i."enrollmentId"
    on conflict (enrollment_id, local_date) do nothing
    returning ${DAY_COLUMNS}, true as created
  ),
  days as (select * from updated union all select * from inserted),
  moved as (
    update enrollments e
    set position = e.position + 1, next_delivery_at = i."nextDeliveryAt", finished_at = i."finishedAt"
    from input i join days on days."enrollmentId" = i."enrollmentId"
    where e.id = i."enrollmentId" and days.state = 'sent'
  )
  select days.*, true as began, prior.unsure_since as "unsureBefore" from days left join prior on prior."enrollmentId" = days."enrollmentId"`;

const EXISTING_DAYS = (rows: string, count: number) => `
  select ${DAY_COLUMNS}, false as created, false as began, null as "unsureBefore"
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
  const forDay = async (enrollmentId: number, localDate: string): Promise<(Delivery & { state: DeliveryState }) | null> => {
    const [row] = await client<(Delivery & { state: DeliveryState })[]>`
      select id, enrollment_id as "enrollmentId", learner_id as "learnerId", local_date as "localDate", lesson_id as "lessonId", state
      from deliveries
      where enrollment_id = ${enrollmentId} and local_date >= ${localDate} and (local_date = ${localDate} or state = 'sent')
      order by local_date = ${localDate} desc, local_date desc limit 1`;
    if (!row) return null;
    remember({ id: row.id, enrollmentId: row.enrollmentId, learnerId: row.learnerId, localDate: row.localDate, lessonId: row.lessonId });
    return row;
  };
  // One statement per batch: each day's row and its enrolment's move happen together or not at all. The
  // insert is guarded by the position read, so two racing days never hand out the same lesson twice.
  // Delivery jobs and learners asking for today's lesson at the same time share the statement.
  const createForDay = coalesce(
    async (inputs: DayInput[]): Promise<DayDelivery[]> => {
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
        return { ...day, unsureBefore: day.unsureBefore === null ? null : new Date(day.unsureBefore) };
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
      const [row] = await db
        .select(columns)
        .from(deliveries)
        .where(and(eq(deliveries.enrollmentId, enrollmentId), eq(deliveries.state, 'sent')))
        .orderBy(desc(deliveries.localDate))
        .limit(1);
      return row ?? null;
    },
    createForDay,
  };
}

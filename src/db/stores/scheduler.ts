// Queries the scheduler and delivery jobs run; hot at fan-out, so straight to postgres.js.
import type { DeliveryTarget, SchedulerStore } from '../../app/ports.js';
import type { Db } from '../client.js';
import { runBatch } from '../batch.js';
import { coalesce } from '../coalesce.js';
import { dateOrNull, TARGET_COLUMNS, toTarget, type TargetRow } from './target.js';

type EnrollmentRow = TargetRow & {
  enrollmentId: number;
  courseId: string;
  position: number;
  nextDeliveryAt: string | null;
  startedAt: string;
  finishedAt: string | null;
};

type SentInput = Parameters<SchedulerStore['markSent']>[0];
type RetryInput = Parameters<SchedulerStore['retryLater']>[0];

// An outage fails every due learner at once: their retries are recorded in batches too.
const RETRY_LATER = (rows: string, count: number) => `
  with input as (
    select * from json_to_recordset(${rows}) as i("deliveryId" bigint, "enrollmentId" bigint, "nextDeliveryAt" timestamptz, "clearUnsure" boolean)
    limit ${count}
  ),
  tried as (
    update deliveries d set unsure_since = case when i."clearUnsure" then null else d.unsure_since end
    from input i where d.id = i."deliveryId" and d.state <> 'sent' returning d.id
  )
  update enrollments e set next_delivery_at = i."nextDeliveryAt"
  from input i join tried on tried.id = i."deliveryId"
  where e.id = i."enrollmentId" and e.finished_at is null`;

const TARGETS = (ids: string, count: number) => `
  select e.id as "enrollmentId", e.course_id as "courseId", e.position, e.next_delivery_at as "nextDeliveryAt",
    e.started_at as "startedAt", e.finished_at as "finishedAt", ${TARGET_COLUMNS}
  from enrollments e join learners l on l.id = e.learner_id join communities c on c.id = l.community_id
  where e.id in (select value::bigint from json_array_elements_text(${ids}) limit ${count})`;

const MARK_SENT = (rows: string, count: number) => `
  with input as (
    select * from json_to_recordset(${rows}) as i(
      "deliveryId" bigint, "messageRef" text, "dmChannelId" text, "learnerId" bigint, "enrollmentId" bigint,
      "nextDeliveryAt" timestamptz, "finishedAt" timestamptz)
    limit ${count}
  ),
  sent as (
    update deliveries d set state = 'sent', message_ref = i."messageRef", unsure_since = null
    from input i where d.id = i."deliveryId" and d.state <> 'sent' returning d.id
  ),
  moved as (
    update enrollments e set position = e.position + 1, next_delivery_at = i."nextDeliveryAt", finished_at = i."finishedAt"
    from input i join sent on sent.id = i."deliveryId"
    where e.id = i."enrollmentId"
  )
  update learners l set dm_channel_id = i."dmChannelId"
  from input i
  where l.id = i."learnerId" and i."dmChannelId" is not null and l.dm_channel_id is distinct from i."dmChannelId"`;

const toDeliveryTarget = (row: EnrollmentRow): DeliveryTarget => ({
  ...toTarget(row),
  enrollment: {
    id: row.enrollmentId,
    learnerId: row.learnerId,
    courseId: row.courseId,
    position: row.position,
    nextDeliveryAt: dateOrNull(row.nextDeliveryAt),
    startedAt: new Date(row.startedAt),
    finishedAt: dateOrNull(row.finishedAt),
  },
});

export function schedulerStore(db: Db): SchedulerStore {
  const sql = db.$client;
  // Every delivery job reads its target and records its send; the jobs running at the same time in this
  // process share one statement for each (see coalesce.ts).
  const target = coalesce(async (ids: number[]) => {
    const rows = await runBatch<EnrollmentRow>(sql, TARGETS, ids);
    const byId = new Map(rows.map((row) => [row.enrollmentId, row]));
    return ids.map((id) => {
      const row = byId.get(id);
      return row ? toDeliveryTarget(row) : null;
    });
  });
  // The send, the next delivery and the cached DM channel change together; a learner appears once a batch.
  const markSent = coalesce(
    async (inputs: SentInput[]) => {
      await runBatch(sql, MARK_SENT, inputs);
      return inputs.map(() => undefined);
    },
    { key: (input) => input.learnerId },
  );
  const retryLater = coalesce(
    async (inputs: RetryInput[]) => {
      await runBatch(sql, RETRY_LATER, inputs.map((i) => ({ ...i, nextDeliveryAt: i.nextDeliveryAt.toISOString() })));
      return inputs.map(() => undefined);
    },
    { key: (input) => input.enrollmentId },
  );
  return {
    async dueEnrollments(now, afterId, limit) {
      return sql<{ enrollmentId: number; timezone: string }[]>`
        select e.id as "enrollmentId", l.timezone
        from enrollments e join learners l on l.id = e.learner_id
        where e.next_delivery_at <= ${now.toISOString()} and e.finished_at is null
          and l.status = 'active' and e.id > ${afterId}
        order by e.id
        limit ${limit}`;
    },
    target,
    markSent,
    retryLater,
    async markFailed(deliveryId) {
      // The enrolment never moved for it: the next delivery hands the same lesson out.
      await sql`update deliveries set state = 'failed', unsure_since = null where id = ${deliveryId} and state = 'pending'`;
    },
    async markUnreachable(learnerId, at) {
      const rows = await sql`
        update learners set status = 'unreachable', unreachable_notified_at = ${at.toISOString()}
        where id = ${learnerId} and unreachable_notified_at is null
        returning id`;
      if (rows.length === 0) await sql`update learners set status = 'unreachable' where id = ${learnerId}`;
      return rows.length > 0;
    },
  };
}

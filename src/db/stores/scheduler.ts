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
    update deliveries d set state = 'sent', message_ref = i."messageRef" from input i where d.id = i."deliveryId" returning d.id
  ),
  moved as (
    update enrollments e set next_delivery_at = i."nextDeliveryAt", finished_at = i."finishedAt"
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
    async markFailed(deliveryId) {
      // The lesson was never seen: hand the same lesson out again next time instead of skipping it.
      await sql`
        with failed as (
          update deliveries set state = 'failed' where id = ${deliveryId} and state = 'pending' returning enrollment_id
        )
        update enrollments set position = greatest(position - 1, 0), finished_at = null
        where id in (select enrollment_id from failed)`;
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

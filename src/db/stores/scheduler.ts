// Queries the scheduler and delivery jobs run; hot at fan-out, so straight to postgres.js.
import type { DeliveryTarget, SchedulerStore } from '../../app/ports.js';
import type { Db } from '../client.js';
import { dateOrNull, targetColumns, toTarget, type TargetRow } from './target.js';

type EnrollmentRow = TargetRow & {
  enrollmentId: number;
  courseId: string;
  position: number;
  nextDeliveryAt: string | null;
  startedAt: string;
  finishedAt: string | null;
};

export function schedulerStore(db: Db): SchedulerStore {
  const sql = db.$client;
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
    async target(enrollmentId): Promise<DeliveryTarget | null> {
      const [row] = await sql<EnrollmentRow[]>`
        select e.id as "enrollmentId", e.course_id as "courseId", e.position, e.next_delivery_at as "nextDeliveryAt",
          e.started_at as "startedAt", e.finished_at as "finishedAt", ${targetColumns(sql)}
        from enrollments e join learners l on l.id = e.learner_id join communities c on c.id = l.community_id
        where e.id = ${enrollmentId}`;
      if (!row) return null;
      return {
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
      };
    },
    async markSent({ deliveryId, messageRef, dmChannelId, learnerId, enrollmentId, nextDeliveryAt, finishedAt }) {
      // One statement: the send, the next delivery and the cached DM channel change together.
      await sql`
        with sent as (
          update deliveries set state = 'sent', message_ref = ${messageRef} where id = ${deliveryId} returning id
        ),
        moved as (
          update enrollments set next_delivery_at = ${nextDeliveryAt?.toISOString() ?? null}, finished_at = ${finishedAt?.toISOString() ?? null}
          where id = ${enrollmentId} and exists (select 1 from sent)
        )
        update learners set dm_channel_id = ${dmChannelId}
        where id = ${learnerId} and ${dmChannelId}::text is not null and dm_channel_id is distinct from ${dmChannelId}`;
    },
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

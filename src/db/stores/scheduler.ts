// Queries the scheduler and delivery jobs run; hot at fan-out, so straight to postgres.js.
import type { DeliveryTarget, SchedulerStore } from '../../app/ports.js';
import type { Db } from '../client.js';
import type { CommunitySettings } from '../schema.js';

type TargetRow = {
  enrollmentId: number;
  learnerId: number;
  courseId: string;
  position: number;
  nextDeliveryAt: string | null;
  startedAt: string;
  finishedAt: string | null;
  communityId: number;
  externalId: string;
  displayName: string;
  timezone: string;
  deliveryTime: string;
  status: 'active' | 'paused' | 'unreachable';
  nudgesEnabled: boolean;
  quietStart: string;
  quietEnd: string;
  dmChannelId: string | null;
  deliveryChannelId: string | null;
  unreachableNotifiedAt: string | null;
  platform: 'discord' | 'slack' | 'console';
  communityExternalId: string;
  settings: CommunitySettings;
};

const date = (v: string | null) => (v === null ? null : new Date(v));

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
      const [row] = await sql<TargetRow[]>`
        select e.id as "enrollmentId", e.learner_id as "learnerId", e.course_id as "courseId", e.position,
          e.next_delivery_at as "nextDeliveryAt", e.started_at as "startedAt", e.finished_at as "finishedAt",
          l.community_id as "communityId", l.external_id as "externalId", l.display_name as "displayName", l.timezone,
          l.delivery_time as "deliveryTime", l.status, l.nudges_enabled as "nudgesEnabled", l.quiet_start as "quietStart",
          l.quiet_end as "quietEnd", l.dm_channel_id as "dmChannelId", l.delivery_channel_id as "deliveryChannelId",
          l.unreachable_notified_at as "unreachableNotifiedAt",
          c.platform, c.external_id as "communityExternalId", c.settings
        from enrollments e join learners l on l.id = e.learner_id join communities c on c.id = l.community_id
        where e.id = ${enrollmentId}`;
      if (!row) return null;
      return {
        enrollment: {
          id: row.enrollmentId,
          learnerId: row.learnerId,
          courseId: row.courseId,
          position: row.position,
          nextDeliveryAt: date(row.nextDeliveryAt),
          startedAt: new Date(row.startedAt),
          finishedAt: date(row.finishedAt),
        },
        learner: {
          id: row.learnerId,
          communityId: row.communityId,
          externalId: row.externalId,
          displayName: row.displayName,
          timezone: row.timezone,
          deliveryTime: row.deliveryTime,
          status: row.status,
          nudgesEnabled: row.nudgesEnabled,
          quietStart: row.quietStart,
          quietEnd: row.quietEnd,
          dmChannelId: row.dmChannelId,
          deliveryChannelId: row.deliveryChannelId,
          unreachableNotifiedAt: date(row.unreachableNotifiedAt),
        },
        community: {
          id: row.communityId,
          platform: row.platform,
          externalId: row.communityExternalId,
          defaultTimezone: row.settings.defaultTimezone ?? null,
          leadRoleIds: row.settings.leadRoleIds ?? [],
          leadUserIds: row.settings.leadUserIds ?? [],
          cohortChannelId: row.settings.cohortChannelId ?? null,
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

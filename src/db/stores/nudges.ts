// Facts for the nudge policy, one batch of learners per query (the scan touches every active learner).
import type { NudgeFacts, NudgeStore } from '../../app/ports.js';
import type { Db } from '../client.js';
import type { CommunitySettings } from '../schema.js';

type Row = {
  id: number;
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
  startedAt: string;
  lastActivityAt: string | null;
  streak: number;
  streakLastActive: string | null;
  deliveryId: number | null;
  lessonId: string | null;
  deliveryDate: string | null;
  deliveredAt: string | null;
  quizDone: boolean | null;
  practised: boolean | null;
  reviewsDue: number;
  recent: { kind: string; localDate: string; sentAt: string | null }[];
};

const date = (v: string | null) => (v === null ? null : new Date(v));

function toFacts(row: Row): NudgeFacts {
  return {
    target: {
      learner: {
        id: row.id,
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
    },
    enrolledAt: new Date(row.startedAt),
    lastActivityAt: date(row.lastActivityAt),
    streak: { current: row.streak, lastActive: row.streakLastActive },
    latestDelivery:
      row.deliveryId === null
        ? null
        : {
            id: row.deliveryId,
            lessonId: row.lessonId!,
            localDate: row.deliveryDate!,
            deliveredAt: new Date(row.deliveredAt!),
            quizDone: row.quizDone ?? false,
            practised: row.practised ?? false,
          },
    reviewsDue: row.reviewsDue,
    recentNudges: row.recent.map((n) => ({ kind: n.kind, localDate: n.localDate, sentAt: date(n.sentAt) })),
  };
}

export function nudgeStore(db: Db): NudgeStore {
  const sql = db.$client;
  const select = (courseId: string, now: Date, where: ReturnType<typeof sql>, limit: number) => sql<Row[]>`
    select l.id, l.community_id as "communityId", l.external_id as "externalId", l.display_name as "displayName",
      l.timezone, l.delivery_time as "deliveryTime", l.status, l.nudges_enabled as "nudgesEnabled",
      l.quiet_start as "quietStart", l.quiet_end as "quietEnd", l.dm_channel_id as "dmChannelId",
      l.delivery_channel_id as "deliveryChannelId", l.unreachable_notified_at as "unreachableNotifiedAt",
      c.platform, c.external_id as "communityExternalId", c.settings, e.started_at as "startedAt",
      greatest(
        (select max(a.answered_at) from answers a where a.learner_id = l.id),
        (select max(p.created_at) from practice_logs p where p.learner_id = l.id),
        (select max(r.updated_at) from review_cards r where r.learner_id = l.id)
      ) as "lastActivityAt",
      coalesce(s.current, 0) as streak, s.last_active as "streakLastActive",
      d.id as "deliveryId", d.lesson_id as "lessonId", d.local_date as "deliveryDate", d.created_at as "deliveredAt",
      d.quiz_completed_on is not null as "quizDone",
      exists (select 1 from practice_logs p where p.learner_id = l.id and p.lesson_id = d.lesson_id) as practised,
      (select count(*)::int from review_cards r where r.learner_id = l.id and r.due <= ${now.toISOString()}) as "reviewsDue",
      coalesce((
        select json_agg(json_build_object('kind', n.kind, 'localDate', n.local_date, 'sentAt', n.sent_at))
        from nudges n where n.learner_id = l.id and n.local_date >= (${now.toISOString()}::timestamptz - interval '35 days')::date
      ), '[]'::json) as recent
    from learners l
    join communities c on c.id = l.community_id
    join enrollments e on e.learner_id = l.id and e.course_id = ${courseId}
    left join streaks s on s.learner_id = l.id
    left join lateral (
      select * from deliveries d where d.enrollment_id = e.id and d.state = 'sent' order by d.local_date desc limit 1
    ) d on true
    where ${where}
    order by l.id
    limit ${limit}`;
  return {
    async candidates(courseId, now, afterId, limit) {
      const rows = await select(courseId, now, sql`l.status = 'active' and l.nudges_enabled and e.finished_at is null and l.id > ${afterId}`, limit);
      return rows.map(toFacts);
    },
    async facts(courseId, learnerId, now) {
      const [row] = await select(courseId, now, sql`l.id = ${learnerId}`, 1);
      return row ? toFacts(row) : null;
    },
    async claim(learnerId, kind, localDate) {
      const [row] = await sql<{ id: number }[]>`
        insert into nudges (learner_id, kind, local_date) values (${learnerId}, ${kind}, ${localDate})
        on conflict (learner_id, kind, local_date) do update set kind = excluded.kind where nudges.sent_at is null
        returning id`;
      return row?.id ?? null;
    },
    async markSent(nudgeId, at) {
      await sql`update nudges set sent_at = ${at.toISOString()}, outcome = 'sent' where id = ${nudgeId}`;
    },
  };
}

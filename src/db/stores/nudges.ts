// Facts for the nudge policy, one batch of learners per query (the scan touches every active learner).
import type { NudgeFacts, NudgeStore } from '../../app/ports.js';
import type { Db } from '../client.js';
import { activityDays } from './activity.js';
import { dateOrNull, targetColumns, toTarget, type TargetRow } from './target.js';

type Row = TargetRow & {
  startedAt: string;
  lastActivityAt: string | null;
  activityDates: string[];
  deliveryId: number | null;
  lessonId: string | null;
  deliveryDate: string | null;
  deliveredAt: string | null;
  quizDone: boolean | null;
  practised: boolean | null;
  reviewsDue: number;
  recent: { kind: string; localDate: string; sentAt: string | null }[];
};

function toFacts(row: Row): NudgeFacts {
  return {
    target: toTarget(row),
    enrolledAt: new Date(row.startedAt),
    lastActivityAt: dateOrNull(row.lastActivityAt),
    activityDates: row.activityDates,
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
    recentNudges: row.recent.map((n) => ({ kind: n.kind, localDate: n.localDate, sentAt: dateOrNull(n.sentAt) })),
  };
}

export function nudgeStore(db: Db): NudgeStore {
  const sql = db.$client;
  const select = (courseId: string, now: Date, where: ReturnType<typeof sql>, limit: number) => sql<Row[]>`
    select ${targetColumns(sql)}, e.started_at as "startedAt",
      greatest(
        (select max(a.answered_at) from answers a where a.learner_id = l.id),
        (select max(p.created_at) from practice_logs p where p.learner_id = l.id),
        (select max(r.updated_at) from review_cards r where r.learner_id = l.id)
      ) as "lastActivityAt",
      -- The activity itself, not the cached streaks row: freezes and the clock's day decide what is alive.
      coalesce((select json_agg(day) from (${activityDays(sql, sql('l.id'))}) days), '[]'::json) as "activityDates",
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

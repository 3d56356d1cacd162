// Read-only cohort reports: leaderboard, stats, export, digest. Each query is filtered by community first.
import type { ChallengeCounts, CohortReportStore } from '../../app/cohort/ports.js';
import type { LeaderboardEntry } from '../../core/leaderboard.js';
import type { Db } from '../client.js';
import { CHALLENGE_COLUMNS, COUNT_COLUMNS, toChallenge, type ChallengeRow } from './challenges.js';

const date = (v: string | null) => (v === null ? null : new Date(v));

export function cohortReportStore(db: Db): CohortReportStore {
  const sql = db.$client;
  return {
    async leaderboard(communityId) {
      return sql<LeaderboardEntry[]>`
        select l.id as "learnerId", l.display_name as name,
          coalesce((select sum(r.points)::int from reviews r join submissions s on s.id = r.submission_id join challenges c on c.id = s.challenge_id
                    where s.learner_id = l.id and c.community_id = ${communityId} and r.decision = 'accepted'), 0) as "challengePoints",
          coalesce(a.answered, 0) as answered, coalesce(a.correct, 0) as correct
        from learners l
        left join lateral (
          select count(*)::int as answered, (count(*) filter (where correct))::int as correct from answers where learner_id = l.id
        ) a on true
        where l.community_id = ${communityId}`;
    },

    async statsFacts(communityId) {
      const learners = await sql<{ learnerId: number; name: string; timezone: string; status: 'active' | 'paused' | 'unreachable'; joinedAt: string; lastActiveAt: string | null; current: number | null; lastActive: string | null }[]>`
        select l.id as "learnerId", l.display_name as name, l.timezone, l.status,
          coalesce((select min(e.started_at) from enrollments e where e.learner_id = l.id), l.created_at) as "joinedAt",
          greatest(
            (select max(answered_at) from answers where learner_id = l.id),
            (select max(created_at) from practice_logs where learner_id = l.id),
            (select max(submitted_at) from submissions where learner_id = l.id)
          ) as "lastActiveAt",
          st.current, st.last_active as "lastActive"
        from learners l left join streaks st on st.learner_id = l.id
        where l.community_id = ${communityId}
        order by l.id`;
      const questions = await sql<{ questionId: string; answered: number; correct: number }[]>`
        select a.question_id as "questionId", count(*)::int as answered, (count(*) filter (where a.correct))::int as correct
        from answers a join learners l on l.id = a.learner_id
        where l.community_id = ${communityId}
        group by a.question_id`;
      const [pending] = await sql<{ n: number }[]>`
        select count(*)::int as n from submissions s join challenges c on c.id = s.challenge_id
        where c.community_id = ${communityId} and s.status = 'pending'`;
      // Self-reviewed: the acceptance was made by the submitter (a community with no other lead).
      const selfReviewed = await sql<{ learnerName: string; challengeId: number; challengeTitle: string; acceptedAt: string }[]>`
        select l.display_name as "learnerName", c.id as "challengeId", c.title as "challengeTitle", r.created_at as "acceptedAt"
        from reviews r join submissions s on s.id = r.submission_id join challenges c on c.id = s.challenge_id join learners l on l.id = s.learner_id
        where c.community_id = ${communityId} and r.decision = 'accepted' and r.reviewer_external_id = l.external_id
        order by r.created_at desc, r.id desc
        limit 50`;
      return {
        learners: learners.map((l) => ({
          learnerId: l.learnerId,
          name: l.name,
          timezone: l.timezone,
          status: l.status,
          joinedAt: new Date(l.joinedAt),
          lastActiveAt: date(l.lastActiveAt),
          streak: { current: l.current ?? 0, lastActive: l.lastActive },
        })),
        questions: [...questions],
        pendingReviews: pending?.n ?? 0,
        selfReviewed: selfReviewed.map((r) => ({ ...r, acceptedAt: new Date(r.acceptedAt) })),
      };
    },

    async exportRows(communityId) {
      const learners = await sql<{ learnerId: number; externalId: string; name: string; timezone: string; status: string; joinedAt: string; lessonsDelivered: number; quizzesFinished: number; answered: number; correct: number; practiceLogs: number; streakCurrent: number; streakLongest: number; streakLastActive: string | null; challengePoints: number }[]>`
        select l.id as "learnerId", l.external_id as "externalId", l.display_name as name, l.timezone, l.status,
          coalesce((select min(e.started_at) from enrollments e where e.learner_id = l.id), l.created_at) as "joinedAt",
          (select count(*)::int from deliveries d where d.learner_id = l.id) as "lessonsDelivered",
          (select count(d.quiz_completed_on)::int from deliveries d where d.learner_id = l.id) as "quizzesFinished",
          (select count(*)::int from answers a where a.learner_id = l.id) as answered,
          (select count(*)::int from answers a where a.learner_id = l.id and a.correct) as correct,
          (select count(*)::int from practice_logs p where p.learner_id = l.id) as "practiceLogs",
          coalesce(st.current, 0) as "streakCurrent", coalesce(st.longest, 0) as "streakLongest", st.last_active as "streakLastActive",
          coalesce((select sum(r.points)::int from reviews r join submissions s on s.id = r.submission_id join challenges c on c.id = s.challenge_id
                    where s.learner_id = l.id and c.community_id = ${communityId} and r.decision = 'accepted'), 0) as "challengePoints"
        from learners l left join streaks st on st.learner_id = l.id
        where l.community_id = ${communityId}
        order by l.display_name, l.id`;
      const answers = await sql<{ learnerExternalId: string; learnerName: string; lessonId: string; questionId: string; choice: number; correct: boolean; answeredAt: string; localDate: string }[]>`
        select l.external_id as "learnerExternalId", l.display_name as "learnerName", d.lesson_id as "lessonId", a.question_id as "questionId",
          a.choice, a.correct, a.answered_at as "answeredAt", a.local_date as "localDate"
        from answers a join learners l on l.id = a.learner_id join deliveries d on d.id = a.delivery_id
        where l.community_id = ${communityId}
        order by l.display_name, l.id, a.answered_at, a.id`;
      const submissions = await sql<{ challengeId: number; challengeTitle: string; learnerExternalId: string; learnerName: string; link: string | null; note: string; status: string; late: boolean; submittedAt: string; updatedAt: string; reviewer: string | null; feedback: string | null; points: number; selfReviewed: boolean | null }[]>`
        select c.id as "challengeId", c.title as "challengeTitle", l.external_id as "learnerExternalId", l.display_name as "learnerName",
          s.link, s.note, s.status, s.late, s.submitted_at as "submittedAt", s.updated_at as "updatedAt",
          r.reviewer_external_id as reviewer, r.feedback, coalesce(r.points, 0) as points,
          case when r.id is null then null else r.reviewer_external_id = l.external_id end as "selfReviewed"
        from submissions s join challenges c on c.id = s.challenge_id join learners l on l.id = s.learner_id
        left join lateral (select * from reviews r where r.submission_id = s.id order by r.created_at desc, r.id desc limit 1) r on true
        where c.community_id = ${communityId}
        order by c.id, l.display_name, l.id`;
      return {
        learners: learners.map((l) => ({ ...l, joinedAt: new Date(l.joinedAt) })),
        answers: answers.map((a) => ({ ...a, answeredAt: new Date(a.answeredAt) })),
        submissions: submissions.map((s) => ({ ...s, submittedAt: new Date(s.submittedAt), updatedAt: new Date(s.updatedAt) })),
      };
    },

    async recentLeads(communityId, since) {
      const rows = await sql<{ id: string }[]>`
        select created_by as id from challenges where community_id = ${communityId} and created_at >= ${since.toISOString()}
        union
        select r.reviewer_external_id from reviews r join submissions s on s.id = r.submission_id join challenges c on c.id = s.challenge_id
        where c.community_id = ${communityId} and r.created_at >= ${since.toISOString()}`;
      return rows.map((r) => r.id);
    },

    async digestFacts(communityId, since, now) {
      const streaks = await sql<{ name: string; timezone: string; current: number; lastActive: string | null }[]>`
        select l.display_name as name, l.timezone, st.current, st.last_active as "lastActive"
        from streaks st join learners l on l.id = st.learner_id
        where l.community_id = ${communityId} and st.current > 0
        order by st.current desc, l.display_name, l.id
        limit 50`;
      const challenges = await sql<(ChallengeRow & ChallengeCounts)[]>`
        select ${sql.unsafe(CHALLENGE_COLUMNS)}, ${sql.unsafe(COUNT_COLUMNS)}
        from challenges c
        where c.community_id = ${communityId}
          and ((c.due_at > ${since.toISOString()} and c.due_at <= ${now.toISOString()}) or c.status = 'open')
        order by c.due_at, c.id
        limit 20`;
      const lessons = await sql<{ lessonId: string; finished: number }[]>`
        select d.lesson_id as "lessonId", count(*)::int as finished
        from deliveries d join learners l on l.id = d.learner_id
        where l.community_id = ${communityId} and d.quiz_completed_on is not null
          and d.created_at > ${since.toISOString()} and d.created_at <= ${now.toISOString()}
        group by d.lesson_id
        order by finished desc, d.lesson_id`;
      return {
        streaks: [...streaks],
        challenges: challenges.map((row) => ({ ...toChallenge(row), submitted: row.submitted, late: row.late, accepted: row.accepted, pending: row.pending })),
        lessons: [...lessons],
      };
    },
  };
}

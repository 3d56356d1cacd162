// Submissions and reviews. Every query joins the challenge and checks its community, so a crafted id
// naming another community's submission matches no row and changes nothing.
import type { ReviewItem, Submission, SubmissionStore } from '../../app/cohort/ports.js';
import type { SubmissionStatus } from '../../core/deadlines.js';
import type { Db } from '../client.js';

type SubmissionRow = Omit<Submission, 'submittedAt' | 'updatedAt'> & { submittedAt: string; updatedAt: string };
type ItemRow = Omit<ReviewItem, 'dueAt' | 'submittedAt'> & { dueAt: string; submittedAt: string };

const toSubmission = (row: SubmissionRow): Submission => ({ ...row, submittedAt: new Date(row.submittedAt), updatedAt: new Date(row.updatedAt) });
export const toItem = (row: ItemRow): ReviewItem => ({ ...row, dueAt: new Date(row.dueAt), submittedAt: new Date(row.submittedAt) });

const SUBMISSION_COLUMNS = `s.id, s.challenge_id as "challengeId", s.learner_id as "learnerId", s.link, s.note, s.late, s.status,
  s.submitted_at as "submittedAt", s.updated_at as "updatedAt"`;

/** A review item from submissions s join challenges c join learners l. */
export const ITEM_COLUMNS = `s.id as "submissionId", c.id as "challengeId", c.title as "challengeTitle", c.points, c.due_at as "dueAt",
  l.id as "learnerId", l.display_name as "learnerName", l.external_id as "learnerExternalId", l.dm_channel_id as "dmChannelId",
  s.link, s.note, s.late, s.status, s.submitted_at as "submittedAt"`;

export function submissionStore(db: Db): SubmissionStore {
  const sql = db.$client;
  const item = async (communityId: number, submissionId: number) => {
    const [row] = await sql<ItemRow[]>`
      select ${sql.unsafe(ITEM_COLUMNS)}
      from submissions s join challenges c on c.id = s.challenge_id join learners l on l.id = s.learner_id
      where s.id = ${submissionId} and c.community_id = ${communityId} and l.community_id = ${communityId}`;
    return row ? toItem(row) : null;
  };
  return {
    async mine(communityId, challengeId, learnerId) {
      const [row] = await sql<SubmissionRow[]>`
        select ${sql.unsafe(SUBMISSION_COLUMNS)} from submissions s join challenges c on c.id = s.challenge_id
        where s.challenge_id = ${challengeId} and s.learner_id = ${learnerId} and c.community_id = ${communityId}`;
      return row ? toSubmission(row) : null;
    },
    async save({ communityId, challengeId, learnerId, link, note, late, at }) {
      // One per learner and challenge: a second submit replaces the first and goes back to the queue.
      const [row] = await sql<SubmissionRow[]>`
        insert into submissions as s (challenge_id, learner_id, link, note, late, status, submitted_at, updated_at)
        select c.id, ${learnerId}, ${link}, ${note}, ${late}, 'pending', ${at.toISOString()}, ${at.toISOString()}
        from challenges c join learners l on l.id = ${learnerId} and l.community_id = c.community_id
        where c.id = ${challengeId} and c.community_id = ${communityId}
        on conflict (challenge_id, learner_id) do update
          set link = excluded.link, note = excluded.note, late = excluded.late, status = 'pending', updated_at = excluded.updated_at
          where s.status <> 'accepted'
        returning ${sql.unsafe(SUBMISSION_COLUMNS)}`;
      if (!row) throw new Error(`submission to challenge ${challengeId} by learner ${learnerId} was not saved`);
      return toSubmission(row);
    },
    async ofLearner(communityId, learnerId) {
      const rows = await sql<SubmissionRow[]>`
        select ${sql.unsafe(SUBMISSION_COLUMNS)} from submissions s join challenges c on c.id = s.challenge_id
        where s.learner_id = ${learnerId} and c.community_id = ${communityId}`;
      return rows.map(toSubmission);
    },
    async queue(communityId, limit, exceptLearnerId = null) {
      const rows = await sql<ItemRow[]>`
        select ${sql.unsafe(ITEM_COLUMNS)}
        from submissions s join challenges c on c.id = s.challenge_id join learners l on l.id = s.learner_id
        where c.community_id = ${communityId} and s.status = 'pending' and s.learner_id is distinct from ${exceptLearnerId}::int
        order by s.updated_at, s.id
        limit ${limit}`;
      return rows.map(toItem);
    },
    async pendingCount(communityId, exceptLearnerId = null) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from submissions s join challenges c on c.id = s.challenge_id
        where c.community_id = ${communityId} and s.status = 'pending' and s.learner_id is distinct from ${exceptLearnerId}::int`;
      return row?.n ?? 0;
    },
    find: item,
    async decide({ communityId, submissionId, decision, from, feedback, reviewer, awardPoints, at }) {
      // One statement: the status moves only from an allowed state, and the review row goes with it.
      const [row] = await sql<{ reviewId: number }[]>`
        with decided as (
          update submissions s set status = ${decision}, updated_at = ${at.toISOString()}
          from challenges c
          where s.id = ${submissionId} and c.id = s.challenge_id and c.community_id = ${communityId}
            and s.status = any(${sql.array(from as SubmissionStatus[])}::text[])
          returning s.id, c.points
        )
        insert into reviews (submission_id, reviewer_external_id, decision, feedback, points, created_at)
        select id, ${reviewer}, ${decision}, ${feedback}, case when ${decision} = 'accepted' and ${awardPoints}::boolean then points else 0 end, ${at.toISOString()}
        from decided
        returning id as "reviewId"`;
      if (!row) return null;
      const decided = await item(communityId, submissionId);
      return decided ? { reviewId: row.reviewId, item: decided } : null;
    },
    async markNotified(reviewId, at) {
      await sql`update reviews set notified_at = ${at.toISOString()} where id = ${reviewId}`;
    },
  };
}

// Challenges, always looked up through their community: an id from another community finds nothing.
import type { Challenge, ChallengeCounts, ChallengeStore } from '../../app/cohort/ports.js';
import type { Db } from '../client.js';

export type ChallengeRow = {
  id: number;
  communityId: number;
  templateId: string | null;
  title: string;
  description: string;
  acceptance: string[];
  points: number;
  dueAt: string;
  dueSetAt: string;
  status: 'open' | 'closed';
  channelId: string | null;
  messageRef: string | null;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
};

/** The columns of a challenge row (alias `c`), named as ChallengeRow. */
export const CHALLENGE_COLUMNS = `c.id, c.community_id as "communityId", c.template_id as "templateId", c.title, c.description, c.acceptance,
  c.points, c.due_at as "dueAt", c.due_set_at as "dueSetAt", c.status, c.channel_id as "channelId", c.message_ref as "messageRef",
  c.created_by as "createdBy", c.created_at as "createdAt", c.closed_at as "closedAt"`;

/** Submission counts of challenge `c`. */
export const COUNT_COLUMNS = `
  (select count(*)::int from submissions s where s.challenge_id = c.id) as submitted,
  (select count(*)::int from submissions s where s.challenge_id = c.id and s.late) as late,
  (select count(*)::int from submissions s where s.challenge_id = c.id and s.status = 'accepted') as accepted,
  (select count(*)::int from submissions s where s.challenge_id = c.id and s.status = 'pending') as pending`;

export const toChallenge = (row: ChallengeRow): Challenge => ({
  ...row,
  dueAt: new Date(row.dueAt),
  dueSetAt: new Date(row.dueSetAt),
  createdAt: new Date(row.createdAt),
  closedAt: row.closedAt === null ? null : new Date(row.closedAt),
});

const counts = (row: ChallengeCounts): ChallengeCounts => ({ submitted: row.submitted, late: row.late, accepted: row.accepted, pending: row.pending });

export function challengeStore(db: Db): ChallengeStore {
  const sql = db.$client;
  const one = async (rows: Promise<ChallengeRow[]>) => {
    const [row] = await rows;
    return row ? toChallenge(row) : null;
  };
  return {
    async create(input) {
      const [row] = await sql<ChallengeRow[]>`
        insert into challenges as c (community_id, template_id, title, description, acceptance, points, due_at, due_set_at, channel_id, created_by, created_at)
        values (${input.communityId}, ${input.templateId}, ${input.title}, ${input.description}, ${JSON.stringify(input.acceptance)}::jsonb, ${input.points},
          ${input.dueAt.toISOString()}, ${input.createdAt.toISOString()}, ${input.channelId}, ${input.createdBy}, ${input.createdAt.toISOString()})
        returning ${sql.unsafe(CHALLENGE_COLUMNS)}`;
      return toChallenge(row!);
    },
    get(communityId, challengeId) {
      return one(sql<ChallengeRow[]>`select ${sql.unsafe(CHALLENGE_COLUMNS)} from challenges c where c.id = ${challengeId} and c.community_id = ${communityId}`);
    },
    async list(communityId, which, limit) {
      const rows = await sql<(ChallengeRow & ChallengeCounts)[]>`
        select ${sql.unsafe(CHALLENGE_COLUMNS)}, ${sql.unsafe(COUNT_COLUMNS)}
        from challenges c
        where c.community_id = ${communityId} and (${which} = 'all' or c.status = ${which})
        order by c.due_at desc, c.id desc
        limit ${limit}`;
      return rows.map((row) => ({ ...toChallenge(row), ...counts(row) }));
    },
    async counts(communityId, challengeId) {
      const [row] = await sql<ChallengeCounts[]>`
        select ${sql.unsafe(COUNT_COLUMNS)} from challenges c where c.id = ${challengeId} and c.community_id = ${communityId}`;
      return row ? counts(row) : { submitted: 0, late: 0, accepted: 0, pending: 0 };
    },
    async markPosted(communityId, challengeId, messageRef) {
      await sql`update challenges set message_ref = ${messageRef} where id = ${challengeId} and community_id = ${communityId}`;
    },
    close(communityId, challengeId, at) {
      // Closed by a lead: the summary is the reply, so the deadline job has nothing left to send.
      return one(sql<ChallengeRow[]>`
        update challenges c set status = 'closed', closed_at = ${at.toISOString()}, summary_sent_at = ${at.toISOString()}
        where c.id = ${challengeId} and c.community_id = ${communityId} and c.status = 'open'
        returning ${sql.unsafe(CHALLENGE_COLUMNS)}`);
    },
    extend(communityId, challengeId, dueAt, at) {
      return one(sql<ChallengeRow[]>`
        update challenges c set due_at = ${dueAt.toISOString()}, due_set_at = ${at.toISOString()}, status = 'open', closed_at = null, summary_sent_at = null
        where c.id = ${challengeId} and c.community_id = ${communityId}
        returning ${sql.unsafe(CHALLENGE_COLUMNS)}`);
    },
  };
}

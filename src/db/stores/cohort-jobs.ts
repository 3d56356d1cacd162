// What the cohort jobs ask Postgres: what is due, who to remind, and the claims that make each send once.
import type { CohortCommunity, CohortJobStore, Decision } from '../../app/cohort/ports.js';
import type { Db } from '../client.js';
import type { CommunitySettings } from '../schema.js';
import { CHALLENGE_COLUMNS, toChallenge, type ChallengeRow } from './challenges.js';
import { toCohortSettings } from './communities.js';
import { ITEM_COLUMNS, toItem } from './submissions.js';

type CommunityRow = { id: number; platform: CohortCommunity['platform']; externalId: string; settings: CommunitySettings };
const toCommunity = (row: CommunityRow): CohortCommunity => ({ id: row.id, platform: row.platform, externalId: row.externalId, settings: toCohortSettings(row.settings) });
const COMMUNITY_COLUMNS = `m.id, m.platform, m.external_id as "externalId", m.settings`;

export function cohortJobStore(db: Db): CohortJobStore {
  const sql = db.$client;
  const community = async (communityId: number) => {
    const [row] = await sql<CommunityRow[]>`select ${sql.unsafe(COMMUNITY_COLUMNS)} from communities m where m.id = ${communityId}`;
    return row ? toCommunity(row) : null;
  };
  return {
    async openDueBy(horizon, limit) {
      const rows = await sql<{ challengeId: number; communityId: number; dueAt: string; dueSetAt: string; timezone: string | null }[]>`
        select c.id as "challengeId", c.community_id as "communityId", c.due_at as "dueAt", c.due_set_at as "dueSetAt",
          m.settings->>'defaultTimezone' as timezone
        from challenges c join communities m on m.id = c.community_id
        where c.status = 'open' and c.due_at <= ${horizon.toISOString()}
        order by c.due_at, c.id
        limit ${limit}`;
      return rows.map((r) => ({ ...r, dueAt: new Date(r.dueAt), dueSetAt: new Date(r.dueSetAt) }));
    },
    async unposted(before, limit) {
      return sql<{ challengeId: number; communityId: number }[]>`
        select c.id as "challengeId", c.community_id as "communityId" from challenges c
        where c.status = 'open' and c.message_ref is null and c.channel_id is not null and c.created_at <= ${before.toISOString()}
        order by c.id limit ${limit}`;
    },
    async unnotified(before, limit) {
      return sql<{ reviewId: number; communityId: number }[]>`
        select r.id as "reviewId", c.community_id as "communityId"
        from reviews r join submissions s on s.id = r.submission_id join challenges c on c.id = s.challenge_id
        where r.notified_at is null and r.created_at <= ${before.toISOString()}
        order by r.id limit ${limit}`;
    },
    async digestCommunities() {
      const rows = await sql<(CommunityRow & { lastDigestWeek: string | null })[]>`
        select ${sql.unsafe(COMMUNITY_COLUMNS)},
          (select max(d.week)::text from digests d where d.community_id = m.id and d.sent_at is not null) as "lastDigestWeek"
        from communities m where m.settings ? 'cohortChannelId' order by m.id`;
      return rows.map((row) => ({ ...toCommunity(row), lastDigestWeek: row.lastDigestWeek }));
    },
    community,
    async challenge(challengeId) {
      const [row] = await sql<(ChallengeRow & { summarySentAt: string | null })[]>`
        select ${sql.unsafe(CHALLENGE_COLUMNS)}, c.summary_sent_at as "summarySentAt" from challenges c where c.id = ${challengeId}`;
      if (!row) return null;
      const owner = await community(row.communityId);
      if (!owner) return null;
      return { challenge: { ...toChallenge(row), summarySentAt: row.summarySentAt === null ? null : new Date(row.summarySentAt) }, community: owner };
    },
    async nonSubmitters(challengeId, afterId, limit) {
      return sql<{ learnerId: number; externalId: string; displayName: string; dmChannelId: string | null }[]>`
        select l.id as "learnerId", l.external_id as "externalId", l.display_name as "displayName", l.dm_channel_id as "dmChannelId"
        from challenges c join learners l on l.community_id = c.community_id
        where c.id = ${challengeId} and l.status = 'active' and l.id > ${afterId}
          and not exists (select 1 from submissions s where s.challenge_id = c.id and s.learner_id = l.id)
        order by l.id
        limit ${limit}`;
    },
    async claimReminder(challengeId, learnerId, kind, dueAt) {
      const [row] = await sql<{ id: number }[]>`
        insert into challenge_reminders (challenge_id, learner_id, kind, due_at) values (${challengeId}, ${learnerId}, ${kind}, ${dueAt.toISOString()})
        on conflict (challenge_id, learner_id, kind, due_at) do update set kind = excluded.kind where challenge_reminders.sent_at is null
        returning id`;
      return row?.id ?? null;
    },
    async markReminderSent(reminderId, at) {
      await sql`update challenge_reminders set sent_at = ${at.toISOString()} where id = ${reminderId}`;
    },
    async closeAtDeadline(challengeId, dueAt, at) {
      const rows = await sql`
        update challenges set status = 'closed', closed_at = ${at.toISOString()}
        where id = ${challengeId} and status = 'open' and due_at = ${dueAt.toISOString()} and due_at <= ${at.toISOString()}
        returning id`;
      return rows.length > 0;
    },
    async markSummarySent(challengeId, at) {
      await sql`update challenges set summary_sent_at = ${at.toISOString()} where id = ${challengeId}`;
    },
    async review(reviewId) {
      const [row] = await sql<({ reviewId: number; decision: Decision; feedback: string | null; notifiedAt: string | null; communityId: number } & Parameters<typeof toItem>[0])[]>`
        select r.id as "reviewId", r.decision, r.feedback, r.notified_at as "notifiedAt", c.community_id as "communityId", ${sql.unsafe(ITEM_COLUMNS)}
        from reviews r join submissions s on s.id = r.submission_id join challenges c on c.id = s.challenge_id join learners l on l.id = s.learner_id
        where r.id = ${reviewId}`;
      if (!row) return null;
      const owner = await community(row.communityId);
      if (!owner) return null;
      return { reviewId: row.reviewId, decision: row.decision, feedback: row.feedback, notifiedAt: row.notifiedAt === null ? null : new Date(row.notifiedAt), item: toItem(row), community: owner };
    },
    async claimDigest(communityId, week) {
      const rows = await sql`
        insert into digests (community_id, week) values (${communityId}, ${week})
        on conflict (community_id, week) do update set week = excluded.week where digests.sent_at is null
        returning week`;
      return rows.length > 0;
    },
    async markDigestSent(communityId, week, at) {
      await sql`update digests set sent_at = ${at.toISOString()} where community_id = ${communityId} and week = ${week}`;
    },
  };
}

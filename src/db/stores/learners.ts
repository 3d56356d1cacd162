import { and, eq, isNotNull } from 'drizzle-orm';
import type { FoundLearner, Learner, Stores } from '../../app/ports.js';
import { perInput } from '../batch.js';
import type { Db } from '../client.js';
import { coalesce } from '../coalesce.js';
import { answers, deliveries, enrollments, learners, nudges, practiceLogs, reviewCards, reviewDays, streaks, submissions } from '../schema.js';

type Row = typeof learners.$inferSelect;

export const toLearner = (row: Row): Learner => ({
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
});

// People seen lately, so a quiz answer can skip the lookup and verify instead (answers.record).
const RECENT_MAX = 10_000;

export function learnerStore(db: Db): Stores['learners'] {
  const client = db.$client;
  const recent = new Map<string, Learner>();
  const keyOf = (communityId: number, externalId: string) => `${communityId}:${externalId}`;
  const remember = (learner: Learner): Learner => {
    const key = keyOf(learner.communityId, learner.externalId);
    recent.delete(key);
    if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
    recent.set(key, learner);
    return learner;
  };
  // Every request asks who is asking: straight to postgres.js, no query building, and the people asked
  // about at the same moment are read in one statement (see batch.ts).
  const findAll = coalesce(async (keys: { communityId: number; externalId: string }[]) => {
    const input = keys.map((k, n) => ({ n, community_id: k.communityId, external_id: k.externalId }));
    const rows = await client<(Omit<FoundLearner, 'forgetArmedAt'> & { n: number; forgetArmedAt: string | null })[]>`
      select i.n, l.* from json_to_recordset(${JSON.stringify(input)}::text::json) as i(n int, community_id bigint, external_id text)
      cross join lateral (
        select id, community_id as "communityId", external_id as "externalId", display_name as "displayName",
          timezone, delivery_time as "deliveryTime", status, nudges_enabled as "nudgesEnabled",
          quiet_start as "quietStart", quiet_end as "quietEnd", forget_armed_at as "forgetArmedAt"
        from learners where community_id = i.community_id and external_id = i.external_id
        limit 1
      ) l`;
    // Timestamps arrive as text (drizzle's driver settings).
    return perInput(rows, keys.length).map((row): FoundLearner | null => row && { ...row, forgetArmedAt: row.forgetArmedAt === null ? null : new Date(row.forgetArmedAt) });
  });
  return {
    async find(communityId, externalId) {
      const row = await findAll({ communityId, externalId });
      if (!row) {
        recent.delete(keyOf(communityId, externalId));
        return null;
      }
      remember(row);
      return row;
    },
    recent: (communityId, externalId) => recent.get(keyOf(communityId, externalId)) ?? null,
    async create(input) {
      // A double-pressed start must not fail: the second insert returns the first row.
      const [row] = await db
        .insert(learners)
        .values(input)
        .onConflictDoUpdate({ target: [learners.communityId, learners.externalId], set: { displayName: input.displayName } })
        .returning();
      return remember(toLearner(row!));
    },
    async update(learnerId, settings) {
      // Becoming active ends an unreachable spell: a later one is announced again.
      const reset = settings.status === 'active' ? { unreachableNotifiedAt: null } : {};
      const [row] = await db.update(learners).set({ ...settings, ...reset }).where(eq(learners.id, learnerId)).returning();
      if (!row) throw new Error(`learner ${learnerId} not found`);
      return remember(toLearner(row));
    },
    async remove(learnerId) {
      // Every table that refers to a learner cascades on delete.
      const [row] = await db.delete(learners).where(eq(learners.id, learnerId)).returning({ communityId: learners.communityId, externalId: learners.externalId });
      if (row) recent.delete(keyOf(row.communityId, row.externalId));
    },
    async exists(learnerId) {
      return (await db.select({ id: learners.id }).from(learners).where(eq(learners.id, learnerId))).length > 0;
    },
    async armForget(learnerId, at) {
      await db.update(learners).set({ forgetArmedAt: at }).where(eq(learners.id, learnerId));
    },
    async disarmForget(learnerId) {
      await db.update(learners).set({ forgetArmedAt: null }).where(and(eq(learners.id, learnerId), isNotNull(learners.forgetArmedAt)));
    },
    async removeIfArmed(learnerId, armedAt) {
      // One statement: a request that disarmed it a moment earlier, in any process, wins.
      const [row] = await db
        .delete(learners)
        .where(and(eq(learners.id, learnerId), eq(learners.forgetArmedAt, armedAt)))
        .returning({ communityId: learners.communityId, externalId: learners.externalId });
      if (row) recent.delete(keyOf(row.communityId, row.externalId));
      return row !== undefined;
    },
    async exportData(learnerId) {
      const [learner] = await db.select().from(learners).where(eq(learners.id, learnerId));
      const [enrolled, delivered, answered, cards, reviewed, practice, streak, nudged, submitted] = await Promise.all([
        db.select().from(enrollments).where(eq(enrollments.learnerId, learnerId)),
        db.select().from(deliveries).where(eq(deliveries.learnerId, learnerId)).orderBy(deliveries.localDate),
        db.select().from(answers).where(eq(answers.learnerId, learnerId)).orderBy(answers.answeredAt),
        db.select().from(reviewCards).where(eq(reviewCards.learnerId, learnerId)),
        db.select().from(reviewDays).where(eq(reviewDays.learnerId, learnerId)).orderBy(reviewDays.localDate),
        db.select().from(practiceLogs).where(eq(practiceLogs.learnerId, learnerId)).orderBy(practiceLogs.createdAt),
        db.select().from(streaks).where(eq(streaks.learnerId, learnerId)),
        db.select().from(nudges).where(eq(nudges.learnerId, learnerId)),
        db.select().from(submissions).where(eq(submissions.learnerId, learnerId)),
      ]);
      return {
        learner,
        enrollments: enrolled,
        deliveries: delivered,
        answers: answered,
        reviewCards: cards,
        reviewDays: reviewed,
        practice,
        streak: streak[0] ?? null,
        nudges: nudged,
        submissions: submitted,
      };
    },
  };
}

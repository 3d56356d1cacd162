import { count, eq, sql } from 'drizzle-orm';
import type { Stores } from '../../app/ports.js';
import type postgres from 'postgres';
import type { StreakSummary } from '../../core/streak.js';
import type { Db, Sql } from '../client.js';
import { coalesce } from '../coalesce.js';
import { answers, deliveries, practiceLogs } from '../schema.js';

export function practiceStore(db: Db): Stores['practice'] {
  return {
    async log(input) {
      await db.insert(practiceLogs).values(input);
    },
    async count(learnerId) {
      const [row] = await db.select({ n: count() }).from(practiceLogs).where(eq(practiceLogs.learnerId, learnerId));
      return row?.n ?? 0;
    },
  };
}

/**
 * The streak's source of truth: the local days with a finished quiz, logged practice or a review answered.
 * `learner` is an id, or a column (client('c.learner_id')) for a statement that reads them for many
 * learners at once.
 */
export const activityDays = (client: Sql, learnerId: number | postgres.Helper<string, []>) => client`
  select quiz_completed_on as day from deliveries where learner_id = ${learnerId} and quiz_completed_on is not null
  union
  select local_date from practice_logs where learner_id = ${learnerId}
  union
  select local_date from review_days where learner_id = ${learnerId}`;

type StreakInput = { learnerId: number; summary: StreakSummary; at: Date };

export function streakStore(db: Db): Stores['streaks'] {
  // Runs after every finished quiz, logged practice and a day's first review: straight to postgres.js, no
  // query building, and saves made at the same moment share one statement (see coalesce.ts; one learner's
  // saves land in order).
  const client = db.$client;
  const save = coalesce(
    async (inputs: StreakInput[]) => {
      const rows = inputs.map(({ learnerId, summary, at }) => ({
        learner_id: learnerId,
        current: summary.current,
        longest: summary.longest,
        freezes: summary.freezes,
        last_active: summary.lastActive,
        updated_at: at.toISOString(),
      }));
      await client`
        insert into streaks (learner_id, current, longest, freezes, last_active, updated_at)
        select * from json_to_recordset(${JSON.stringify(rows)}::text::json)
          as i(learner_id bigint, current int, longest int, freezes int, last_active date, updated_at timestamptz)
        order by learner_id -- one lock order in every process: no deadlock between two batches
        on conflict (learner_id) do update set current = excluded.current, longest = excluded.longest,
          freezes = excluded.freezes, last_active = excluded.last_active, updated_at = excluded.updated_at`;
      return inputs.map(() => undefined);
    },
    { key: (input) => input.learnerId },
  );
  return {
    async activityDates(learnerId) {
      const rows = await client<{ day: string }[]>`${activityDays(client, learnerId)}`;
      return rows.map((r) => r.day);
    },
    save: (learnerId, summary, at) => save({ learnerId, summary, at }),
  };
}

export function statsStore(db: Db): Stores['stats'] {
  return {
    async progress(learnerId) {
      const [d] = await db
        .select({ delivered: count(), quizzesDone: count(deliveries.quizCompletedOn) })
        .from(deliveries)
        .where(eq(deliveries.learnerId, learnerId));
      const [a] = await db
        .select({ answered: count(), correct: sql<number>`count(*) filter (where ${answers.correct})::int` })
        .from(answers)
        .where(eq(answers.learnerId, learnerId));
      return { delivered: d?.delivered ?? 0, quizzesDone: d?.quizzesDone ?? 0, answered: a?.answered ?? 0, correct: a?.correct ?? 0 };
    },
  };
}

import { and, count, eq, sql } from 'drizzle-orm';
import type { Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { answers, deliveries, practiceLogs, streaks } from '../schema.js';

export function practiceStore(db: Db): Stores['practice'] {
  return {
    async log(input) {
      await db.insert(practiceLogs).values(input);
    },
    async count(learnerId) {
      const [row] = await db.select({ n: count() }).from(practiceLogs).where(eq(practiceLogs.learnerId, learnerId));
      return row?.n ?? 0;
    },
    async loggedOn(learnerId, lessonId) {
      const [row] = await db.select({ id: practiceLogs.id }).from(practiceLogs).where(and(eq(practiceLogs.learnerId, learnerId), eq(practiceLogs.lessonId, lessonId))).limit(1);
      return row !== undefined;
    },
  };
}

export function streakStore(db: Db): Stores['streaks'] {
  return {
    async activityDates(learnerId) {
      // The streak's source of truth: days with a finished quiz or logged practice.
      const rows = await db.execute<{ day: string }>(sql`
        select ${deliveries.quizCompletedOn} as day from ${deliveries}
          where ${deliveries.learnerId} = ${learnerId} and ${deliveries.quizCompletedOn} is not null
        union
        select ${practiceLogs.localDate} from ${practiceLogs} where ${practiceLogs.learnerId} = ${learnerId}`);
      return rows.map((r) => r.day);
    },
    async save(learnerId, summary, at) {
      const values = { current: summary.current, longest: summary.longest, freezes: summary.freezes, lastActive: summary.lastActive, updatedAt: at };
      await db.insert(streaks).values({ learnerId, ...values }).onConflictDoUpdate({ target: streaks.learnerId, set: values });
    },
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

import { and, asc, count, eq, lte } from 'drizzle-orm';
import type { Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { reviewCards } from '../schema.js';
import { cardFromJson, cardToJson } from './cards.js';

export function reviewStore(db: Db): Stores['reviews'] {
  return {
    async due(learnerId, now, limit) {
      const rows = await db
        .select({ questionId: reviewCards.questionId, card: reviewCards.card })
        .from(reviewCards)
        .where(and(eq(reviewCards.learnerId, learnerId), lte(reviewCards.due, now)))
        .orderBy(asc(reviewCards.due))
        .limit(limit);
      return rows.map((r) => ({ questionId: r.questionId, card: cardFromJson(r.card) }));
    },
    async countDue(learnerId, now) {
      const [row] = await db.select({ n: count() }).from(reviewCards).where(and(eq(reviewCards.learnerId, learnerId), lte(reviewCards.due, now)));
      return row?.n ?? 0;
    },
    async get(learnerId, questionId) {
      const [row] = await db.select({ card: reviewCards.card }).from(reviewCards).where(and(eq(reviewCards.learnerId, learnerId), eq(reviewCards.questionId, questionId)));
      return row ? cardFromJson(row.card) : null;
    },
    async answer({ learnerId, questionId, card, at, localDate }) {
      // One statement: the card moves on only while still due (a concurrent second press re-reads the
      // row after the first commits and finds it not due), and only then does the day count.
      const [row] = await db.$client<{ saved: boolean; firstToday: boolean }[]>`
        with moved as (
          update review_cards set due = ${card.due.toISOString()}::timestamptz, card = ${JSON.stringify(cardToJson(card))}::jsonb, updated_at = ${at.toISOString()}::timestamptz
          where learner_id = ${learnerId} and question_id = ${questionId} and due <= ${at.toISOString()}::timestamptz
          returning learner_id
        ), day as (
          insert into review_days (learner_id, local_date, created_at)
          select learner_id, ${localDate}::date, ${at.toISOString()}::timestamptz from moved
          on conflict do nothing
          returning 1
        )
        select exists (select 1 from moved) as saved, exists (select 1 from day) as "firstToday"`;
      return row?.saved ? { firstToday: row.firstToday } : null;
    },
  };
}

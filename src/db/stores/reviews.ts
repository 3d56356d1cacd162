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
    async save(learnerId, questionId, card, at) {
      await db
        .insert(reviewCards)
        .values({ learnerId, questionId, due: card.due, card: cardToJson(card), updatedAt: at })
        .onConflictDoUpdate({ target: [reviewCards.learnerId, reviewCards.questionId], set: { due: card.due, card: cardToJson(card), updatedAt: at } });
    },
  };
}

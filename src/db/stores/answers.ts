import { and, eq, isNull } from 'drizzle-orm';
import type { AnswerRecord, Stores } from '../../app/ports.js';
import type { Db } from '../client.js';
import { answers, deliveries, reviewCards } from '../schema.js';
import { cardFromJson, cardToJson } from './cards.js';

const answerColumns = { questionId: answers.questionId, choice: answers.choice, correct: answers.correct };

export function answerStore(db: Db): Stores['answers'] {
  return {
    async forDelivery(deliveryId) {
      return db.select(answerColumns).from(answers).where(eq(answers.deliveryId, deliveryId)).orderBy(answers.id);
    },
    async record({ delivery, questionId, choice, correct, at, localDate, questionCount, reviewCard }) {
      return db.transaction(async (tx) => {
        const inserted = await tx
          .insert(answers)
          .values({ deliveryId: delivery.id, learnerId: delivery.learnerId, questionId, choice, correct, answeredAt: at, localDate })
          .onConflictDoNothing()
          .returning({ id: answers.id });
        if (inserted.length === 0) return null;

        const [existing] = await tx
          .select({ card: reviewCards.card })
          .from(reviewCards)
          .where(and(eq(reviewCards.learnerId, delivery.learnerId), eq(reviewCards.questionId, questionId)))
          .for('update');
        const card = reviewCard(existing ? cardFromJson(existing.card) : null);
        if (card) {
          await tx
            .insert(reviewCards)
            .values({ learnerId: delivery.learnerId, questionId, due: card.due, card: cardToJson(card), updatedAt: at })
            .onConflictDoUpdate({ target: [reviewCards.learnerId, reviewCards.questionId], set: { due: card.due, card: cardToJson(card), updatedAt: at } });
        }

        const all: AnswerRecord[] = await tx.select(answerColumns).from(answers).where(eq(answers.deliveryId, delivery.id)).orderBy(answers.id);
        if (all.length < questionCount) return { answers: all, completed: false };
        // Only the answer that finishes the quiz marks the day; later duplicates change nothing.
        const marked = await tx
          .update(deliveries)
          .set({ quizCompletedOn: localDate })
          .where(and(eq(deliveries.id, delivery.id), isNull(deliveries.quizCompletedOn)))
          .returning({ id: deliveries.id });
        return { answers: all, completed: marked.length > 0 };
      });
    },
  };
}


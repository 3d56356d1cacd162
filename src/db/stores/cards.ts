import type { ReviewCard } from '../../core/review.js';

// FSRS cards hold Dates; jsonb holds strings. These two keep the round trip exact.
export const cardToJson = (card: ReviewCard): Record<string, unknown> => JSON.parse(JSON.stringify(card)) as Record<string, unknown>;

export function cardFromJson(json: Record<string, unknown>): ReviewCard {
  const card = { ...json } as unknown as ReviewCard & { last_review?: string | Date };
  card.due = new Date(json.due as string);
  if (json.last_review) card.last_review = new Date(json.last_review as string);
  return card;
}

// Spaced review of missed questions with FSRS (ts-fsrs): a miss is rated Again, a right answer Good.
import { createEmptyCard, fsrs, Rating, type Card } from 'ts-fsrs';

export type ReviewCard = Card;

// Day-granular scheduling: a chat bot teaches once a day, so short-term (minute) steps make no sense.
const scheduler = fsrs({ enable_short_term: false, enable_fuzz: false });

/** The card after answering, starting a fresh card when the question was never reviewed. */
export function reviewAfterAnswer(card: ReviewCard | null, correct: boolean, now: Date): ReviewCard {
  return scheduler.next(card ?? createEmptyCard(now), now, correct ? Rating.Good : Rating.Again).card;
}

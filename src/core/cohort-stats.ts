// What a lead sees about the cohort: participation, streaks, quiz accuracy per lesson with the hardest
// questions, learners at risk, reviews waiting. Pure: stored facts and `now` in, numbers out.
import { addDays, daysBetween, localDate, type LocalDate } from './calendar.js';

export interface LearnerFacts {
  learnerId: number;
  name: string;
  timezone: string;
  status: 'active' | 'paused' | 'unreachable';
  joinedAt: Date;
  /** Latest answer, practice log or submission. */
  lastActiveAt: Date | null;
  /** The cached streak and the local day it was last extended. */
  streak: { current: number; lastActive: LocalDate | null };
}

export interface QuestionFacts {
  questionId: string;
  lessonId: string;
  lessonTitle: string;
  /** The lesson's place in the course, 1-based. */
  lessonNumber: number;
  prompt: string;
  answered: number;
  correct: number;
}

/** A submission accepted by the lead who made it (a community with no other lead): done, but no points. */
export interface SelfReviewFacts {
  learnerName: string;
  challengeId: number;
  challengeTitle: string;
  acceptedAt: Date;
}

export interface CohortFacts {
  now: Date;
  learners: readonly LearnerFacts[];
  questions: readonly QuestionFacts[];
  pendingReviews: number;
  selfReviewed?: readonly SelfReviewFacts[];
}

export const AT_RISK_DAYS = 3;
export const ACTIVE_WINDOW_DAYS = 7;
/** A question is among the hardest with at most this accuracy over at least this many answers. */
export const HARD_QUESTION = { maxAccuracy: 0.5, minAnswers: 3, shown: 3 } as const;
export const STREAK_BUCKETS = [
  { label: '0 days', min: 0, max: 0 },
  { label: '1-2 days', min: 1, max: 2 },
  { label: '3-6 days', min: 3, max: 6 },
  { label: '7-13 days', min: 7, max: 13 },
  { label: '14+ days', min: 14, max: Number.POSITIVE_INFINITY },
] as const;

export interface LessonAccuracy {
  lessonId: string;
  number: number;
  title: string;
  answered: number;
  correct: number;
  accuracy: number;
}

export interface HardQuestion {
  questionId: string;
  lessonTitle: string;
  prompt: string;
  answered: number;
  accuracy: number;
}

export interface CohortStats {
  learners: number;
  /** Active (not paused) learners with activity in the last 7 local days. */
  activeThisWeek: number;
  streaks: { label: string; count: number }[];
  lessons: LessonAccuracy[];
  hardest: HardQuestion[];
  /** Active learners idle for AT_RISK_DAYS local days or more, the longest idle first. */
  atRisk: { learnerId: number; name: string; idleDays: number; everActive: boolean }[];
  pendingReviews: number;
  /** Self-reviewed acceptances, newest first, so a lead (and whoever reads the stats) sees them flagged. */
  selfReviewed: SelfReviewFacts[];
}

/** A cached streak counts only while its last day is today or yesterday in the learner's zone. */
export function liveStreak(streak: LearnerFacts['streak'], today: LocalDate): number {
  return streak.lastActive !== null && streak.lastActive >= addDays(today, -1) ? streak.current : 0;
}

export function summarizeCohort(facts: CohortFacts): CohortStats {
  const streaks = STREAK_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  const atRisk: CohortStats['atRisk'] = [];
  let activeThisWeek = 0;
  for (const learner of facts.learners) {
    const today = localDate(facts.now, learner.timezone);
    const streak = liveStreak(learner.streak, today);
    streaks[STREAK_BUCKETS.findIndex((b) => streak >= b.min && streak <= b.max)]!.count += 1;
    if (learner.status === 'paused') continue;
    const since = learner.lastActiveAt ?? learner.joinedAt;
    const idleDays = Math.max(0, daysBetween(localDate(since, learner.timezone), today));
    if (learner.lastActiveAt && idleDays < ACTIVE_WINDOW_DAYS) activeThisWeek += 1;
    if (idleDays >= AT_RISK_DAYS) atRisk.push({ learnerId: learner.learnerId, name: learner.name, idleDays, everActive: learner.lastActiveAt !== null });
  }
  atRisk.sort((a, b) => b.idleDays - a.idleDays || a.name.localeCompare(b.name, 'en') || a.learnerId - b.learnerId);

  const byLesson = new Map<string, LessonAccuracy>();
  for (const q of facts.questions) {
    const lesson = byLesson.get(q.lessonId) ?? { lessonId: q.lessonId, number: q.lessonNumber, title: q.lessonTitle, answered: 0, correct: 0, accuracy: 0 };
    lesson.answered += q.answered;
    lesson.correct += q.correct;
    byLesson.set(q.lessonId, lesson);
  }
  const lessons = [...byLesson.values()]
    .filter((l) => l.answered > 0)
    .map((l) => ({ ...l, accuracy: l.correct / l.answered }))
    .sort((a, b) => a.number - b.number);

  const hardest = facts.questions
    .filter((q) => q.answered >= HARD_QUESTION.minAnswers && q.correct / q.answered <= HARD_QUESTION.maxAccuracy)
    .map((q) => ({ questionId: q.questionId, lessonTitle: q.lessonTitle, prompt: q.prompt, answered: q.answered, accuracy: q.correct / q.answered }))
    .sort((a, b) => a.accuracy - b.accuracy || b.answered - a.answered || a.questionId.localeCompare(b.questionId, 'en'))
    .slice(0, HARD_QUESTION.shown);

  const selfReviewed = [...(facts.selfReviewed ?? [])].sort((a, b) => b.acceptedAt.getTime() - a.acceptedAt.getTime() || a.challengeId - b.challengeId);

  return { learners: facts.learners.length, activeThisWeek, streaks, lessons, hardest, atRisk, pendingReviews: facts.pendingReviews, selfReviewed };
}

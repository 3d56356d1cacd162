// The cohort leaderboard: one score per learner, competition ranking, a stable display order.
//
// score = challenge points + quiz points
//   challenge points: the points of every accepted submission (the challenge's points when it was accepted).
//   quiz points:      round(100 × the lower bound of the 95% Wilson interval of quiz accuracy).
// The Wilson bound rewards accuracy backed by evidence: 1 right of 1 is worth 21, 9 of 10 is 60, 45 of 50
// is 79, 100 of 100 is 96, and guessing through many questions cannot beat answering them well. It stays
// below 100, so it weighs about as much as two or three challenges (templates are worth 25 to 50).
//
// Ranking is competition ranking ("1, 2, 2, 4"): equal scores share a rank and the next rank skips.
// Within a rank the display order is by name (case-insensitive), then by learner id: deterministic, and it
// changes nothing about who ranks where.

export interface LeaderboardEntry {
  learnerId: number;
  name: string;
  challengePoints: number;
  answered: number;
  correct: number;
}

export interface RankedEntry extends LeaderboardEntry {
  quizPoints: number;
  score: number;
  rank: number;
}

export const QUIZ_POINTS_SCALE = 100;
const Z = 1.959964; // 95% two-sided

/** The lower bound of the Wilson score interval for `correct` of `answered`; 0 with no answers. */
export function wilsonLowerBound(correct: number, answered: number): number {
  if (answered <= 0) return 0;
  const p = Math.min(Math.max(correct, 0), answered) / answered;
  const z2 = Z * Z;
  const centre = p + z2 / (2 * answered);
  const margin = Z * Math.sqrt((p * (1 - p)) / answered + z2 / (4 * answered * answered));
  return Math.max(0, (centre - margin) / (1 + z2 / answered));
}

export const quizPoints = (correct: number, answered: number): number => Math.round(QUIZ_POINTS_SCALE * wilsonLowerBound(correct, answered));

const byDisplayOrder = (a: RankedEntry, b: RankedEntry): number => {
  if (a.score !== b.score) return b.score - a.score;
  const an = a.name.toLowerCase();
  const bn = b.name.toLowerCase();
  if (an !== bn) return an < bn ? -1 : 1;
  return a.learnerId - b.learnerId;
};

/** Scores and ranks everyone, in display order. */
export function rankLeaderboard(entries: readonly LeaderboardEntry[]): RankedEntry[] {
  const scored = entries.map((e) => {
    const quiz = quizPoints(e.correct, e.answered);
    return { ...e, quizPoints: quiz, score: e.challengePoints + quiz, rank: 0 };
  });
  scored.sort(byDisplayOrder);
  scored.forEach((entry, i) => {
    // Competition ranking: 1 + how many scored strictly more (the list is sorted by score).
    const previous = scored[i - 1];
    entry.rank = previous && previous.score === entry.score ? previous.rank : i + 1;
  });
  return scored;
}

export interface LeaderboardWindow {
  top: RankedEntry[];
  /** The asker's own entry when it is not already among `top`. */
  me: RankedEntry | null;
}

/** The first `size` entries, plus the asker's own row when they are further down. */
export function leaderboardWindow(ranked: readonly RankedEntry[], learnerId: number | null, size = 10): LeaderboardWindow {
  const top = ranked.slice(0, size);
  const mine = learnerId === null ? undefined : ranked.find((e) => e.learnerId === learnerId);
  return { top, me: mine && !top.includes(mine) ? mine : null };
}

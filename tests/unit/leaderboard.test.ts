import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaderboardWindow, quizPoints, rankLeaderboard, wilsonLowerBound, type LeaderboardEntry } from '../../src/core/leaderboard.js';

const entry = (learnerId: number, name: string, challengePoints: number, answered = 0, correct = 0): LeaderboardEntry => ({ learnerId, name, challengePoints, answered, correct });

const entriesArb = fc
  .uniqueArray(
    fc.record({
      learnerId: fc.integer({ min: 1, max: 10_000 }),
      name: fc.constantFrom('ada', 'Ada', 'bob', 'cy', 'dan', 'Zoë'),
      challengePoints: fc.constantFrom(0, 25, 30, 40, 65, 80),
      answered: fc.integer({ min: 0, max: 60 }),
      correctShare: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { selector: (e) => e.learnerId, maxLength: 40 },
  )
  .map((rows) => rows.map(({ correctShare, ...e }) => ({ ...e, correct: Math.floor(e.answered * correctShare) })));

describe('quiz points', () => {
  it('follow the documented Wilson lower bound', () => {
    expect([quizPoints(0, 0), quizPoints(1, 1), quizPoints(9, 10), quizPoints(45, 50), quizPoints(100, 100), quizPoints(0, 5)]).toEqual([0, 21, 60, 79, 96, 0]);
  });

  it('stay within 0..100, grow with right answers and prefer accuracy backed by more answers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), (a, b) => {
        const [correct, answered] = a <= b ? [a, b] : [b, a];
        const points = quizPoints(correct, answered);
        expect(points).toBeGreaterThanOrEqual(0);
        expect(points).toBeLessThan(100);
        if (answered > 0) expect(wilsonLowerBound(correct, answered)).toBeLessThanOrEqual(correct / answered + 1e-12);
        expect(quizPoints(correct + 1, answered + 1)).toBeGreaterThanOrEqual(points); // one more right answer never hurts
        expect(quizPoints(correct, answered + 1)).toBeLessThanOrEqual(points); // one more wrong answer never helps
      }),
    );
  });
});

describe('rankLeaderboard', () => {
  it('uses competition ranking: equal scores share a rank and the next rank skips', () => {
    const ranked = rankLeaderboard([entry(1, 'dan', 40), entry(2, 'ada', 65), entry(3, 'cy', 40), entry(4, 'bob', 65), entry(5, 'eve', 25)]);
    expect(ranked.map((e) => `${e.rank} ${e.name}`)).toEqual(['1 ada', '1 bob', '3 cy', '3 dan', '5 eve']);
  });

  it('adds quiz points to challenge points', () => {
    const [top] = rankLeaderboard([entry(1, 'ada', 40, 10, 9)]);
    expect(top).toMatchObject({ quizPoints: 60, score: 100, rank: 1 });
  });

  it('orders ties by name regardless of case, then by id, whatever the input order', () => {
    const ranked = rankLeaderboard([entry(9, 'bob', 10), entry(3, 'Ada', 10), entry(2, 'ada', 10)]);
    expect(ranked.map((e) => e.learnerId)).toEqual([2, 3, 9]);
  });

  it('is a fair ranking for any cohort', () => {
    fc.assert(
      fc.property(entriesArb, fc.integer(), (entries, seed) => {
        const ranked = rankLeaderboard(entries);
        expect(ranked).toHaveLength(entries.length);
        ranked.forEach((e, i) => {
          // rank = 1 + how many scored strictly more; equal scores, equal ranks.
          expect(e.rank).toBe(1 + ranked.filter((o) => o.score > e.score).length);
          if (i > 0) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(e.score);
        });
        // Deterministic: a shuffled input gives the same order.
        const shuffled = [...entries].sort((a, b) => ((a.learnerId * 7919 + seed) % 101) - ((b.learnerId * 7919 + seed) % 101));
        expect(rankLeaderboard(shuffled).map((e) => e.learnerId)).toEqual(ranked.map((e) => e.learnerId));
      }),
    );
  });
});

describe('leaderboardWindow', () => {
  const ranked = rankLeaderboard(Array.from({ length: 14 }, (_, i) => entry(i + 1, `p${String(i + 1).padStart(2, '0')}`, 100 - i)));

  it('shows the top 10 and my own row when I am further down', () => {
    const { top, me } = leaderboardWindow(ranked, 13);
    expect(top.map((e) => e.learnerId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(me).toMatchObject({ learnerId: 13, rank: 13 });
  });

  it('adds nothing when I am in the top 10 or not on the board', () => {
    expect(leaderboardWindow(ranked, 4).me).toBeNull();
    expect(leaderboardWindow(ranked, null).me).toBeNull();
    expect(leaderboardWindow(ranked, 999).me).toBeNull();
  });
});

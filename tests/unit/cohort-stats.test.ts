import { describe, expect, it } from 'vitest';
import { summarizeCohort, type LearnerFacts, type QuestionFacts } from '../../src/core/cohort-stats.js';
import { digestWeekDue } from '../../src/core/digest.js';

const now = new Date('2026-05-10T12:00:00Z'); // Sunday
const learner = (id: number, name: string, extra: Partial<LearnerFacts> = {}): LearnerFacts => ({
  learnerId: id,
  name,
  timezone: 'UTC',
  status: 'active',
  joinedAt: new Date('2026-05-01T09:00:00Z'),
  lastActiveAt: new Date('2026-05-10T08:00:00Z'),
  streak: { current: 0, lastActive: null },
  ...extra,
});
const question = (id: string, lesson: number, answered: number, correct: number): QuestionFacts => ({
  questionId: id,
  lessonId: `l${lesson}`,
  lessonTitle: `Lesson ${lesson}`,
  lessonNumber: lesson,
  prompt: `Prompt of ${id}`,
  answered,
  correct,
});

describe('summarizeCohort', () => {
  const stats = summarizeCohort({
    now,
    learners: [
      learner(1, 'ada', { streak: { current: 9, lastActive: '2026-05-10' } }),
      learner(2, 'bob', { streak: { current: 4, lastActive: '2026-05-09' } }),
      learner(3, 'cy', { streak: { current: 20, lastActive: '2026-05-06' }, lastActiveAt: new Date('2026-05-06T10:00:00Z') }), // streak broken, idle 4 days
      learner(4, 'dan', { lastActiveAt: null, joinedAt: new Date('2026-05-02T09:00:00Z') }), // never active, 8 days
      learner(5, 'eve', { status: 'paused', lastActiveAt: new Date('2026-04-01T10:00:00Z') }), // paused: not at risk
      learner(6, 'fay', { timezone: 'Pacific/Kiritimati', lastActiveAt: new Date('2026-05-07T12:00:00Z'), streak: { current: 2, lastActive: '2026-05-10' } }),
    ],
    questions: [question('q1', 2, 10, 9), question('q2', 2, 10, 2), question('q3', 1, 4, 1), question('q4', 1, 2, 0), question('q5', 3, 0, 0)],
    pendingReviews: 3,
  });

  it('counts participation among active learners', () => {
    expect(stats.learners).toBe(6);
    expect(stats.activeThisWeek).toBe(4); // ada, bob, cy, fay; dan never, eve paused
    expect(stats.pendingReviews).toBe(3);
  });

  it('buckets live streaks only (the cached streak dies after a missed day)', () => {
    expect(stats.streaks).toEqual([
      { label: '0 days', count: 3 },
      { label: '1-2 days', count: 1 },
      { label: '3-6 days', count: 1 },
      { label: '7-13 days', count: 1 },
      { label: '14+ days', count: 0 },
    ]);
  });

  it('reports accuracy per lesson in course order and flags the hardest questions', () => {
    expect(stats.lessons.map((l) => [l.number, l.answered, l.correct])).toEqual([
      [1, 6, 1],
      [2, 20, 11],
    ]);
    // q4 has too few answers to judge; q3 (25%) and q2 (20%) are flagged, hardest first.
    expect(stats.hardest.map((q) => q.questionId)).toEqual(['q2', 'q3']);
  });

  it('lists learners idle for 3+ local days, longest first, never paused ones', () => {
    expect(stats.atRisk).toEqual([
      { learnerId: 4, name: 'dan', idleDays: 8, everActive: false },
      { learnerId: 3, name: 'cy', idleDays: 4, everActive: true },
      { learnerId: 6, name: 'fay', idleDays: 3, everActive: true }, // 8 May to 11 May in Kiritimati (UTC+14)
    ]);
  });
});

describe('digestWeekDue', () => {
  it('is due from Monday 09:00 in the cohort zone, for that Monday, that day only', () => {
    expect(digestWeekDue(new Date('2026-05-11T06:59:00Z'), 'Europe/Berlin')).toBeNull();
    expect(digestWeekDue(new Date('2026-05-11T07:00:00Z'), 'Europe/Berlin')).toBe('2026-05-11');
    expect(digestWeekDue(new Date('2026-05-11T21:59:00Z'), 'Europe/Berlin')).toBe('2026-05-11');
    expect(digestWeekDue(new Date('2026-05-11T22:00:00Z'), 'Europe/Berlin')).toBeNull(); // Tuesday in Berlin
    expect(digestWeekDue(new Date('2026-05-10T23:30:00Z'), 'Pacific/Kiritimati')).toBe('2026-05-11'); // Monday 13:30 there
  });
});

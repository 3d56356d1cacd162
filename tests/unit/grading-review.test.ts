import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/core/course.js';
import { grade, nextUnanswered, scoreLine } from '../../src/core/grading.js';
import { isLead, mayActFor, type Actor, type LeadSettings } from '../../src/core/permissions.js';
import { reviewAfterAnswer, type ReviewCard } from '../../src/core/review.js';

const DAY = 86_400_000;
const NOW = new Date('2026-04-01T09:00:00Z');

const question: Question = {
  id: 'caching-q1',
  prompt: 'What does a cache trade?',
  choices: ['Memory for time', 'Time for memory', 'Nothing'],
  answer: 0,
  explanation: 'It keeps results in memory to skip work.',
};

describe('grade', () => {
  it('marks the right choice correct', () => {
    expect(grade(question, 0)).toEqual({ correct: true, rightChoice: 'Memory for time', explanation: question.explanation });
  });

  it('marks another choice wrong but still names the right one', () => {
    expect(grade(question, 2)).toEqual({ correct: false, rightChoice: 'Memory for time', explanation: question.explanation });
  });

  it('uses the answer index, not the first choice', () => {
    expect(grade({ ...question, answer: 1 }, 1)).toMatchObject({ correct: true, rightChoice: 'Time for memory' });
    expect(grade({ ...question, answer: 1 }, 0).correct).toBe(false);
  });

  it('marks an out-of-range choice wrong', () => {
    expect(grade(question, 7).correct).toBe(false);
    expect(grade(question, -1).correct).toBe(false);
  });
});

describe('scoreLine', () => {
  it.each([
    [{ correct: 0, total: 0 }, 'No questions answered yet.'],
    [{ correct: 3, total: 3 }, 'You got all 3 right.'],
    [{ correct: 2, total: 4 }, 'You got 2 of 4 right.'],
    [{ correct: 0, total: 4 }, 'You got 0 of 4 right.'],
  ])('%o -> %s', (score, line) => {
    expect(scoreLine(score)).toBe(line);
  });
});

describe('nextUnanswered', () => {
  const ids = ['q1', 'q2', 'q3'];

  it('returns the first unanswered in quiz order', () => {
    expect(nextUnanswered(ids, new Set())).toBe(0);
    expect(nextUnanswered(ids, new Set(['q1']))).toBe(1);
    expect(nextUnanswered(ids, new Set(['q2']))).toBe(0);
    expect(nextUnanswered(ids, new Set(['q1', 'q3']))).toBe(1);
  });

  it('returns -1 when all are answered', () => {
    expect(nextUnanswered(ids, new Set(['q3', 'q1', 'q2']))).toBe(-1);
    expect(nextUnanswered([], new Set())).toBe(-1);
  });

  it('ignores answers to other questions', () => {
    expect(nextUnanswered(ids, new Set(['q1', 'q2', 'other']))).toBe(2);
  });
});

describe('review scheduling', () => {
  it('a wrong answer makes a card due after now, within a few days', () => {
    const card = reviewAfterAnswer(null, false, NOW);
    expect(card.due.getTime()).toBeGreaterThan(NOW.getTime());
    expect(card.due.getTime()).toBeLessThanOrEqual(NOW.getTime() + 3 * DAY);
  });

  it('a right answer on a missed card pushes it further out than a wrong one', () => {
    const missed = reviewAfterAnswer(null, false, NOW);
    const at = missed.due;
    const right = reviewAfterAnswer(missed, true, at);
    const wrong = reviewAfterAnswer(missed, false, at);
    expect(right.due.getTime()).toBeGreaterThan(wrong.due.getTime());
    expect(wrong.due.getTime()).toBeGreaterThan(at.getTime());
  });

  it('does not change the card it is given', () => {
    const missed = reviewAfterAnswer(null, false, NOW);
    const snapshot = structuredClone(missed);
    reviewAfterAnswer(missed, true, missed.due);
    expect(missed).toEqual(snapshot);
  });

  it('keeps every due date after its answer time, with time moving to each due date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 3 * DAY }), { minLength: 30, maxLength: 30 }),
        (start, answers, lateBy) => {
          let now = start;
          let card: ReviewCard | null = reviewAfterAnswer(null, false, now);
          expect(card.due.getTime()).toBeGreaterThan(now.getTime());
          answers.forEach((correct, i) => {
            now = new Date(card!.due.getTime() + lateBy[i]!);
            card = reviewAfterAnswer(card, correct, now);
            expect(card.due.getTime()).toBeGreaterThan(now.getTime());
          });
        },
      ),
    );
  });

});

describe('permissions', () => {
  const actor = (overrides: Partial<Actor> = {}): Actor => ({ learnerId: 5, externalId: 'U1', isAdmin: false, roleIds: [], ...overrides });
  const settings: LeadSettings = { leadRoleIds: ['R-lead'], leadUserIds: ['U-lead'] };

  it('treats an admin as a lead', () => {
    expect(isLead(actor({ isAdmin: true }), settings)).toBe(true);
  });

  it('treats a listed lead user as a lead', () => {
    expect(isLead(actor({ externalId: 'U-lead' }), settings)).toBe(true);
  });

  it('treats a holder of a lead role as a lead', () => {
    expect(isLead(actor({ roleIds: ['R-other', 'R-lead'] }), settings)).toBe(true);
  });

  it('does not treat anyone else as a lead', () => {
    expect(isLead(actor({ roleIds: ['R-other'] }), settings)).toBe(false);
    expect(isLead(actor({ externalId: 'R-lead' }), settings)).toBe(false);
    expect(isLead(actor({ roleIds: ['U-lead'] }), settings)).toBe(false);
    expect(isLead(actor({ isAdmin: true }), { leadRoleIds: [], leadUserIds: [] })).toBe(true);
    expect(isLead(actor(), { leadRoleIds: [], leadUserIds: [] })).toBe(false);
  });

  it('lets a learner act only for themselves', () => {
    expect(mayActFor(actor({ learnerId: 5 }), 5)).toBe(true);
    expect(mayActFor(actor({ learnerId: 5 }), 6)).toBe(false);
  });

  it('lets nobody without a learner id act, not even an admin', () => {
    expect(mayActFor(actor({ learnerId: null }), 5)).toBe(false);
    expect(mayActFor(actor({ learnerId: null, isAdmin: true }), 0)).toBe(false);
  });

  it('mayActFor holds exactly when the ids match', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }), fc.integer({ min: 1, max: 1000 }), fc.boolean(), (learnerId, owner, isAdmin) => {
        expect(mayActFor(actor({ learnerId, isAdmin }), owner)).toBe(learnerId === owner);
      }),
    );
  });
});

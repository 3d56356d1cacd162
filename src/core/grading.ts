import type { Question } from './course.js';

export interface Verdict {
  correct: boolean;
  /** The right choice's text, for the feedback line. */
  rightChoice: string;
  explanation: string;
}

export function grade(question: Question, choice: number): Verdict {
  return {
    correct: choice === question.answer,
    rightChoice: question.choices[question.answer] ?? '',
    explanation: question.explanation,
  };
}

export interface Score {
  correct: number;
  total: number;
}

export function scoreLine({ correct, total }: Score): string {
  if (total === 0) return 'No questions answered yet.';
  if (correct === total) return `You got all ${total} right.`;
  return `You got ${correct} of ${total} right.`;
}

/** Index of the first question in quiz order that has no answer yet, or -1 when the quiz is done. */
export function nextUnanswered(questionIds: readonly string[], answered: ReadonlySet<string>): number {
  return questionIds.findIndex((id) => !answered.has(id));
}

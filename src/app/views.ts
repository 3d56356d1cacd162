// Replies built from course objects. Plain data in, neutral Reply out; platforms do the rendering.
import { DateTime } from 'luxon';
import type { Lesson, Question } from '../core/course.js';
import type { Verdict } from '../core/grading.js';
import type { Button, Reply } from '../core/reply.js';
import { streakGrid, type GridCell, type StreakSummary } from '../core/streak.js';

export function lessonView(lesson: Lesson, number: number, total: number, deliveryId: number): Reply {
  const practiceLabel = lesson.practice.kind === 'experiment' ? 'Experiment' : 'Practice';
  return {
    title: `Lesson ${number} of ${total}: ${lesson.title}`,
    text: lesson.body,
    fields: [
      { name: `${practiceLabel} (10-30 min)`, value: lesson.practice.prompt },
      { name: 'Reading time', value: `${lesson.minutes} min`, inline: true },
      { name: 'Quiz', value: `${lesson.quiz.length} questions`, inline: true },
    ],
    actions: [
      [
        { action: { kind: 'quiz', deliveryId }, label: 'Take the quiz', style: 'primary' },
        { action: { kind: 'practice', deliveryId }, label: `Log ${practiceLabel.toLowerCase()}` },
      ],
    ],
  };
}

export function questionButtons(question: Question, toAction: (choice: number) => Button['action']): Button[][] {
  return [question.choices.map((label, choice) => ({ action: toAction(choice), label }))];
}

export function questionView(lesson: Lesson, index: number, deliveryId: number): Reply {
  const question = lesson.quiz[index]!;
  return {
    title: `${lesson.title}: question ${index + 1} of ${lesson.quiz.length}`,
    text: question.prompt,
    actions: questionButtons(question, (choice) => ({ kind: 'answer', deliveryId, question: index, choice })),
  };
}

export function verdictText(verdict: Verdict, chosen: string): string {
  const head = verdict.correct ? `✅ **Right**: ${chosen}` : `❌ **Not quite.** You chose "${chosen}"; the answer is "${verdict.rightChoice}".`;
  return `${head}\n${verdict.explanation}`;
}

export function streakLine(summary: StreakSummary): string {
  if (summary.current === 0) return 'Your streak starts today: finish a quiz or log practice.';
  const days = summary.current === 1 ? '1 day' : `${summary.current} days`;
  return `🔥 Streak: ${days}${summary.freezes ? ` · 🧊 ${summary.freezes} freeze${summary.freezes > 1 ? 's' : ''}` : ''}`;
}

export const NEXT_STEPS: Button[][] = [
  [
    { action: { kind: 'run', verb: 'review' }, label: 'Review' },
    { action: { kind: 'run', verb: 'streak' }, label: 'Streak' },
    { action: { kind: 'run', verb: 'progress' }, label: 'Progress' },
  ],
];

/** "Thu 26 Nov at 09:00" in the learner's zone. */
export const formatLocal = (at: Date, zone: string): string => DateTime.fromJSDate(at, { zone }).toFormat("ccc d LLL 'at' HH:mm");

export const CELL: Record<GridCell, string> = {
  active: '🟩',
  frozen: '🧊',
  missed: '⬛',
  pending: '⬜',
  none: '⬛',
  future: '▫️',
};

/** 12 weeks of activity, a row per week (Monday to Sunday), with its legend. */
export function streakGridText(summary: StreakSummary, today: string): string {
  const rows = streakGrid(summary, today, 12).map((week) => week.map((cell) => CELL[cell]).join(''));
  return `${rows.join('\n')}\n🟩 active · 🧊 frozen · ⬛ no activity · ⬜ today`;
}

export function progressBar(done: number, total: number, width = 20): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${done}/${total} lessons`;
}

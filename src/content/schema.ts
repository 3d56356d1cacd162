import { z } from 'zod';
import { LIMITS } from './limits.js';

const id = z
  .string()
  .max(LIMITS.idMax, `must be at most ${LIMITS.idMax} characters`)
  .regex(LIMITS.idPattern, 'must be lowercase letters, digits and single hyphens (for example "api-design")');

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

export const courseFileSchema = z.strictObject({
  id,
  title: text(LIMITS.titleMax),
  description: text(600),
  lessons: z.array(id).min(1, 'must list at least one lesson id'),
});

export const questionSchema = z
  .strictObject({
    id,
    prompt: text(LIMITS.promptMax),
    choices: z
      .array(text(LIMITS.choiceMax))
      .min(LIMITS.choicesMin, `needs at least ${LIMITS.choicesMin} choices`)
      .max(LIMITS.choicesMax, `can have at most ${LIMITS.choicesMax} choices (one row of buttons)`),
    answer: z.number().int('must be a whole number (the 0-based index of the right choice)').min(0, 'must be 0 or more'),
    explanation: text(LIMITS.explanationMax),
  })
  .superRefine((q, ctx) => {
    if (q.answer >= q.choices.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['answer'],
        message: `is ${q.answer} but there are only ${q.choices.length} choices; it is the 0-based index of the right choice`,
      });
    }
    const seen = new Set<string>();
    q.choices.forEach((choice, i) => {
      const key = choice.trim().toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['choices', i], message: `repeats an earlier choice ("${choice}")` });
      seen.add(key);
    });
  });

export const lessonFrontMatterSchema = z.strictObject({
  id,
  title: text(LIMITS.titleMax),
  minutes: z.number().int().min(LIMITS.minutesMin).max(LIMITS.minutesMax),
  practice: z.strictObject({
    kind: z.enum(['practice', 'experiment']),
    prompt: text(LIMITS.practicePromptMax),
  }),
  quiz: z
    .array(questionSchema)
    .min(LIMITS.questionsMin, `needs at least ${LIMITS.questionsMin} questions`)
    .max(LIMITS.questionsMax, `can have at most ${LIMITS.questionsMax} questions`),
});

export const challengeFrontMatterSchema = z.strictObject({
  id,
  title: text(LIMITS.titleMax),
  points: z.number().int().min(1).max(1000),
  suggested_days: z.number().int().min(1).max(90),
  acceptance: z.array(text(300)).min(1, 'needs at least one acceptance criterion'),
});

// `/cohort challenge new`: a form for a challenge of the lead's own.
import { z } from 'zod';
import { DEADLINE_HINT, parseDeadline } from '../../../core/deadlines.js';
import type { Reply } from '../../../core/reply.js';
import { defineCommand, type RequestContext } from '../../command.js';
import { tidyText } from '../../input.js';
import { Refusal } from '../../refusal.js';
import { cohortZone, requireLead } from '../lead.js';
import { parseOrRefuse } from '../parse.js';
import { publishChallenge, requireChannel } from '../publish.js';

const ACCEPTANCE_MAX = 10;

const challengeInput = z.object({
  title: z.string({ message: 'Give the challenge a title of at least 3 characters.' }).trim().min(3, 'Give the challenge a title of at least 3 characters.').max(100, 'Keep the title under 100 characters.'),
  description: z.string({ message: 'Describe the challenge in a sentence or more.' }).trim().min(10, 'Describe the challenge in a sentence or more.').max(1500, 'Keep the description under 1,500 characters.'),
  acceptance: z
    .string()
    .max(1000, 'Keep the acceptance criteria under 1,000 characters.')
    .optional()
    // Each line tidied: a line of only invisible characters is no criterion.
    .transform((v) => (v ?? '').split('\n').map((line) => tidyText(tidyText(line).replace(/^[-*•]/, ''))).filter(Boolean))
    .pipe(z.array(z.string().max(300, 'Keep each criterion under 300 characters.')).max(ACCEPTANCE_MAX, `List at most ${ACCEPTANCE_MAX} criteria.`)),
  deadline: z.string({ message: `The challenge needs a deadline. ${DEADLINE_HINT}` }).trim().min(1, `The challenge needs a deadline. ${DEADLINE_HINT}`),
  points: z
    .string({ message: 'How many points is it worth? A whole number from 1 to 1000.' })
    .trim()
    .regex(/^\d{1,4}$/, 'Points are a whole number from 1 to 1000.')
    .transform(Number)
    .pipe(z.number().int().min(1, 'Points are a whole number from 1 to 1000.').max(1000, 'Points are a whole number from 1 to 1000.')),
});

export function challengeForm(): Reply {
  return {
    text: 'Describe the challenge; I post it in the cohort channel with a Submit button.',
    modal: {
      form: { kind: 'challenge' },
      title: 'New challenge',
      reopen: { kind: 'cohort', verb: 'challenge-new' },
      fields: [
        { name: 'title', label: 'Title', required: true, maxLength: 100 },
        { name: 'description', label: 'What to do', multiline: true, required: true, maxLength: 1500 },
        { name: 'acceptance', label: 'Done when (one criterion per line)', multiline: true, required: false, maxLength: 1000 },
        { name: 'deadline', label: 'Deadline (cohort timezone)', placeholder: '2026-05-15 18:00, 2026-05-15 or +7d', required: true, maxLength: 32 },
        { name: 'points', label: 'Points', placeholder: '30', required: true, maxLength: 4 },
      ],
    },
    ephemeral: true,
  };
}


/** The submitted form: checked again (lead, channel, every field) before anything is stored. */
export async function createFromForm(ctx: RequestContext, fields: Record<string, string | undefined>): Promise<Reply> {
  const settings = await requireLead(ctx);
  const input = parseOrRefuse(challengeInput, fields);
  const due = parseDeadline(input.deadline, ctx.app.clock.now(), cohortZone(ctx, settings));
  if (!due.ok) throw new Refusal(due.reason, { invalidField: 'deadline' });
  return publishChallenge(ctx, settings, { templateId: null, title: input.title, description: input.description, acceptance: input.acceptance, points: input.points, dueAt: due.at });
}

export const challengeNew = defineCommand({
  verb: 'challenge new',
  summary: 'Write a challenge (a form: title, description, criteria, deadline, points)',
  usage: 'challenge new',
  params: [],
  args: z.object({}),
  async run(ctx) {
    requireChannel(await requireLead(ctx));
    return challengeForm();
  },
});

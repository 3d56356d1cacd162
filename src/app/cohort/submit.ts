// A learner's submission: the Submit button opens a form (pre-filled when editing), the form saves it.
// One per learner and challenge; editable until the deadline; a first submission after it is marked late.
import { z } from 'zod';
import { formatDeadline, submissionRule, type SubmissionRule } from '../../core/deadlines.js';
import type { Reply } from '../../core/reply.js';
import type { RequestContext } from '../command.js';
import type { Learner } from '../ports.js';
import { Refusal } from '../refusal.js';
import { parseOrRefuse } from './parse.js';
import type { Challenge } from './ports.js';
import { leadSubmitNote } from './review-rights.js';

export const SUBMISSION_NOTE_MAX = 1000;
const LINK_MAX = 500;

const NOT_HERE = "That challenge isn't in this community. `/learn challenges` lists the open ones.";

const submissionInput = z.object({
  link: z
    .string({ message: 'Add a link to your work (a repository, a gist, a write-up).' })
    .trim()
    .max(LINK_MAX, `That link is too long (${LINK_MAX} characters at most).`)
    .refine((v) => /^https?:\/\/\S+$/i.test(v), 'The link must start with http:// or https:// (a repository, a gist, a write-up).'),
  note: z.string().trim().max(SUBMISSION_NOTE_MAX, `Keep the note under ${SUBMISSION_NOTE_MAX} characters.`).optional(),
});

function refuse(rule: Extract<SubmissionRule, { ok: false }>, challenge: Challenge): never {
  if (rule.reason === 'accepted') throw new Refusal(`Your submission to **${challenge.title}** was accepted: nothing left to change. 🎉`);
  throw new Refusal(`The deadline for **${challenge.title}** has passed, so your submission is locked while it waits for review.`);
}

async function challengeHere(ctx: RequestContext, challengeId: number): Promise<Challenge> {
  const challenge = await ctx.app.stores.challenges.get(ctx.community.id, challengeId);
  if (!challenge) throw new Refusal(NOT_HERE);
  return challenge;
}

const zoneOf = (ctx: RequestContext): string => ctx.learner?.timezone ?? ctx.community.defaultTimezone ?? ctx.app.defaults.timezone;

/** The Submit button: the form, with the earlier submission filled in when editing. */
export async function submitForm(ctx: RequestContext, challengeId: number): Promise<Reply> {
  const challenge = await challengeHere(ctx, challengeId);
  const existing = ctx.learner ? await ctx.app.stores.submissions.mine(ctx.community.id, challengeId, ctx.learner.id) : null;
  const rule = submissionRule(ctx.app.clock.now(), challenge.dueAt, existing);
  if (!rule.ok) refuse(rule, challenge);
  const late = rule.late && !existing ? `The deadline (${formatDeadline(challenge.dueAt, zoneOf(ctx))}) has passed: it will be marked late, and still reviewed.` : '';
  return {
    text: `Submit your work for **${challenge.title}**. ${late}`.trim(),
    modal: {
      form: { kind: 'submit', challengeId },
      title: existing ? 'Edit your submission' : 'Submit your work',
      reopen: { kind: 'submit', challengeId },
      fields: [
        { name: 'link', label: 'Link to your work', placeholder: 'https://github.com/you/...', required: true, maxLength: LINK_MAX, ...(existing?.link ? { value: existing.link } : {}) },
        { name: 'note', label: 'What you did and what you learned', multiline: true, required: false, maxLength: SUBMISSION_NOTE_MAX, ...(existing?.note ? { value: existing.note } : {}) },
      ],
    },
    ephemeral: true,
  };
}

/** Someone who never ran `/learn start` can still take part in challenges: they become a learner here. */
async function learnerFor(ctx: RequestContext): Promise<Learner> {
  if (ctx.learner) return ctx.learner;
  const { stores, defaults } = ctx.app;
  return stores.learners.create({
    communityId: ctx.community.id,
    externalId: ctx.user.externalId,
    displayName: ctx.user.displayName,
    timezone: ctx.community.defaultTimezone ?? defaults.timezone,
    deliveryTime: defaults.deliveryTime,
    deliveryChannelId: ctx.channelId,
  });
}

export async function saveSubmission(ctx: RequestContext, challengeId: number, fields: Record<string, string | undefined>): Promise<Reply> {
  const input = parseOrRefuse(submissionInput, fields);
  const challenge = await challengeHere(ctx, challengeId);
  const learner = await learnerFor(ctx);
  const now = ctx.app.clock.now();
  const existing = await ctx.app.stores.submissions.mine(ctx.community.id, challengeId, learner.id);
  const rule = submissionRule(now, challenge.dueAt, existing);
  if (!rule.ok) refuse(rule, challenge);
  await ctx.app.stores.submissions.save({ communityId: ctx.community.id, challengeId, learnerId: learner.id, link: input.link, note: input.note ?? '', late: rule.late, at: now });
  const due = formatDeadline(challenge.dueAt, learner.timezone);
  const head = rule.edit ? `📝 Updated your submission to **${challenge.title}**` : `📬 Submitted to **${challenge.title}**`;
  const timing = rule.late ? ` It is marked late (the deadline was ${due}); a lead will still review it.` : ` You can edit it until the deadline (${due}): press Submit again.`;
  const reviewer = (await leadSubmitNote(ctx)) ?? "You'll hear from a lead by DM.";
  return {
    text: `${head}.${timing} ${reviewer}`,
    actions: [[{ action: { kind: 'run', verb: 'challenges' }, label: 'My challenges' }]],
    ephemeral: true,
  };
}

import { z } from 'zod';
import type { Reply } from '../../core/reply.js';
import { defineCommand, type RequestContext } from '../command.js';
import { parseOrRefuse } from '../input.js';
import { lessonOf, refreshStreak, requireEnrolled, today } from '../learning.js';
import { Refusal } from '../refusal.js';
import { streakLine } from '../views.js';
import { ownDelivery } from './quiz.js';

export const NOTE_MAX = 1000;

const noteArg = z.string().trim().max(NOTE_MAX, `Keep the note under ${NOTE_MAX} characters.`);
const linkArg = z
  .string()
  .trim()
  .max(500, 'That link is too long (500 characters at most).')
  .refine((v) => /^https?:\/\/\S+$/i.test(v), 'A link must start with http:// or https://.');

export const practiceInput = z.object({
  note: noteArg.optional(),
  link: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), linkArg.optional()),
});

/** Finds a link typed at the end of a note, so `/learn practice ran curl -v https://x` logs both. */
function splitLink(note: string): { note: string; link?: string } {
  const match = /\s*(https?:\/\/\S+)\s*$/i.exec(note);
  if (!match || match.index === 0) return { note };
  return { note: note.slice(0, match.index).trim(), link: match[1] };
}

/** The practice form: asked for when `practice` comes without a note or from the lesson's button. */
export function practiceForm(deliveryId: number | null): Reply {
  return {
    text: 'What did you try? Write a line or two, and add a link if you have one.',
    modal: {
      form: { kind: 'practice', deliveryId },
      title: 'Log practice',
      fields: [
        { name: 'note', label: 'What did you try, and what did you see?', multiline: true, required: true, maxLength: NOTE_MAX },
        { name: 'link', label: 'Link (optional)', placeholder: 'https://...', required: false, maxLength: 500 },
      ],
    },
  };
}

export async function logPractice(ctx: RequestContext, deliveryId: number | null, input: { note?: string; link?: string }): Promise<Reply> {
  const { learner, enrollment } = await requireEnrolled(ctx);
  if (!input.note) throw new Refusal('Tell me what you tried, for example `/learn practice ran ss -tlnp and found 3 listening ports`.');
  const delivery = deliveryId ? await ownDelivery(ctx, deliveryId) : await ctx.app.stores.deliveries.latest(enrollment.id);
  const lesson = delivery ? lessonOf(ctx.app, delivery).lesson : null;
  await ctx.app.stores.practice.log({
    learnerId: learner.id,
    lessonId: lesson?.id ?? null,
    kind: lesson?.practice.kind ?? 'practice',
    note: input.note,
    link: input.link ?? null,
    localDate: today(ctx.app, learner),
    createdAt: ctx.app.clock.now(),
  });
  const streak = await refreshStreak(ctx.app, learner);
  const about = lesson ? ` for **${lesson.title}**` : '';
  return { text: `📝 Logged your ${lesson?.practice.kind ?? 'practice'}${about}. ${streakLine(streak)}`, ephemeral: true };
}

export const practice = defineCommand({
  verb: 'practice',
  summary: 'Log what you tried (opens a form without text)',
  usage: 'practice [what you tried] [link]',
  params: ['note'],
  restParam: true,
  args: practiceInput,
  async run(ctx, args) {
    await requireEnrolled(ctx);
    if (!args.note) return { ...practiceForm(null), ephemeral: true };
    const split = args.link ? { note: args.note, link: args.link } : splitLink(args.note);
    return logPractice(ctx, null, parseOrRefuse(practiceInput, split));
  },
});

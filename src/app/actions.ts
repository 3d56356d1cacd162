// Parses button and form payloads back into typed actions. Payloads come from users' clients: never trust them.
import { z } from 'zod';
import { ACTION_ID_MAX, ACTION_VERSION, COHORT_RUNNABLE_VERBS, FORM_TAGS, RUNNABLE_VERBS, type ActionId, type FormId } from '../core/reply.js';

// Numbers exactly as encodeAction writes them: no signs, exponents, padding or blanks.
const canonical = z.string().regex(/^(0|[1-9]\d{0,15})$/).transform(Number);
const rowId = canonical.pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));
const small = canonical.pipe(z.number().int().min(0).max(9));
const instant = canonical.pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));
const questionId = z.string().regex(/^[a-z0-9-]{1,48}$/);

const actionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('quiz'), deliveryId: rowId }),
  z.object({ kind: z.literal('answer'), deliveryId: rowId, question: small, choice: small }),
  z.object({ kind: z.literal('practice'), deliveryId: rowId }),
  z.object({ kind: z.literal('review'), questionId, choice: small }),
  z.object({ kind: z.literal('run'), verb: z.enum(RUNNABLE_VERBS) }),
  z.object({ kind: z.literal('forget'), learnerId: rowId, armedAt: instant }),
  z.object({ kind: z.literal('submit'), challengeId: rowId }),
  z.object({ kind: z.literal('accept'), submissionId: rowId }),
  z.object({ kind: z.literal('changes'), submissionId: rowId }),
  z.object({ kind: z.literal('cohort'), verb: z.enum(COHORT_RUNNABLE_VERBS) }),
]);

const SHAPES: Record<string, { kind: ActionId['kind']; fields: string[] }> = {
  quiz: { kind: 'quiz', fields: ['deliveryId'] },
  ans: { kind: 'answer', fields: ['deliveryId', 'question', 'choice'] },
  prac: { kind: 'practice', fields: ['deliveryId'] },
  rev: { kind: 'review', fields: ['questionId', 'choice'] },
  run: { kind: 'run', fields: ['verb'] },
  forget: { kind: 'forget', fields: ['learnerId', 'armedAt'] },
  sub: { kind: 'submit', fields: ['challengeId'] },
  acc: { kind: 'accept', fields: ['submissionId'] },
  chg: { kind: 'changes', fields: ['submissionId'] },
  co: { kind: 'cohort', fields: ['verb'] },
};

export function parseAction(raw: string): ActionId | null {
  // Typed as a string, but it arrived over the wire: a forged number or object is just another bad payload.
  if (typeof raw !== 'string' || raw.length > ACTION_ID_MAX) return null;
  const [version, tag, ...values] = raw.split(':');
  const shape = tag ? SHAPES[tag] : undefined;
  if (version !== ACTION_VERSION || !shape || values.length !== shape.fields.length) return null;
  const candidate = Object.fromEntries([['kind', shape.kind], ...shape.fields.map((f, i) => [f, values[i]])]);
  const parsed = actionSchema.safeParse(candidate);
  return parsed.success ? (parsed.data as ActionId) : null;
}

const formId = canonical.pipe(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));

const formSchema = z.discriminatedUnion('tag', [
  z.object({ tag: z.literal(FORM_TAGS.practice), id: formId }),
  z.object({ tag: z.literal(FORM_TAGS.submit), id: rowId }),
  z.object({ tag: z.literal(FORM_TAGS.changes), id: rowId }),
  z.object({ tag: z.literal(FORM_TAGS.challenge), id: z.literal('0') }),
]);

export function parseForm(raw: string): FormId | null {
  if (typeof raw !== 'string' || raw.length > ACTION_ID_MAX) return null;
  const [version, prefix, tag, id, ...rest] = raw.split(':');
  if (version !== ACTION_VERSION || prefix !== 'form' || rest.length > 0) return null;
  const parsed = formSchema.safeParse({ tag, id });
  if (!parsed.success) return null;
  const form = parsed.data;
  switch (form.tag) {
    case FORM_TAGS.practice:
      return { kind: 'practice', deliveryId: form.id === 0 ? null : form.id };
    case FORM_TAGS.submit:
      return { kind: 'submit', challengeId: form.id };
    case FORM_TAGS.changes:
      return { kind: 'changes', submissionId: form.id };
    case FORM_TAGS.challenge:
      return { kind: 'challenge' };
  }
}

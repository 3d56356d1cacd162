// What people type or send passes through here before a schema checks it: tidied first, and only our own
// words come back. A zod message written for developers ("Invalid input: expected string, received
// number") must never reach a user, so every parse here gives zod a fallback of ours: zod uses it for any
// issue whose schema names no message (schema messages are ours, and win).
import type { z } from 'zod';
import { Refusal } from './refusal.js';

/** For anything a schema did not foresee (a forged payload: a number, a list, an object where text belongs). */
export const UNREADABLE = "I couldn't read that: part of it wasn't plain text, so nothing changed. Please try again.";

// Characters that show nothing: Unicode whitespace, default-ignorable code points (zero-width space, the
// joiners, word joiner, BOM, soft hyphen, bidi marks, Hangul fillers, variation selectors, tags) and the
// blank braille pattern. A field holding only these is empty, however it looks to String.prototype.trim.
const BLANK = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]*$/u;
const LEADING = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]+/u;
// At the end, variation selectors and tags belong to the emoji before them (❤️, flags): they stay.
const TRAILING = /(?:(?!\p{Variation_Selector}|[\u{E0020}-\u{E007F}])[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800])+$/u;

/** The text without blank or invisible characters at either end; '' when nothing visible is left. */
export function tidyText(value: string): string {
  if (BLANK.test(value)) return '';
  return value.replace(LEADING, '').replace(TRAILING, '');
}

/** A payload's values with strings tidied; anything else is left for the schema to refuse. */
export function tidyValues(values: unknown): Record<string, unknown> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return {};
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === 'string' ? tidyText(value) : value]));
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; message: string; field: string | null };

/** Parses user input (a text, or a record of fields, tidied first); on failure, the first problem in our words and the field it is about. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, fallback = UNREADABLE): Parsed<T> {
  const tidied = typeof value === 'string' ? tidyText(value) : typeof value === 'object' && value !== null && !Array.isArray(value) ? tidyValues(value) : value;
  const parsed = schema.safeParse(tidied, { error: () => fallback });
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path[0];
  return { ok: false, message: issue?.message ?? fallback, field: typeof field === 'string' ? field : null };
}

/** parseInput, with the first problem thrown as a friendly refusal. */
export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown, fallback = UNREADABLE): T {
  const parsed = parseInput(schema, value, fallback);
  if (!parsed.ok) throw new Refusal(parsed.message);
  return parsed.data;
}

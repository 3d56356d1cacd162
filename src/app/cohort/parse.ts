import type { z } from 'zod';
import { Refusal } from '../refusal.js';

/** Parses a user-typed value; the first problem becomes a friendly refusal. */
export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Refusal(parsed.error.issues[0]!.message);
  return parsed.data;
}

import type { z } from 'zod';
import { Refusal } from '../refusal.js';

/** Parses a user-typed value; the first problem becomes a friendly refusal naming the form field at fault. */
export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path[0];
  throw new Refusal(issue.message, typeof field === 'string' ? { invalidField: field } : {});
}

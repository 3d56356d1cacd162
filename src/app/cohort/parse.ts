import type { z } from 'zod';
import { parseInput } from '../input.js';
import { Refusal } from '../refusal.js';

/** Parses a user-typed value (tidied, our words only: see input.ts); the first problem becomes a friendly refusal naming the form field at fault. */
export function parseOrRefuse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = parseInput(schema, value);
  if (parsed.ok) return parsed.data;
  throw new Refusal(parsed.message, parsed.field ? { invalidField: parsed.field } : {});
}

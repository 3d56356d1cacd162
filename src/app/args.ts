// Argument schemas shared by commands; messages are shown to users as they are.
import { z } from 'zod';
import { isValidZone, parseTimeOfDay } from '../core/calendar.js';
import { canonicalZone } from '../core/zone-name.js';

/** An IANA zone in any letter case (`europe/berlin`), kept under its canonical name (`Europe/Berlin`). */
export const timezoneArg = z
  .string()
  .trim()
  .refine(isValidZone, {
    error: (issue) => `"${String(issue.input)}" isn't a timezone I know. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Kolkata.`,
  })
  .transform(canonicalZone);

export const timeArg = z
  .string()
  .trim()
  .refine((t) => parseTimeOfDay(t) !== null, {
    error: (issue) => `"${String(issue.input)}" isn't a time of day. Use 24-hour HH:MM, for example 09:00 or 18:30.`,
  })
  .transform((t) => {
    const { hour, minute } = parseTimeOfDay(t)!;
    return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  });

export const noArgs = z.object({}).passthrough();

// Challenge deadlines: parsing what a lead types, when reminders fall due, and what a submission may do.
// Pure: `now` and the cohort's zone come in; Luxon does the wall-clock arithmetic (DST-safe).
import { DateTime } from 'luxon';

export const REMINDER_KINDS = ['24h', '1h'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** Furthest ahead a deadline may be set. */
export const DEADLINE_MAX_DAYS = 366;

export interface ReminderTime {
  kind: ReminderKind;
  at: Date;
}

/**
 * When each reminder is due: '24h' at the same wall time the day before (in the cohort's zone, so a DST
 * change does not move it by an hour), '1h' one hour before. Earliest first.
 */
export function reminderTimes(dueAt: Date, zone: string): ReminderTime[] {
  const due = DateTime.fromJSDate(dueAt, { zone });
  return [
    { kind: '24h', at: due.minus({ days: 1 }).toJSDate() },
    { kind: '1h', at: due.minus({ hours: 1 }).toJSDate() },
  ];
}

/** The reminders a deadline set at `setAt` will send: any already past at that moment is skipped. */
export function reminderSchedule(dueAt: Date, setAt: Date, zone: string): ReminderTime[] {
  return reminderTimes(dueAt, zone).filter((r) => r.at.getTime() >= setAt.getTime());
}

/**
 * The reminder due at `now`, if any: the latest scheduled one whose time has come, until the deadline.
 * A later reminder supersedes an earlier one, so a scanner that was down sends only the one still relevant.
 */
export function dueReminder(input: { dueAt: Date; setAt: Date; zone: string; now: Date }): ReminderKind | null {
  const now = input.now.getTime();
  if (now >= input.dueAt.getTime()) return null;
  const due = reminderSchedule(input.dueAt, input.setAt, input.zone).filter((r) => r.at.getTime() <= now);
  return due.at(-1)?.kind ?? null;
}

export const isLate = (submittedAt: Date, dueAt: Date): boolean => submittedAt.getTime() > dueAt.getTime();

export type SubmissionStatus = 'pending' | 'accepted' | 'changes_requested';

export type SubmissionRule =
  | { ok: true; late: boolean; edit: boolean }
  /** accepted: final, points earned. locked: the deadline passed and nothing was asked of them. */
  | { ok: false; reason: 'accepted' | 'locked' };

/**
 * Whether a learner may submit now. A first submission is always taken (after the deadline it is marked
 * late, never lost); it can be edited until the deadline, and after it only when a lead asked for changes,
 * in which case it keeps its original on-time or late mark.
 */
export function submissionRule(now: Date, dueAt: Date, existing: { status: SubmissionStatus; late: boolean } | null): SubmissionRule {
  if (!existing) return { ok: true, late: isLate(now, dueAt), edit: false };
  if (existing.status === 'accepted') return { ok: false, reason: 'accepted' };
  if (!isLate(now, dueAt)) return { ok: true, late: false, edit: true };
  if (existing.status === 'changes_requested') return { ok: true, late: existing.late, edit: true };
  return { ok: false, reason: 'locked' };
}

export type DeadlineParse = { ok: true; at: Date } | { ok: false; reason: string };

const RELATIVE = /^\+?(\d{1,3})\s*(d|h|days?|hours?)$/i;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})$/;

export const DEADLINE_HINT = 'Write the deadline as `2026-05-15 18:00` (the cohort\'s timezone), `2026-05-15` (end of that day), or `+7d` / `+48h` from now.';

/** The end of the day `days` days after today, in `zone`: the default deadline of a template. */
export function endOfDayIn(now: Date, zone: string, days: number): Date {
  return DateTime.fromJSDate(now, { zone }).plus({ days }).set({ hour: 23, minute: 59, second: 0, millisecond: 0 }).toJSDate();
}

/** Reads a deadline typed by a lead, in the cohort's zone. It must be ahead of `now` and within a year. */
export function parseDeadline(text: string, now: Date, zone: string): DeadlineParse {
  const input = text.trim();
  let at: DateTime | null = null;
  const relative = RELATIVE.exec(input);
  const dateOnly = DATE_ONLY.exec(input);
  const dateTime = DATE_TIME.exec(input);
  if (relative) {
    const amount = Number(relative[1]);
    at = DateTime.fromJSDate(now, { zone }).plus(relative[2]!.toLowerCase().startsWith('d') ? { days: amount } : { hours: amount });
  } else if (dateOnly || dateTime) {
    const [, y, mo, d, h = '23', mi = '59'] = (dateTime ?? dateOnly)!;
    at = DateTime.fromObject({ year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi) }, { zone });
    if (!at.isValid || at.day !== Number(d) || Number(h) > 23) return { ok: false, reason: `"${input}" is not a real date and time. ${DEADLINE_HINT}` };
  }
  if (!at || !at.isValid) return { ok: false, reason: `I can't read "${input}" as a deadline. ${DEADLINE_HINT}` };
  if (at.toMillis() <= now.getTime()) return { ok: false, reason: `${at.toFormat("ccc d LLL yyyy 'at' HH:mm")} (${zone}) has already passed. Pick a time ahead.` };
  if (at.toMillis() > DateTime.fromJSDate(now).plus({ days: DEADLINE_MAX_DAYS }).toMillis()) {
    return { ok: false, reason: `That is more than a year ahead; pick a deadline within ${DEADLINE_MAX_DAYS} days.` };
  }
  return { ok: true, at: at.set({ second: 0, millisecond: 0 }).toJSDate() };
}

/** "Fri 15 May 2026, 18:00 (Europe/Berlin)". */
export const formatDeadline = (at: Date, zone: string): string => `${DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL yyyy, HH:mm')} (${zone})`;

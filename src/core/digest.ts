// When the weekly cohort digest is due: Monday from 09:00 in the cohort's zone, once per ISO week.
import { DateTime } from 'luxon';
import { localDate, weekStart, type LocalDate } from './calendar.js';

export const DIGEST_HOUR = 9;

/**
 * The week (its Monday) whose digest is due at `now`: any moment of Monday from 09:00 local, so a scanner
 * that was down in the morning catches up that day. Null on other days, so a cohort set up mid-week is not
 * greeted with a digest of a week it did not have.
 */
export function digestWeekDue(now: Date, zone: string): LocalDate | null {
  const local = DateTime.fromJSDate(now, { zone });
  if (local.weekday !== 1 || local.hour < DIGEST_HOUR) return null;
  return weekStart(localDate(now, zone));
}

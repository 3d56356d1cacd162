// Daily-activity streaks with automatic freezes, counted in learner-local days.
// Pure: callers turn activity instants into local dates with
// localDate(instant, zone) first, so nothing here depends on a time zone.
import { addDays, eachDay, isValidLocalDate, weekStart, type LocalDate } from './calendar.js';

export interface StreakRules {
  /** Active days within one unbroken streak needed to earn a freeze. */
  freezeEvery: number;
  /** Most freezes a learner can hold at once. */
  maxFreezes: number;
}

// Frozen so no caller can change the defaults for everyone else.
export const DEFAULT_STREAK_RULES: Readonly<StreakRules> = Object.freeze({ freezeEvery: 7, maxFreezes: 2 });

export type DayState = 'active' | 'frozen' | 'missed' | 'pending';

export interface StreakDay {
  date: LocalDate;
  state: DayState;
  /** Streak held at the END of this day. */
  streak: number;
  /** Freezes held at the END of this day. */
  freezes: number;
}

export interface StreakSummary {
  /** Current streak in days (frozen days keep it alive but do not add to it). */
  current: number;
  longest: number;
  /** Freezes held now, 0..maxFreezes. */
  freezes: number;
  lastActive: LocalDate | null;
  activeToday: boolean;
  /** One per calendar day from the first activity day up to and including today, in order. */
  days: StreakDay[];
}

export type GridCell = DayState | 'none' | 'future';

/**
 * Computes a learner's streak from the local dates on which they were active.
 *
 * - Duplicate dates are ignored, and so are dates after `today` (they can
 *   appear when a learner moves to a zone further west).
 * - Days are walked one by one from the first activity day to `today`.
 * - Active day: streak += 1 and longest = max(longest, streak). Every
 *   `freezeEvery` active days within the current unbroken streak earn one
 *   freeze, never holding more than `maxFreezes`.
 * - Past day without activity: if the streak is > 0 and a freeze is held, one
 *   is spent automatically (state 'frozen', streak unchanged). Otherwise the
 *   streak resets to 0 (state 'missed') and the count towards the next freeze
 *   restarts. A reset never clears freezes (though with automatic spending a
 *   running streak only breaks once they are used up).
 * - `today` without activity is 'pending': the day is not over, so the streak
 *   is not broken yet and `current` is the streak at the end of yesterday.
 * - No activity at all: current 0, longest 0, freezes 0, lastActive null, days [].
 *
 * Throws RangeError for malformed dates or rules.
 */
export function computeStreak(
  activeDates: Iterable<LocalDate>,
  today: LocalDate,
  rules: StreakRules = DEFAULT_STREAK_RULES,
): StreakSummary {
  assertRules(rules);
  assertDate(today);
  const active = activeSetUpTo(activeDates, today);
  const first = earliest(active);
  if (first === null) {
    return { current: 0, longest: 0, freezes: 0, lastActive: null, activeToday: false, days: [] };
  }

  const days: StreakDay[] = [];
  let streak = 0;
  let longest = 0;
  let freezes = 0;
  let lastActive: LocalDate = first;
  for (const date of eachDay(first, today)) {
    let state: DayState;
    if (active.has(date)) {
      state = 'active';
      streak += 1;
      longest = Math.max(longest, streak);
      lastActive = date;
      // streak only grows on active days and restarts at 0 on a miss, so it
      // doubles as the count of active days towards the next freeze.
      if (streak % rules.freezeEvery === 0) freezes = Math.min(freezes + 1, rules.maxFreezes);
    } else if (date === today) {
      state = 'pending';
    } else if (streak > 0 && freezes > 0) {
      state = 'frozen';
      freezes -= 1;
    } else {
      state = 'missed';
      streak = 0;
    }
    days.push({ date, state, streak, freezes });
  }

  return { current: streak, longest, freezes, lastActive, activeToday: active.has(today), days };
}

/**
 * A calendar heat-map: `weeks` rows, oldest first, each Monday..Sunday, the
 * last row being the week that contains `today`. Days before the summary's
 * first day (or absent from it) are 'none'; days after `today` are 'future'.
 * Pass the same `today` that was given to computeStreak.
 */
export function streakGrid(summary: StreakSummary, today: LocalDate, weeks = 12): GridCell[][] {
  assertPositiveInteger('weeks', weeks);
  assertDate(today);
  const byDate = indexDays(summary);
  const firstMonday = addDays(weekStart(today), -7 * (weeks - 1));
  const lastSunday = addDays(weekStart(today), 6);
  const cells = eachDay(firstMonday, lastSunday).map(
    (date): GridCell => (date > today ? 'future' : (byDate.get(date)?.state ?? 'none')),
  );
  const rows: GridCell[][] = [];
  for (let week = 0; week < weeks; week++) rows.push(cells.slice(week * 7, week * 7 + 7));
  return rows;
}

/**
 * The last `count` calendar days ending with `today`, oldest first. Days the
 * summary does not cover (before the first activity day) are filled in as
 * { state: 'missed', streak: 0, freezes: 0 }: there is no 'none' DayState, and
 * for display a day with no streak is indistinguishable from a missed one.
 */
export function recentDays(summary: StreakSummary, today: LocalDate, count = 14): StreakDay[] {
  assertPositiveInteger('count', count);
  assertDate(today);
  const byDate = indexDays(summary);
  return eachDay(addDays(today, -(count - 1)), today).map((date) => {
    const day = byDate.get(date);
    // Copies, so callers cannot mutate the summary through the result.
    return day ? { ...day } : { date, state: 'missed', streak: 0, freezes: 0 };
  });
}

function activeSetUpTo(activeDates: Iterable<LocalDate>, today: LocalDate): Set<LocalDate> {
  const set = new Set<LocalDate>();
  for (const date of activeDates) {
    assertDate(date);
    // 'yyyy-MM-dd' strings sort chronologically, so string comparison is enough.
    if (date <= today) set.add(date);
  }
  return set;
}

function earliest(dates: Set<LocalDate>): LocalDate | null {
  let min: LocalDate | null = null;
  for (const date of dates) if (min === null || date < min) min = date;
  return min;
}

function indexDays(summary: StreakSummary): Map<LocalDate, StreakDay> {
  return new Map(summary.days.map((day) => [day.date, day]));
}

function assertRules(rules: StreakRules): void {
  assertPositiveInteger('freezeEvery', rules.freezeEvery);
  if (!Number.isInteger(rules.maxFreezes) || rules.maxFreezes < 0) {
    throw new RangeError(`maxFreezes must be a non-negative integer, got ${rules.maxFreezes}`);
  }
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

function assertDate(date: LocalDate): void {
  if (!isValidLocalDate(date)) {
    throw new RangeError(`Invalid local date (want yyyy-MM-dd): ${JSON.stringify(date)}`);
  }
}

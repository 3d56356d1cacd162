import fc from 'fast-check';
import { Settings, type Zone } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, daysBetween, localDate, weekStart, type LocalDate } from '../../src/core/calendar.js';
import {
  computeStreak,
  DEFAULT_STREAK_RULES,
  recentDays,
  streakGrid,
  type DayState,
  type StreakRules,
  type StreakSummary,
} from '../../src/core/streak.js';

const TODAY = '2026-06-15'; // a Monday
const ZONES = Intl.supportedValuesOf('timeZone');
const zoneArb = fc.constantFrom(...ZONES);

/** Dates `TODAY - n` for each n. */
const ago = (...ns: number[]): LocalDate[] => ns.map((n) => addDays(TODAY, -n));
/** Dates from `TODAY - from` to `TODAY - to`, inclusive, oldest first. */
const range = (from: number, to: number): LocalDate[] => {
  const out: LocalDate[] = [];
  for (let n = from; n >= to; n--) out.push(addDays(TODAY, -n));
  return out;
};
const states = (s: StreakSummary): DayState[] => s.days.map((d) => d.state);

let savedDefaultZone: Zone;
beforeEach(() => {
  savedDefaultZone = Settings.defaultZone;
});
afterEach(() => {
  Settings.defaultZone = savedDefaultZone;
});

describe('computeStreak: hand-written cases', () => {
  it('empty input', () => {
    expect(computeStreak([], TODAY)).toEqual({
      current: 0, longest: 0, freezes: 0, lastActive: null, activeToday: false, days: [],
    });
  });

  it('single day, today', () => {
    expect(computeStreak([TODAY], TODAY)).toEqual({
      current: 1, longest: 1, freezes: 0, lastActive: TODAY, activeToday: true,
      days: [{ date: TODAY, state: 'active', streak: 1, freezes: 0 }],
    });
  });

  it('single day, yesterday: today is pending and the streak survives', () => {
    const s = computeStreak(ago(1), TODAY);
    expect(s.current).toBe(1);
    expect(s.activeToday).toBe(false);
    expect(s.lastActive).toBe(ago(1)[0]);
    expect(s.days).toEqual([
      { date: ago(1)[0], state: 'active', streak: 1, freezes: 0 },
      { date: TODAY, state: 'pending', streak: 1, freezes: 0 },
    ]);
  });

  it('3 consecutive days ending today', () => {
    const s = computeStreak(range(2, 0), TODAY);
    expect(s.current).toBe(3);
    expect(s.longest).toBe(3);
    expect(s.days.map((d) => d.streak)).toEqual([1, 2, 3]);
    expect(states(s)).toEqual(['active', 'active', 'active']);
  });

  it('a missed day breaks the streak', () => {
    // active, active, missed, active, active(today)
    const s = computeStreak(ago(4, 3, 1, 0), TODAY);
    expect(states(s)).toEqual(['active', 'active', 'missed', 'active', 'active']);
    expect(s.days.map((d) => d.streak)).toEqual([1, 2, 0, 1, 2]);
    expect(s.current).toBe(2);
    expect(s.longest).toBe(2);
  });

  it('a streak that ended two days ago is broken, today pending', () => {
    const s = computeStreak(range(5, 2), TODAY);
    expect(states(s)).toEqual(['active', 'active', 'active', 'active', 'missed', 'pending']);
    expect(s.current).toBe(0);
    expect(s.longest).toBe(4);
    expect(s.lastActive).toBe(ago(2)[0]);
  });

  it('several missed days in a row are all missed', () => {
    const s = computeStreak(ago(5, 0), TODAY);
    expect(states(s)).toEqual(['active', 'missed', 'missed', 'missed', 'missed', 'active']);
    expect(s.current).toBe(1);
  });

  it('a freeze is earned on the 7th active day and spent on a missed day', () => {
    // 7 active days, one missed day, then active today.
    const s = computeStreak(range(8, 2).concat(TODAY), TODAY);
    expect(s.days.map((d) => d.freezes)).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(s.days[6]).toEqual({ date: ago(2)[0], state: 'active', streak: 7, freezes: 1 });
    expect(s.days[7]).toEqual({ date: ago(1)[0], state: 'frozen', streak: 7, freezes: 0 });
    expect(s.days[8]).toEqual({ date: TODAY, state: 'active', streak: 8, freezes: 0 });
    expect(s.current).toBe(8);
    expect(s.longest).toBe(8);
    expect(s.freezes).toBe(0);
  });

  it('6 active days earn nothing: the missed day breaks the streak', () => {
    const s = computeStreak(range(7, 2).concat(TODAY), TODAY);
    expect(s.days[6]).toEqual({ date: ago(1)[0], state: 'missed', streak: 0, freezes: 0 });
    expect(s.current).toBe(1);
    expect(s.longest).toBe(6);
  });

  it('freezes are capped at 2', () => {
    const s = computeStreak(range(27, 0), TODAY); // 28 active days: would be 4 freezes
    expect(s.current).toBe(28);
    expect(s.freezes).toBe(2);
    expect(s.days[6]?.freezes).toBe(1);
    expect(s.days[13]?.freezes).toBe(2);
    expect(s.days[20]?.freezes).toBe(2);
    expect(Math.max(...s.days.map((d) => d.freezes))).toBe(2);
  });

  it('two missed days with one freeze: first frozen, second missed', () => {
    // 7 active (1 freeze), 2 missed, active today.
    const s = computeStreak(range(9, 3).concat(TODAY), TODAY);
    expect(states(s).slice(6)).toEqual(['active', 'frozen', 'missed', 'active']);
    expect(s.days.map((d) => d.streak).slice(6)).toEqual([7, 7, 0, 1]);
    expect(s.current).toBe(1);
    expect(s.longest).toBe(7);
    expect(s.freezes).toBe(0);
  });

  it('two missed days with two freezes: both frozen, the streak carries on', () => {
    // 14 active (2 freezes), 2 missed, active today.
    const s = computeStreak(range(16, 3).concat(TODAY), TODAY);
    expect(states(s).slice(13)).toEqual(['active', 'frozen', 'frozen', 'active']);
    expect(s.current).toBe(15);
    expect(s.longest).toBe(15);
    expect(s.freezes).toBe(0);
  });

  it('frozen days keep the streak but do not add to it; today pending after a frozen day', () => {
    const s = computeStreak(range(8, 2), TODAY);
    expect(states(s).slice(6)).toEqual(['active', 'frozen', 'pending']);
    expect(s.current).toBe(7);
    expect(s.activeToday).toBe(false);
  });

  it('after the freezes run out the streak resets, and a new streak earns freezes again', () => {
    // 30..17: 14 active (2 freezes); 16, 15: frozen; 14: missed; 13..7: 7 active (1 freeze);
    // 6: frozen (0 left); 5..1: missed; today pending.
    const s = computeStreak([...range(30, 17), ...range(13, 7)], TODAY);
    expect(states(s)).toEqual([
      ...Array<DayState>(14).fill('active'), 'frozen', 'frozen', 'missed',
      ...Array<DayState>(7).fill('active'), 'frozen', ...Array<DayState>(5).fill('missed'), 'pending',
    ]);
    expect(s.days[16]).toMatchObject({ streak: 0, freezes: 0 });
    expect(s.days[23]).toMatchObject({ streak: 7, freezes: 1 });
    expect(s.longest).toBe(14);
    expect(s.current).toBe(0);
  });

  it('the count towards the next freeze restarts after a reset', () => {
    // freezeEvery 3, maxFreezes 1. 10..7: 4 active (freeze on the 3rd); 6: frozen; 5: missed;
    // 4, 3: 2 active: only 2 towards the next freeze (6 active days in total would have
    // earned one); 2: missed, not frozen; 1: active; today pending.
    const s = computeStreak([...range(10, 7), ...ago(4, 3, 1)], TODAY, { freezeEvery: 3, maxFreezes: 1 });
    expect(states(s)).toEqual(['active', 'active', 'active', 'active', 'frozen', 'missed', 'active', 'active', 'missed', 'active', 'pending']);
    expect(s.days.map((d) => d.freezes)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(s.days.map((d) => d.streak)).toEqual([1, 2, 3, 4, 4, 0, 1, 2, 0, 1, 1]);
    expect(s.current).toBe(1);
  });

  it('freezes keep counting within a streak that survived on freezes', () => {
    // freezeEvery 2, maxFreezes 3: 6 active -> 3 freezes; 3 frozen days; active yesterday
    // (streak 7); today pending.
    const s = computeStreak([...range(10, 5), ...ago(1)], TODAY, { freezeEvery: 2, maxFreezes: 3 });
    expect(states(s)).toEqual([...Array<DayState>(6).fill('active'), 'frozen', 'frozen', 'frozen', 'active', 'pending']);
    expect(s.days.map((d) => d.freezes)).toEqual([0, 1, 1, 2, 2, 3, 2, 1, 0, 0, 0]);
    expect(s.current).toBe(7);
  });

  it('one freeze covers exactly one missed day, then the streak resets and stays at 0', () => {
    const s = computeStreak(ago(5), TODAY, { freezeEvery: 1, maxFreezes: 1 });
    expect(states(s)).toEqual(['active', 'frozen', 'missed', 'missed', 'missed', 'pending']);
    expect(s.days.map((d) => d.freezes)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(s.days.map((d) => d.streak)).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it('future dates are ignored (learner moved west)', () => {
    const s = computeStreak([...ago(1, 0), addDays(TODAY, 1), addDays(TODAY, 30)], TODAY);
    expect(s.current).toBe(2);
    expect(s.lastActive).toBe(TODAY);
    expect(s.days.at(-1)?.date).toBe(TODAY);
    expect(s.days).toHaveLength(2);
  });

  it('only future dates: same as empty', () => {
    expect(computeStreak([addDays(TODAY, 1)], TODAY)).toEqual(computeStreak([], TODAY));
  });

  it('duplicates and order do not matter', () => {
    const a = computeStreak([...ago(0, 1, 2), ...ago(2, 0, 0, 1)], TODAY);
    const b = computeStreak(ago(2, 1, 0), TODAY);
    expect(a).toEqual(b);
    expect(a.current).toBe(3);
  });

  it('accepts any iterable (a Set)', () => {
    expect(computeStreak(new Set(ago(1, 0)), TODAY).current).toBe(2);
  });

  it('uses the default rules', () => {
    expect(DEFAULT_STREAK_RULES).toEqual({ freezeEvery: 7, maxFreezes: 2 });
    const dates = range(40, 0);
    expect(computeStreak(dates, TODAY)).toEqual(computeStreak(dates, TODAY, { freezeEvery: 7, maxFreezes: 2 }));
  });

  it('maxFreezes 0 never freezes', () => {
    const s = computeStreak([...range(20, 2), TODAY], TODAY, { freezeEvery: 7, maxFreezes: 0 });
    expect(s.freezes).toBe(0);
    expect(states(s).at(-2)).toBe('missed');
    expect(s.current).toBe(1);
  });

  it('rejects malformed dates and rules', () => {
    expect(() => computeStreak(['2026-6-1'], TODAY)).toThrow(RangeError);
    expect(() => computeStreak([TODAY], '2026-02-30')).toThrow(RangeError);
    expect(() => computeStreak([TODAY], TODAY, { freezeEvery: 0, maxFreezes: 2 })).toThrow(RangeError);
    expect(() => computeStreak([TODAY], TODAY, { freezeEvery: 1.5, maxFreezes: 2 })).toThrow(RangeError);
    expect(() => computeStreak([TODAY], TODAY, { freezeEvery: 7, maxFreezes: -1 })).toThrow(RangeError);
  });
});

describe('streakGrid', () => {
  it('12 weeks, Monday..Sunday, the last row holding today', () => {
    const today = '2026-06-17'; // Wednesday
    const s = computeStreak(['2026-06-08', '2026-06-09', '2026-06-11', '2026-06-16'], today);
    const grid = streakGrid(s, today);
    expect(grid).toHaveLength(12);
    for (const row of grid) expect(row).toHaveLength(7);
    expect(grid.slice(0, 10).flat().every((c) => c === 'none')).toBe(true);
    // Week of 2026-06-08.
    expect(grid[10]).toEqual(['active', 'active', 'missed', 'active', 'missed', 'missed', 'missed']);
    // Week of 2026-06-15: Mon missed, Tue active, Wed (today) pending, rest future.
    expect(grid[11]).toEqual(['missed', 'active', 'pending', 'future', 'future', 'future', 'future']);
  });

  it('today on a Sunday has no future cells; on a Monday six', () => {
    const sunday = '2026-06-21';
    expect(streakGrid(computeStreak([sunday], sunday), sunday, 1)).toEqual([
      ['none', 'none', 'none', 'none', 'none', 'none', 'active'],
    ]);
    expect(streakGrid(computeStreak([TODAY], TODAY), TODAY, 2)[1]).toEqual([
      'active', 'future', 'future', 'future', 'future', 'future', 'future',
    ]);
  });

  it('empty summary is all none and future', () => {
    const grid = streakGrid(computeStreak([], TODAY), TODAY, 3);
    expect(grid.flat().filter((c) => c === 'future')).toHaveLength(6);
    expect(grid.flat().filter((c) => c === 'none')).toHaveLength(15);
  });

  it('rejects a non-positive week count', () => {
    expect(() => streakGrid(computeStreak([], TODAY), TODAY, 0)).toThrow(RangeError);
  });
});

describe('recentDays', () => {
  it('the last 14 days ending today, padded as missed with streak 0 and freezes 0', () => {
    const s = computeStreak(ago(2, 1), TODAY);
    const recent = recentDays(s, TODAY);
    expect(recent).toHaveLength(14);
    expect(recent[0]?.date).toBe(addDays(TODAY, -13));
    expect(recent.at(-1)?.date).toBe(TODAY);
    expect(recent.slice(0, 11).every((d) => d.state === 'missed' && d.streak === 0 && d.freezes === 0)).toBe(true);
    expect(recent.slice(11)).toEqual(s.days);
  });

  it('takes only the tail of a long history', () => {
    const s = computeStreak(range(40, 0), TODAY);
    expect(recentDays(s, TODAY, 5)).toEqual(s.days.slice(-5));
  });

  it('returns copies', () => {
    const s = computeStreak([TODAY], TODAY);
    const [day] = recentDays(s, TODAY, 1);
    if (day) day.streak = 99;
    expect(s.days[0]?.streak).toBe(1);
  });

  it('rejects a non-positive count', () => {
    expect(() => recentDays(computeStreak([], TODAY), TODAY, 0)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------
// Properties

const BASE = '2025-01-01';
const SPAN = 400;
const dayArb = fc.integer({ min: 0, max: SPAN });
const rulesArb: fc.Arbitrary<StreakRules> = fc.oneof(
  fc.constant(DEFAULT_STREAK_RULES),
  fc.record({ freezeEvery: fc.integer({ min: 1, max: 10 }), maxFreezes: fc.integer({ min: 0, max: 4 }) }),
);
/** Random activity sets: sometimes sparse, sometimes dense runs (where freezes matter). */
const scenarioArb = fc
  .record({
    offsets: fc.oneof(
      fc.array(dayArb, { maxLength: 60 }),
      fc.array(fc.tuple(dayArb, fc.integer({ min: 1, max: 30 })), { maxLength: 8 }).map((runs) =>
        runs.flatMap(([start, length]) => Array.from({ length }, (_, i) => start + i)),
      ),
    ),
    today: dayArb,
    rules: rulesArb,
  })
  .map(({ offsets, today, rules }) => ({
    dates: offsets.map((n) => addDays(BASE, n)),
    today: addDays(BASE, today),
    rules,
  }));

/** Replays `days` one state at a time and checks every transition. */
function checkReplay(s: StreakSummary, dates: LocalDate[], today: LocalDate, rules: StreakRules): void {
  const active = new Set(dates.filter((d) => d <= today));
  let streak = 0;
  let freezes = 0;
  let longest = 0;
  s.days.forEach((day, i) => {
    const first = s.days[0];
    expect(first).toBeDefined();
    expect(day.date).toBe(addDays(first?.date ?? '', i));
    expect(day.state === 'active').toBe(active.has(day.date));
    expect(day.state === 'pending').toBe(day.date === today && !active.has(today));
    switch (day.state) {
      case 'active':
        expect(day.streak).toBe(streak + 1);
        expect(day.freezes).toBe(
          day.streak % rules.freezeEvery === 0 ? Math.min(freezes + 1, rules.maxFreezes) : freezes,
        );
        break;
      case 'frozen':
        expect(streak).toBeGreaterThan(0);
        expect(freezes).toBeGreaterThan(0);
        expect(day.streak).toBe(streak);
        expect(day.freezes).toBe(freezes - 1);
        break;
      case 'missed':
        expect(streak > 0 && freezes > 0).toBe(false);
        expect(day.streak).toBe(0);
        expect(day.freezes).toBe(freezes);
        break;
      case 'pending':
        expect(i).toBe(s.days.length - 1);
        expect(day.streak).toBe(streak);
        expect(day.freezes).toBe(freezes);
        break;
    }
    streak = day.streak;
    freezes = day.freezes;
    longest = Math.max(longest, streak);
  });
  expect(s.current).toBe(streak);
  expect(s.freezes).toBe(freezes);
  expect(s.longest).toBe(longest);
}

/** Longest run of consecutive dates, and the run ending today or yesterday (no freezes). */
function plainRuns(dates: LocalDate[], today: LocalDate): { longest: number; current: number } {
  const set = new Set(dates.filter((d) => d <= today));
  let longest = 0;
  for (const d of set) {
    if (set.has(addDays(d, -1))) continue;
    let len = 1;
    while (set.has(addDays(d, len))) len++;
    longest = Math.max(longest, len);
  }
  let end = set.has(today) ? today : addDays(today, -1);
  let current = 0;
  while (set.has(end)) {
    current++;
    end = addDays(end, -1);
  }
  return { longest, current };
}

describe('computeStreak: properties', () => {
  it('basic bounds and shape', () => {
    fc.assert(
      fc.property(scenarioArb, ({ dates, today, rules }) => {
        const s = computeStreak(dates, today, rules);
        const distinct = new Set(dates.filter((d) => d <= today));
        expect(s.current).toBeGreaterThanOrEqual(0);
        expect(s.current).toBeLessThanOrEqual(s.longest);
        expect(s.longest).toBeLessThanOrEqual(distinct.size);
        expect(s.freezes).toBeGreaterThanOrEqual(0);
        expect(s.freezes).toBeLessThanOrEqual(rules.maxFreezes);
        expect(s.activeToday).toBe(distinct.has(today));
        if (distinct.size === 0) {
          expect(s).toEqual({ current: 0, longest: 0, freezes: 0, lastActive: null, activeToday: false, days: [] });
          return;
        }
        const sorted = [...distinct].sort();
        const first = sorted[0] ?? '';
        expect(s.lastActive).toBe(sorted.at(-1));
        expect(s.days[0]?.date).toBe(first);
        expect(s.days.at(-1)?.date).toBe(today);
        expect(s.days).toHaveLength(daysBetween(first, today) + 1);
        for (const day of s.days) {
          expect(day.freezes).toBeGreaterThanOrEqual(0);
          expect(day.freezes).toBeLessThanOrEqual(rules.maxFreezes);
          expect(day.streak).toBeLessThanOrEqual(s.longest);
          // Freezes are earned during a streak and spent before it can break.
          if (day.freezes > 0) expect(day.streak).toBeGreaterThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a state-by-state replay of days matches current, longest and freezes', () => {
    fc.assert(
      fc.property(scenarioArb, ({ dates, today, rules }) => {
        checkReplay(computeStreak(dates, today, rules), dates, today, rules);
      }),
      { numRuns: 200 },
    );
  });

  it('without freezes, longest and current are plain consecutive runs', () => {
    fc.assert(
      fc.property(scenarioArb, ({ dates, today }) => {
        const s = computeStreak(dates, today, { freezeEvery: 7, maxFreezes: 0 });
        expect({ longest: s.longest, current: s.current }).toEqual(plainRuns(dates, today));
      }),
      { numRuns: 200 },
    );
  });

  it('freezes only lengthen streaks', () => {
    fc.assert(
      fc.property(scenarioArb, ({ dates, today, rules }) => {
        const withFreezes = computeStreak(dates, today, rules);
        const without = plainRuns(dates, today);
        expect(withFreezes.longest).toBeGreaterThanOrEqual(without.longest);
        expect(withFreezes.current).toBeGreaterThanOrEqual(without.current);
      }),
      { numRuns: 200 },
    );
  });

  it('being active today adds exactly one day to current (never decreases it)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ dates, today, rules }) => {
        const before = computeStreak(dates, today, rules);
        const after = computeStreak([...dates, today], today, rules);
        expect(after.current).toBeGreaterThanOrEqual(before.current);
        expect(after.current).toBe(before.activeToday ? before.current : before.current + 1);
        expect(after.activeToday).toBe(true);
        expect(after.lastActive).toBe(today);
      }),
      { numRuns: 200 },
    );
  });

  it('input order and duplicates do not matter; future dates are ignored', () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 5 }), ({ dates, today, rules }, ahead) => {
        const base = computeStreak(dates, today, rules);
        const shuffled = [...dates, ...dates].reverse();
        const future = ahead.map((n) => addDays(today, n));
        expect(computeStreak([...future, ...shuffled], today, rules)).toEqual(base);
      }),
      { numRuns: 200 },
    );
  });

  it('yesterday\'s summary is a prefix of today\'s (history never changes)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ dates, today, rules }) => {
        const s = computeStreak(dates, today, rules);
        const next = computeStreak(dates, addDays(today, 1), rules);
        // Today's 'pending' becomes a real state tomorrow; everything before it is final.
        const settled = s.days.slice(0, -1);
        expect(next.days.slice(0, settled.length)).toEqual(settled);
      }),
      { numRuns: 200 },
    );
  });

  it('grid and recentDays agree with days', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 100 }), ({ dates, today, rules }, weeks, count) => {
        const s = computeStreak(dates, today, rules);
        const byDate = new Map(s.days.map((d) => [d.date, d]));
        const grid = streakGrid(s, today, weeks);
        expect(grid).toHaveLength(weeks);
        const firstMonday = addDays(weekStart(today), -7 * (weeks - 1));
        grid.forEach((row, w) => {
          expect(row).toHaveLength(7);
          row.forEach((cell, d) => {
            const date = addDays(firstMonday, 7 * w + d);
            const expected = date > today ? 'future' : (byDate.get(date)?.state ?? 'none');
            expect(cell).toBe(expected);
          });
        });
        expect(grid.at(-1)).toContain(s.days.length > 0 ? s.days.at(-1)?.state : 'none');

        const recent = recentDays(s, today, count);
        expect(recent).toHaveLength(count);
        expect(recent.at(-1)?.date).toBe(today);
        recent.forEach((day, i) => {
          expect(day.date).toBe(addDays(today, i - count + 1));
          expect(day).toEqual(byDate.get(day.date) ?? { date: day.date, state: 'missed', streak: 0, freezes: 0 });
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe('computeStreak: time-zone invariance', () => {
  const instantArb = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 1, 1) });

  it('same result whatever Luxon default zone is', () => {
    fc.assert(
      fc.property(
        fc.array(instantArb, { maxLength: 80 }),
        instantArb,
        zoneArb,
        zoneArb,
        rulesArb,
        (instants, nowMs, zone, defaultZone, rules) => {
          const run = () => {
            const dates = instants.map((ms) => localDate(new Date(ms), zone));
            return computeStreak(dates, localDate(new Date(nowMs), zone), rules);
          };
          Settings.defaultZone = 'UTC';
          const reference = run();
          Settings.defaultZone = defaultZone;
          expect(run()).toEqual(reference);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('same result when the system zone (process TZ) changes', () => {
    const savedTz = process.env.TZ;
    const instants = [Date.UTC(2026, 0, 14, 10, 30), Date.UTC(2026, 0, 15, 10, 30), Date.UTC(2026, 0, 16, 9, 0)];
    const run = () =>
      computeStreak(
        instants.map((ms) => localDate(new Date(ms), 'Pacific/Kiritimati')),
        localDate(new Date(Date.UTC(2026, 0, 16, 12, 0)), 'Pacific/Kiritimati'),
      );
    try {
      const results = ['UTC', 'Pacific/Pago_Pago', 'Pacific/Kiritimati', 'America/New_York'].map((tz) => {
        process.env.TZ = tz;
        Settings.resetCaches();
        Settings.defaultZone = 'system';
        return run();
      });
      for (const r of results) expect(r).toEqual(results[0]);
      // In Kiritimati those instants are the 15th, 16th and 16th; "now" is the 17th.
      expect(results[0]?.days.map((d) => [d.date, d.state])).toEqual([
        ['2026-01-15', 'active'],
        ['2026-01-16', 'active'],
        ['2026-01-17', 'pending'],
      ]);
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
      Settings.resetCaches();
    }
  });
});

import fc from 'fast-check';
import { DateTime, Settings, type Zone } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, isWithinQuietHours, localDate, type LocalDate, type TimeOfDay } from '../../src/core/calendar.js';
import {
  COME_BACK_KINDS,
  NUDGE_KINDS,
  NUDGE_RULES,
  decideNudge,
  type NudgeDecision,
  type NudgeKind,
  type NudgeState,
} from '../../src/core/nudges.js';
import type { ActionId } from '../../src/core/reply.js';
import { computeStreak } from '../../src/core/streak.js';
import type { JobContext } from '../../src/app/jobs/context.js';
import { nudgeState } from '../../src/app/jobs/nudges.js';
import type { NudgeFacts } from '../../src/app/ports.js';

type Lesson = NonNullable<NudgeState['todaysLesson']>;

const ZONES = Intl.supportedValuesOf('timeZone');
const KINDS: NudgeKind[] = [...NUDGE_KINDS];
const HOUR = 3_600_000;
const MINUTE = 60_000;

const t = (hour: number, minute: number): TimeOfDay => ({ hour, minute });
const DEFAULT_QUIET = { quietStart: t(21, 0), quietEnd: t(8, 0) };
const NO_QUIET = { quietStart: t(0, 0), quietEnd: t(0, 0) };

/** The instant the wall clock in `zone` shows `iso` (e.g. '2026-06-15T20:59'); throws if it does not exist. */
function at(iso: string, zone: string): Date {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`bad wall time ${iso} in ${zone}`);
  // Luxon moves a wall time inside a DST gap forward; refuse so tests never test a shifted time by accident.
  if (dt.toFormat("yyyy-MM-dd'T'HH:mm") !== iso) throw new Error(`${iso} does not exist in ${zone}`);
  return dt.toJSDate();
}

const ZONE = 'Europe/Berlin';
const NOW = at('2026-05-12T10:00', ZONE);

/** An active learner, last active yesterday, with nothing to be nudged about unless `over` adds it. */
function make(over: Partial<NudgeState> = {}): NudgeState {
  const zone = over.zone ?? ZONE;
  const now = over.now ?? NOW;
  const today = localDate(now, zone);
  return {
    now,
    zone,
    ...DEFAULT_QUIET,
    nudgesEnabled: true,
    status: 'active',
    enrolledOn: addDays(today, -60),
    lastActiveOn: addDays(today, -1),
    activeToday: false,
    streak: 0,
    todaysLesson: null,
    reviewsDue: 0,
    sentToday: [],
    sentSinceActive: [],
    ignoredInARow: 0,
    ...over,
  };
}

/** A learner whose last activity was `days` local days before `now`'s local date. */
function quietFor(days: number, over: Partial<NudgeState> = {}): NudgeState {
  const base = make(over);
  return { ...base, lastActiveOn: addDays(localDate(base.now, base.zone), -days) };
}

function lesson(deliveredAt: Date, over: Partial<Lesson> = {}): Lesson {
  return { deliveryId: 42, title: 'TCP handshakes', practiceKind: 'practice', deliveredAt, quizDone: true, practised: false, ...over };
}

const kindOf = (state: NudgeState): NudgeKind | null => decideNudge(state)?.kind ?? null;

function onlyButton(decision: NudgeDecision | null) {
  expect(decision).not.toBeNull();
  const rows = decision!.reply.actions ?? [];
  expect(rows).toHaveLength(1);
  expect(rows[0]).toHaveLength(1);
  return rows[0]![0]!;
}

/** The action a nudge of `kind` must carry. */
function expectedAction(kind: NudgeKind, state: NudgeState): ActionId {
  switch (kind) {
    case 'practice':
      return { kind: 'practice', deliveryId: state.todaysLesson!.deliveryId };
    case 'streak-risk':
      return { kind: 'run', verb: 'quiz' };
    case 'review-due':
      return { kind: 'run', verb: 'review' };
    case 'come-back-2':
    case 'come-back-5':
    case 'come-back-10':
      return { kind: 'run', verb: 'today' };
    case 'auto-pause':
      return { kind: 'run', verb: 'resume' };
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

let savedDefaultZone: Zone;
beforeEach(() => {
  savedDefaultZone = Settings.defaultZone;
});
afterEach(() => {
  Settings.defaultZone = savedDefaultZone;
});

describe('NUDGE_RULES', () => {
  it('holds the policy numbers', () => {
    expect(NUDGE_RULES).toEqual({
      maxPerDay: 2,
      eveningHour: 18,
      practiceDelayHours: 2,
      comeBackDays: [2, 5, 10],
      autoPauseDays: 14,
      backoffAfterIgnored: 3,
    });
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(NUDGE_RULES)).toBe(true);
    expect(Object.isFrozen(NUDGE_RULES.comeBackDays)).toBe(true);
    expect(() => {
      (NUDGE_RULES as { maxPerDay: number }).maxPerDay = 5;
    }).toThrow(TypeError);
    expect(() => {
      (NUDGE_RULES.comeBackDays as unknown as number[])[0] = 1;
    }).toThrow(TypeError);
    expect(Object.isFrozen(NUDGE_KINDS)).toBe(true);
    expect(Object.isFrozen(COME_BACK_KINDS)).toBe(true);
  });

  it('lists every kind once', () => {
    expect(new Set(NUDGE_KINDS).size).toBe(7);
    expect([...COME_BACK_KINDS].sort()).toEqual(['auto-pause', 'come-back-10', 'come-back-2', 'come-back-5']);
  });
});

describe('switches', () => {
  const eligible = make({ reviewsDue: 3 });

  it('nudges an active learner with something to do (control)', () => {
    expect(kindOf(eligible)).toBe('review-due');
  });

  it('sends nothing when the learner turned nudges off', () => {
    expect(decideNudge({ ...eligible, nudgesEnabled: false })).toBeNull();
    expect(decideNudge(quietFor(14, { nudgesEnabled: false }))).toBeNull();
  });

  it.each(['paused', 'unreachable'] as const)('sends nothing while %s, not even the come-back ladder', (status) => {
    expect(decideNudge({ ...eligible, status })).toBeNull();
    for (const days of [2, 5, 10, 14, 30]) expect(decideNudge(quietFor(days, { status }))).toBeNull();
  });

  it('sends nothing when there is nothing to do', () => {
    expect(decideNudge(make())).toBeNull();
  });
});

describe('quiet hours (default 21:00-08:00, wrapping midnight, in the learner zone)', () => {
  const times: [string, boolean][] = [
    ['08:00', true],
    ['12:00', true],
    ['20:59', true],
    ['21:00', false],
    ['23:59', false],
    ['00:00', false],
    ['03:30', false],
    ['07:59', false],
  ];
  const cases = ['Asia/Kolkata', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Europe/Berlin', 'UTC'].flatMap((zone) =>
    times.map(([time, sends]) => [zone, time, sends] as const),
  );

  it.each(cases)('%s at %s local: sends=%s', (zone, time, sends) => {
    const state = make({ zone, now: at(`2026-06-15T${time}`, zone), reviewsDue: 2 });
    expect(kindOf(state)).toBe(sends ? 'review-due' : null);
  });

  it('reads the clock in the learner zone, not in UTC', () => {
    // 16:30 UTC is 22:00 in Kolkata: quiet there although UTC says afternoon.
    expect(decideNudge(make({ zone: 'Asia/Kolkata', now: new Date('2026-06-15T16:30:00Z'), reviewsDue: 2 }))).toBeNull();
    // 04:30 UTC is 10:00 in Kolkata: fine there although UTC says night.
    expect(kindOf(make({ zone: 'Asia/Kolkata', now: new Date('2026-06-15T04:30:00Z'), reviewsDue: 2 }))).toBe('review-due');
    // 19:00 UTC is 09:00 the next day on Kiritimati (UTC+14).
    expect(kindOf(make({ zone: 'Pacific/Kiritimati', now: new Date('2026-06-14T19:00:00Z'), reviewsDue: 2 }))).toBe('review-due');
    // 07:30 UTC is 21:30 on Kiritimati.
    expect(decideNudge(make({ zone: 'Pacific/Kiritimati', now: new Date('2026-06-15T07:30:00Z'), reviewsDue: 2 }))).toBeNull();
  });

  describe('on DST days', () => {
    const la = 'America/Los_Angeles';
    it.each([
      // Spring forward 2026-03-08: 02:00 PST jumps to 03:00 PDT.
      ['2026-03-08T01:59', false],
      ['2026-03-08T03:00', false],
      ['2026-03-08T07:59', false],
      ['2026-03-08T08:00', true],
      ['2026-03-08T20:59', true],
      ['2026-03-08T21:00', false],
      // Fall back 2026-11-01: 02:00 PDT returns to 01:00 PST.
      ['2026-11-01T07:59', false],
      ['2026-11-01T08:00', true],
      ['2026-11-01T20:59', true],
      ['2026-11-01T21:00', false],
    ])('America/Los_Angeles %s: sends=%s', (iso, sends) => {
      expect(kindOf(make({ zone: la, now: at(iso, la), reviewsDue: 1 }))).toBe(sends ? 'review-due' : null);
    });

    it('is quiet at both 01:30s of the fall-back night', () => {
      const first = new Date('2026-11-01T08:30:00Z'); // 01:30 PDT
      const second = new Date('2026-11-01T09:30:00Z'); // 01:30 PST
      for (const now of [first, second]) {
        expect(DateTime.fromJSDate(now, { zone: la }).toFormat('HH:mm')).toBe('01:30');
        expect(decideNudge(make({ zone: la, now, reviewsDue: 1 }))).toBeNull();
      }
    });

    it('uses the local wall clock across the London spring-forward', () => {
      const london = 'Europe/London';
      // 07:30 UTC on 2026-03-29 is 08:30 BST: fine, although it would be 07:30 under last week's offset.
      expect(kindOf(make({ zone: london, now: new Date('2026-03-29T07:30:00Z'), reviewsDue: 1 }))).toBe('review-due');
      expect(decideNudge(make({ zone: london, now: new Date('2026-03-29T06:59:00Z'), reviewsDue: 1 }))).toBeNull(); // 07:59 BST
    });
  });

  it.each([
    // A custom wrapping window.
    [t(22, 30), t(6, 15), '22:29', true],
    [t(22, 30), t(6, 15), '22:30', false],
    [t(22, 30), t(6, 15), '06:14', false],
    [t(22, 30), t(6, 15), '06:15', true],
    // A window within one day (a nap).
    [t(13, 0), t(14, 0), '12:59', true],
    [t(13, 0), t(14, 0), '13:30', false],
    [t(13, 0), t(14, 0), '14:00', true],
    [t(13, 0), t(14, 0), '23:30', true],
    // start == end: no quiet hours at all.
    [t(0, 0), t(0, 0), '03:00', true],
    [t(21, 0), t(21, 0), '21:30', true],
  ])('custom quiet hours %j-%j at %s: sends=%s', (quietStart, quietEnd, time, sends) => {
    const state = make({ now: at(`2026-05-12T${time}`, ZONE), quietStart, quietEnd, reviewsDue: 1 });
    expect(kindOf(state)).toBe(sends ? 'review-due' : null);
  });

  it('holds back even the auto-pause during quiet hours', () => {
    expect(decideNudge(quietFor(20, { now: at('2026-05-12T23:00', ZONE) }))).toBeNull();
    expect(kindOf(quietFor(20, { now: at('2026-05-12T08:00', ZONE) }))).toBe('auto-pause');
  });
});

describe('budget', () => {
  // Practice, streak risk and review are all due here.
  const busy = make({
    now: at('2026-05-12T19:00', ZONE),
    streak: 5,
    reviewsDue: 3,
    todaysLesson: lesson(at('2026-05-12T09:00', ZONE)),
  });

  it('sends a second nudge on a day with one sent', () => {
    expect(kindOf({ ...busy, sentToday: ['practice'] })).toBe('streak-risk');
  });

  it('sends nothing once two went out today, even with more due', () => {
    expect(decideNudge({ ...busy, sentToday: ['practice', 'streak-risk'] })).toBeNull();
    expect(decideNudge({ ...busy, sentToday: ['come-back-2', 'auto-pause'] })).toBeNull();
    expect(decideNudge(quietFor(14, { sentToday: ['review-due', 'practice'] }))).toBeNull();
  });

  it('counts sends, not distinct kinds', () => {
    expect(decideNudge({ ...busy, sentToday: ['review-due', 'review-due'] })).toBeNull();
  });

  it('never sends a kind twice in one local day', () => {
    expect(decideNudge(make({ reviewsDue: 3, sentToday: ['review-due'] }))).toBeNull();
    expect(kindOf({ ...busy, sentToday: ['streak-risk'] })).toBe('practice');
    expect(kindOf({ ...busy, now: at('2026-05-12T12:00', ZONE), sentToday: ['practice'] })).toBe('review-due');
  });

  it('never repeats a come-back step already sent today', () => {
    // Inconsistent on purpose (sent today but not since active): sentToday alone must block it.
    expect(kindOf(quietFor(5, { sentToday: ['come-back-5'], reviewsDue: 1 }))).toBe('review-due');
  });
});

describe('back-off when ignored', () => {
  const busy = make({
    now: at('2026-05-12T19:00', ZONE),
    streak: 5,
    reviewsDue: 3,
    todaysLesson: lesson(at('2026-05-12T09:00', ZONE)),
  });

  it('allows two a day while fewer than 3 were ignored in a row', () => {
    expect(kindOf({ ...busy, ignoredInARow: 2, sentToday: ['practice'] })).toBe('streak-risk');
  });

  it('allows one a day from 3 ignored in a row', () => {
    expect(kindOf({ ...busy, ignoredInARow: 3 })).toBe('practice');
    expect(decideNudge({ ...busy, ignoredInARow: 3, sentToday: ['practice'] })).toBeNull();
    expect(decideNudge({ ...busy, ignoredInARow: 5, sentToday: ['review-due'] })).toBeNull();
    expect(decideNudge(quietFor(5, { ignoredInARow: 4, sentToday: ['review-due'] }))).toBeNull();
  });

  it('keeps practice, streak and review prompts up to 5 ignored', () => {
    expect(kindOf({ ...busy, ignoredInARow: 5 })).toBe('practice');
  });

  it('allows only the come-back ladder from 6 ignored in a row', () => {
    expect(decideNudge({ ...busy, ignoredInARow: 6 })).toBeNull();
    expect(decideNudge({ ...busy, ignoredInARow: 40 })).toBeNull();
    expect(kindOf(quietFor(2, { ignoredInARow: 6, reviewsDue: 3 }))).toBe('come-back-2');
    expect(kindOf(quietFor(5, { ignoredInARow: 6 }))).toBe('come-back-5');
    expect(kindOf(quietFor(10, { ignoredInARow: 7 }))).toBe('come-back-10');
    expect(kindOf(quietFor(14, { ignoredInARow: 99 }))).toBe('auto-pause');
    // The step went out: nothing else is left at this level.
    expect(decideNudge(quietFor(5, { ignoredInARow: 6, reviewsDue: 3, sentSinceActive: ['come-back-5'] }))).toBeNull();
    // Still one a day.
    expect(decideNudge(quietFor(14, { ignoredInARow: 6, sentToday: ['come-back-10'] }))).toBeNull();
  });
});

describe('come-back ladder', () => {
  it.each([
    [0, 'review-due'],
    [1, 'review-due'],
    [2, 'come-back-2'],
    [3, 'come-back-2'],
    [4, 'come-back-2'],
    [5, 'come-back-5'],
    [6, 'come-back-5'],
    [9, 'come-back-5'],
    [10, 'come-back-10'],
    [13, 'come-back-10'],
    [14, 'auto-pause'],
    [15, 'auto-pause'],
    [90, 'auto-pause'],
  ] as const)('quiet for %i days: %s', (days, kind) => {
    expect(kindOf(quietFor(days, { reviewsDue: 1 }))).toBe(kind);
  });

  it('sends only the highest step reached, never the skipped lower ones', () => {
    // Quiet for 6 days and never nudged: come-back-5, not come-back-2 first.
    expect(kindOf(quietFor(6))).toBe('come-back-5');
    // After it went out, no catching up on come-back-2.
    expect(decideNudge(quietFor(6, { sentSinceActive: ['come-back-5'] }))).toBeNull();
    expect(decideNudge(quietFor(9, { sentSinceActive: ['come-back-5'] }))).toBeNull();
    expect(decideNudge(quietFor(13, { sentSinceActive: ['come-back-10'] }))).toBeNull();
    // Quiet for 20 days and never nudged: straight to the auto-pause.
    expect(kindOf(quietFor(20))).toBe('auto-pause');
  });

  it('sends each step once per quiet spell, then the next step when reached', () => {
    expect(decideNudge(quietFor(3, { sentSinceActive: ['come-back-2'] }))).toBeNull();
    expect(kindOf(quietFor(5, { sentSinceActive: ['come-back-2'] }))).toBe('come-back-5');
    expect(kindOf(quietFor(10, { sentSinceActive: ['come-back-2', 'come-back-5'] }))).toBe('come-back-10');
    expect(kindOf(quietFor(14, { sentSinceActive: ['come-back-2', 'come-back-5', 'come-back-10'] }))).toBe('auto-pause');
  });

  it('lets other kinds through once the step went out', () => {
    expect(kindOf(quietFor(4, { reviewsDue: 2, sentSinceActive: ['come-back-2'] }))).toBe('review-due');
    expect(
      kindOf(quietFor(3, { now: at('2026-05-12T18:30', ZONE), streak: 2, sentSinceActive: ['come-back-2'], sentToday: ['come-back-2'] })),
    ).toBe('streak-risk');
  });

  it('does not fall back to come-back-10 after the auto-pause (a resume without activity)', () => {
    expect(decideNudge(quietFor(16, { sentSinceActive: ['auto-pause'] }))).toBeNull();
    expect(kindOf(quietFor(16, { sentSinceActive: ['auto-pause'], reviewsDue: 4 }))).toBe('review-due');
  });

  it('comes before practice, streak and review prompts', () => {
    const state = quietFor(5, {
      now: at('2026-05-12T19:00', ZONE),
      streak: 3,
      reviewsDue: 3,
      todaysLesson: lesson(at('2026-05-12T09:00', ZONE)),
    });
    expect(kindOf(state)).toBe('come-back-5');
    expect(kindOf({ ...state, sentSinceActive: ['come-back-5'] })).toBe('practice');
  });

  it('is skipped on a day with activity', () => {
    expect(decideNudge(quietFor(10, { activeToday: true }))).toBeNull();
    expect(kindOf(quietFor(14, { activeToday: true, reviewsDue: 1 }))).toBe('review-due');
  });

  it('counts from the enrolment day for a learner who was never active', () => {
    const now = at('2026-05-12T10:00', ZONE);
    const base = make({ now, lastActiveOn: null });
    expect(kindOf({ ...base, enrolledOn: '2026-05-11' })).toBeNull();
    expect(kindOf({ ...base, enrolledOn: '2026-05-10' })).toBe('come-back-2');
    const five = decideNudge({ ...base, enrolledOn: '2026-05-07' });
    expect(five?.kind).toBe('come-back-5');
    expect(five?.reply.text).toContain('5 days since you joined');
    expect(kindOf({ ...base, enrolledOn: '2026-04-28' })).toBe('auto-pause');
  });

  it('counts from a re-enrolment later than the last activity', () => {
    expect(kindOf(make({ lastActiveOn: '2026-03-01', enrolledOn: '2026-05-11', reviewsDue: 1 }))).toBe('review-due');
  });

  it('treats a last-active day later than today (learner moved west) as not quiet', () => {
    expect(kindOf(make({ lastActiveOn: '2026-05-13', reviewsDue: 1 }))).toBe('review-due');
  });

  it('counts learner-local days, not UTC days', () => {
    // 19:00 UTC on 2026-06-14 is 09:00 on 2026-06-15 on Kiritimati: two local days after the 13th.
    const kiritimati = make({ zone: 'Pacific/Kiritimati', now: new Date('2026-06-14T19:00:00Z'), lastActiveOn: '2026-06-13' });
    expect(kindOf(kiritimati)).toBe('come-back-2');
    // 03:00 UTC on 2026-06-15 is 20:00 on 2026-06-14 in Los Angeles: one local day after the 13th.
    const la = make({ zone: 'America/Los_Angeles', now: new Date('2026-06-15T03:00:00Z'), lastActiveOn: '2026-06-13' });
    expect(kindOf(la)).toBeNull();
    // Across the spring-forward (a 23-hour day) it is still two days.
    const dst = make({ zone: 'America/Los_Angeles', now: at('2026-03-08T09:00', 'America/Los_Angeles'), lastActiveOn: '2026-03-06' });
    expect(kindOf(dst)).toBe('come-back-2');
  });

  it.each([
    [2, 'come-back-2'],
    [5, 'come-back-5'],
    [10, 'come-back-10'],
  ] as const)('come-back after %i days offers today\'s lesson', (days, kind) => {
    const state = quietFor(days);
    const decision = decideNudge(state);
    expect(decision?.kind).toBe(kind);
    expect(decision?.pauseLearner).toBe(false);
    expect(onlyButton(decision).action).toEqual({ kind: 'run', verb: 'today' });
    expect(decision!.reply.text).toContain(`${days} days since your last session`);
  });

  it('auto-pauses after 14 quiet days with a one-tap Resume', () => {
    const decision = decideNudge(quietFor(14));
    expect(decision?.kind).toBe('auto-pause');
    expect(decision?.pauseLearner).toBe(true);
    const button = onlyButton(decision);
    expect(button.action).toEqual({ kind: 'run', verb: 'resume' });
    expect(button.label).toBe('Resume');
    expect(decision!.reply.text).toMatch(/paused/i);
  });
});

describe('practice prompt', () => {
  const delivered = at('2026-05-12T09:00', ZONE);
  const ready = make({ now: at('2026-05-12T11:00', ZONE), activeToday: true, lastActiveOn: '2026-05-12', todaysLesson: lesson(delivered) });

  it('asks for practice two hours after delivery once the quiz is done', () => {
    const decision = decideNudge(ready);
    expect(decision?.kind).toBe('practice');
    const button = onlyButton(decision);
    expect(button.action).toEqual({ kind: 'practice', deliveryId: 42 });
    expect(button.label).toBe('Log practice');
    expect(decision!.reply.text).toContain("Try today's practice from **TCP handshakes**");
    expect(decision!.pauseLearner).toBe(false);
  });

  it('asks to log what the learner saw for an experiment', () => {
    const decision = decideNudge({ ...ready, todaysLesson: lesson(delivered, { practiceKind: 'experiment', deliveryId: 7, title: 'Watch a SYN flood' }) });
    expect(decision?.kind).toBe('practice');
    expect(onlyButton(decision)).toMatchObject({ action: { kind: 'practice', deliveryId: 7 }, label: 'Log experiment' });
    expect(decision!.reply.text).toContain("Try today's experiment from **Watch a SYN flood** and log what you saw");
  });

  it('waits the full two hours (absolute time, even across a DST jump)', () => {
    expect(kindOf({ ...ready, now: new Date(ready.now.getTime() - 1) })).toBeNull();
    // Berlin springs forward at 02:00 on 2026-03-29: 01:30 CET to 04:30 CEST is two real hours.
    const zone = 'Europe/Berlin';
    const base = make({ zone, ...NO_QUIET, activeToday: true, lastActiveOn: '2026-03-29', todaysLesson: lesson(at('2026-03-29T01:30', zone)) });
    expect(kindOf({ ...base, now: at('2026-03-29T04:29', zone) })).toBeNull();
    expect(kindOf({ ...base, now: at('2026-03-29T04:30', zone) })).toBe('practice');
  });

  it('says nothing before the quiz is done or after practice is logged', () => {
    expect(decideNudge({ ...ready, todaysLesson: lesson(delivered, { quizDone: false }) })).toBeNull();
    expect(decideNudge({ ...ready, todaysLesson: lesson(delivered, { practised: true }) })).toBeNull();
    expect(decideNudge({ ...ready, todaysLesson: null })).toBeNull();
  });

  it('comes before the streak-risk and review prompts', () => {
    const evening = { ...ready, now: at('2026-05-12T19:00', ZONE), streak: 4, reviewsDue: 2 };
    expect(kindOf(evening)).toBe('practice');
    // With !activeToday (the quiz finished on another device, not yet counted) it still beats streak-risk.
    expect(kindOf({ ...evening, activeToday: false })).toBe('practice');
    expect(kindOf({ ...evening, activeToday: false, sentToday: ['practice'] })).toBe('streak-risk');
    expect(kindOf({ ...evening, sentToday: ['practice'] })).toBe('review-due');
  });

  it('quotes the lesson title without mentions or broken Markdown', () => {
    const title = '@everyone @here <!channel> <@U123> **bold** `code`\nsecond line';
    const decision = decideNudge({ ...ready, todaysLesson: lesson(delivered, { title }) });
    const text = decision!.reply.text;
    expect(text).not.toMatch(/@(everyone|here)/);
    expect(text).not.toContain('<!');
    expect(text).not.toContain('<@');
    expect(text).not.toContain('\n');
    expect(text.match(/\*\*/g)).toHaveLength(2);
    expect(text).toContain('everyone');
  });

  it('cuts a long title and fills in an empty one', () => {
    const long = decideNudge({ ...ready, todaysLesson: lesson(delivered, { title: 'x'.repeat(500) }) })!.reply.text;
    expect(long.length).toBeLessThan(200);
    expect(long).toContain('…');
    const empty = decideNudge({ ...ready, todaysLesson: lesson(delivered, { title: '  ' }) })!.reply.text;
    expect(empty).toContain("**today's lesson**");
  });
});

describe('streak at risk', () => {
  const evening = (iso: string, over: Partial<NudgeState> = {}) => make({ now: at(iso, ZONE), streak: 7, ...over });

  it('waits for the evening (18:00 local)', () => {
    expect(decideNudge(evening('2026-05-12T17:59'))).toBeNull();
    expect(kindOf(evening('2026-05-12T18:00'))).toBe('streak-risk');
    expect(kindOf(evening('2026-05-12T20:59'))).toBe('streak-risk');
  });

  it('says the streak, that it ends at midnight, and offers the quiz', () => {
    const decision = decideNudge(evening('2026-05-12T18:00'));
    expect(decision!.reply.text).toContain('7-day streak');
    expect(decision!.reply.text).toContain('midnight');
    const button = onlyButton(decision);
    expect(button.action).toEqual({ kind: 'run', verb: 'quiz' });
    expect(button.label).toBe("Take today's quiz");
    expect(decideNudge(evening('2026-05-12T18:00', { streak: 1 }))!.reply.text).toContain('1-day streak');
  });

  it('has nothing to protect without a streak or after activity today', () => {
    expect(decideNudge(evening('2026-05-12T19:00', { streak: 0 }))).toBeNull();
    expect(decideNudge(evening('2026-05-12T19:00', { activeToday: true, lastActiveOn: '2026-05-12' }))).toBeNull();
  });

  it('reads the evening in the learner zone', () => {
    const la = 'America/Los_Angeles';
    // 01:30 UTC is 18:30 PDT the day before.
    expect(kindOf(make({ zone: la, now: new Date('2026-06-16T01:30:00Z'), streak: 3 }))).toBe('streak-risk');
    // 18:30 UTC is 11:30 PDT.
    expect(decideNudge(make({ zone: la, now: new Date('2026-06-15T18:30:00Z'), streak: 3 }))).toBeNull();
    const kolkata = 'Asia/Kolkata';
    expect(kindOf(make({ zone: kolkata, now: new Date('2026-06-15T12:30:00Z'), streak: 3 }))).toBe('streak-risk'); // 18:00 IST
    expect(decideNudge(make({ zone: kolkata, now: new Date('2026-06-15T12:29:00Z'), streak: 3 }))).toBeNull();
  });

  it.each(['2026-03-08', '2026-11-01'])('works on the Los Angeles DST day %s', (date) => {
    const la = 'America/Los_Angeles';
    expect(decideNudge(make({ zone: la, now: at(`${date}T17:59`, la), streak: 3 }))).toBeNull();
    expect(kindOf(make({ zone: la, now: at(`${date}T18:00`, la), streak: 3 }))).toBe('streak-risk');
  });

  it('never fires when quiet hours start before the evening', () => {
    expect(decideNudge(evening('2026-05-12T18:00', { quietStart: t(17, 0) }))).toBeNull();
  });

  it('comes before the review prompt', () => {
    expect(kindOf(evening('2026-05-12T18:00', { reviewsDue: 2 }))).toBe('streak-risk');
    expect(kindOf(evening('2026-05-12T17:00', { reviewsDue: 2 }))).toBe('review-due');
  });
});

describe('review due', () => {
  it('says how many and offers the review', () => {
    const decision = decideNudge(make({ reviewsDue: 3 }));
    expect(decision?.kind).toBe('review-due');
    expect(decision!.reply.text).toContain('3 missed questions are waiting');
    expect(onlyButton(decision)).toMatchObject({ action: { kind: 'run', verb: 'review' }, label: 'Start review' });
    expect(decideNudge(make({ reviewsDue: 1 }))!.reply.text).toContain('1 missed question is waiting');
  });

  it('says nothing with no reviews due', () => {
    expect(decideNudge(make({ reviewsDue: 0 }))).toBeNull();
  });
});

describe('replies', () => {
  const examples: [NudgeKind, NudgeState][] = [
    ['practice', make({ now: at('2026-05-12T12:00', ZONE), todaysLesson: lesson(at('2026-05-12T09:00', ZONE)) })],
    ['streak-risk', make({ now: at('2026-05-12T19:00', ZONE), streak: 12 })],
    ['review-due', make({ reviewsDue: 9 })],
    ['come-back-2', quietFor(2)],
    ['come-back-5', quietFor(5)],
    ['come-back-10', quietFor(10)],
    ['auto-pause', quietFor(14)],
  ];

  it('covers every kind', () => {
    expect(examples.map(([kind]) => kind).sort()).toEqual([...KINDS].sort());
  });

  it.each(examples)('%s: short, friendly, one concrete step with one button', (kind, state) => {
    const decision = decideNudge(state);
    expect(decision?.kind).toBe(kind);
    const button = onlyButton(decision);
    expect(button.action).toEqual(expectedAction(kind, state));
    expect(button.label.length).toBeGreaterThan(0);
    expect(button.label.length).toBeLessThanOrEqual(80);
    const text = decision!.reply.text;
    expect(text.length).toBeGreaterThan(20);
    expect(text.length).toBeLessThanOrEqual(300);
    expect(text).not.toMatch(/@(everyone|here)|<!/);
    expect(decision!.reply.ephemeral).toBeUndefined();
    expect(decision!.pauseLearner).toBe(kind === 'auto-pause');
  });
});

describe('input checks', () => {
  it.each([
    ['an unknown zone', { zone: 'Mars/Olympus' }],
    ['an ad-hoc offset', { zone: 'UTC+3' }],
    ['an invalid now', { now: new Date(Number.NaN) }],
    ['a malformed enrolment date', { enrolledOn: '2026-5-1' }],
    ['an impossible last-active date', { lastActiveOn: '2026-02-30' }],
    ['a negative streak', { streak: -1 }],
    ['a fractional review count', { reviewsDue: 1.5 }],
    ['a NaN ignored count', { ignoredInARow: Number.NaN }],
    ['a bad quiet start', { quietStart: t(24, 0) }],
    ['a bad quiet end', { quietEnd: t(8, 60) }],
    ['an invalid delivery time', { todaysLesson: lesson(new Date(Number.NaN)) }],
    ['a zero delivery id', { todaysLesson: lesson(NOW, { deliveryId: 0 }) }],
  ] as [string, Partial<NudgeState>][])('rejects %s', (_what, over) => {
    expect(() => decideNudge(make(over))).toThrow(RangeError);
    // Even when nudges are off: a malformed state is a bug to surface, not a silent "no".
    expect(() => decideNudge(make({ ...over, nudgesEnabled: false }))).toThrow(RangeError);
  });
});

describe('purity', () => {
  it('does not mutate its input', () => {
    const state = deepFreeze(quietFor(3, { sentToday: ['review-due'], sentSinceActive: ['review-due'], todaysLesson: lesson(NOW) }));
    expect(() => decideNudge(state)).not.toThrow();
  });

  it('ignores Luxon Settings.defaultZone', () => {
    const state = make({ zone: 'America/Los_Angeles', now: new Date('2026-06-16T01:30:00Z'), streak: 3, lastActiveOn: '2026-06-14' });
    const expected = decideNudge(state);
    expect(expected?.kind).toBe('streak-risk');
    for (const zone of ['Pacific/Kiritimati', 'Etc/GMT+12', 'Asia/Kolkata', 'UTC']) {
      Settings.defaultZone = zone;
      expect(decideNudge(state)).toEqual(expected);
    }
  });
});

// ---------------------------------------------------------------------------
// Properties over random states
// ---------------------------------------------------------------------------

const zoneArb = fc.constantFrom(...ZONES);
const timeArb = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) });
const quietArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(DEFAULT_QUIET) },
  { weight: 3, arbitrary: fc.record({ quietStart: timeArb, quietEnd: timeArb }) },
);
const instantArb = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true });
const titleArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.constantFrom('@everyone', 'Hi @here', '<!channel> ping', '<@U123>', '**Caching** _and_ `TTL`'),
);
const kindsArb = (maxLength: number) => fc.uniqueArray(fc.constantFrom(...KINDS), { maxLength });

const stateArb: fc.Arbitrary<NudgeState> = fc
  .record({
    zone: zoneArb,
    now: instantArb,
    quiet: quietArb,
    nudgesEnabled: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    status: fc.constantFrom('active', 'active', 'active', 'active', 'paused', 'unreachable'),
    enrolledAgo: fc.integer({ min: 0, max: 40 }),
    lastActiveAgo: fc.option(fc.integer({ min: -1, max: 40 }), { nil: null }),
    activeToday: fc.boolean(),
    streak: fc.integer({ min: 0, max: 40 }),
    lesson: fc.option(
      fc.record({
        deliveryId: fc.integer({ min: 1, max: 1_000_000 }),
        title: titleArb,
        practiceKind: fc.constantFrom('practice', 'experiment'),
        minutesAgo: fc.integer({ min: -120, max: 24 * 60 }),
        quizDone: fc.boolean(),
        practised: fc.boolean(),
      }),
      { nil: null },
    ),
    reviewsDue: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 })),
    sentToday: kindsArb(3),
    sentSinceActive: kindsArb(7),
    ignoredInARow: fc.integer({ min: 0, max: 10 }),
  })
  .map((r): NudgeState => {
    const today = localDate(r.now, r.zone);
    return {
      now: r.now,
      zone: r.zone,
      ...r.quiet,
      nudgesEnabled: r.nudgesEnabled,
      status: r.status,
      enrolledOn: addDays(today, -r.enrolledAgo),
      lastActiveOn: r.lastActiveAgo === null ? null : addDays(today, -r.lastActiveAgo),
      activeToday: r.activeToday,
      streak: r.streak,
      todaysLesson:
        r.lesson === null
          ? null
          : {
              deliveryId: r.lesson.deliveryId,
              title: r.lesson.title,
              practiceKind: r.lesson.practiceKind,
              deliveredAt: new Date(r.now.getTime() - r.lesson.minutesAgo * MINUTE),
              quizDone: r.lesson.quizDone,
              practised: r.lesson.practised,
            },
      reviewsDue: r.reviewsDue,
      sentToday: r.sentToday,
      sentSinceActive: r.sentSinceActive,
      ignoredInARow: r.ignoredInARow,
    };
  });

/** Days since the later of lastActiveOn/enrolledOn, computed independently with Luxon. */
function quietDaysOf(state: NudgeState): number {
  const today = DateTime.fromJSDate(state.now, { zone: state.zone }).toISODate()!;
  const since = state.lastActiveOn !== null && state.lastActiveOn > state.enrolledOn ? state.lastActiveOn : state.enrolledOn;
  const days = DateTime.fromISO(today, { zone: 'UTC' }).diff(DateTime.fromISO(since, { zone: 'UTC' }), 'days').days;
  return Math.max(0, Math.round(days));
}

function ladderStep(quietDays: number): NudgeKind | null {
  if (quietDays >= 14) return 'auto-pause';
  if (quietDays >= 10) return 'come-back-10';
  if (quietDays >= 5) return 'come-back-5';
  if (quietDays >= 2) return 'come-back-2';
  return null;
}

const RUNS = { numRuns: 500 };

describe('properties', () => {
  it('never nudges inside quiet hours', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        if (decideNudge(state) !== null) {
          expect(isWithinQuietHours(state.now, state.zone, state.quietStart, state.quietEnd)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('never nudges when disabled, paused or unreachable', () => {
    fc.assert(
      fc.property(stateArb, fc.constantFrom('off', 'paused', 'unreachable'), (state, why) => {
        const blocked: NudgeState = why === 'off' ? { ...state, nudgesEnabled: false } : { ...state, status: why as 'paused' | 'unreachable' };
        expect(decideNudge(blocked)).toBeNull();
      }),
      RUNS,
    );
  });

  it('never repeats a kind sent today and stays within the daily budget and back-off', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const decision = decideNudge(state);
        if (decision === null) return;
        expect(state.sentToday).not.toContain(decision.kind);
        expect(state.sentToday.length).toBeLessThan(NUDGE_RULES.maxPerDay);
        if (state.ignoredInARow >= 3) expect(state.sentToday).toHaveLength(0);
        if (state.ignoredInARow >= 6) expect(COME_BACK_KINDS).toContain(decision.kind);
        expect(state.nudgesEnabled && state.status === 'active').toBe(true);
      }),
      RUNS,
    );
  });

  it('has exactly one button, consistent with the kind, and pauses iff auto-pause', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const decision = decideNudge(state);
        if (decision === null) return;
        const rows = decision.reply.actions ?? [];
        expect(rows.flat()).toHaveLength(1);
        expect(rows[0]![0]!.action).toEqual(expectedAction(decision.kind, state));
        expect(decision.pauseLearner).toBe(decision.kind === 'auto-pause');
        expect(decision.reply.text.length).toBeLessThanOrEqual(300);
        expect(decision.reply.text).not.toMatch(/@(everyone|here)|<!|<@/);
      }),
      RUNS,
    );
  });

  it('only picks a kind whose conditions hold', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const decision = decideNudge(state);
        if (decision === null) return;
        const quietDays = quietDaysOf(state);
        const step = ladderStep(quietDays);
        const ladderOpen = !state.activeToday && step !== null && !state.sentSinceActive.includes(step) && !state.sentToday.includes(step);
        switch (decision.kind) {
          case 'auto-pause':
          case 'come-back-10':
          case 'come-back-5':
          case 'come-back-2':
            expect(ladderOpen).toBe(true);
            expect(decision.kind).toBe(step);
            break;
          case 'practice': {
            const lesson = state.todaysLesson!;
            expect(lesson.quizDone && !lesson.practised).toBe(true);
            expect(state.now.getTime() - lesson.deliveredAt.getTime()).toBeGreaterThanOrEqual(2 * HOUR);
            break;
          }
          case 'streak-risk':
            expect(state.streak).toBeGreaterThan(0);
            expect(state.activeToday).toBe(false);
            expect(DateTime.fromJSDate(state.now, { zone: state.zone }).hour).toBeGreaterThanOrEqual(18);
            break;
          case 'review-due':
            expect(state.reviewsDue).toBeGreaterThan(0);
            break;
        }
        // A kind further down the list is only chosen when the ones above could not go.
        if (decision.kind === 'practice' || decision.kind === 'streak-risk' || decision.kind === 'review-due') expect(ladderOpen).toBe(false);
        if (decision.kind === 'streak-risk' || decision.kind === 'review-due') {
          const lesson = state.todaysLesson;
          const practiceReady =
            lesson !== null && lesson.quizDone && !lesson.practised && state.now.getTime() - lesson.deliveredAt.getTime() >= 2 * HOUR;
          expect(practiceReady && !state.sentToday.includes('practice')).toBe(false);
        }
        if (decision.kind === 'review-due') {
          const evening = DateTime.fromJSDate(state.now, { zone: state.zone }).hour >= 18;
          expect(state.streak > 0 && !state.activeToday && evening && !state.sentToday.includes('streak-risk')).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('sends something whenever the gates are open and a review is due', () => {
    fc.assert(
      fc.property(stateArb, (raw) => {
        const state: NudgeState = { ...raw, nudgesEnabled: true, status: 'active', sentToday: [], ignoredInARow: 0, reviewsDue: raw.reviewsDue + 1 };
        if (isWithinQuietHours(state.now, state.zone, state.quietStart, state.quietEnd)) return;
        const decision = decideNudge(state);
        expect(decision).not.toBeNull();
        // ...and a reached, unsent come-back step wins.
        const step = ladderStep(quietDaysOf(state));
        if (!state.activeToday && step !== null && !state.sentSinceActive.includes(step)) expect(decision!.kind).toBe(step);
      }),
      RUNS,
    );
  });

  it('is deterministic and leaves its input alone', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const before = structuredClone(state);
        const first = decideNudge(state);
        expect(state).toEqual(before);
        expect(decideNudge(structuredClone(state))).toEqual(first);
        expect(decideNudge(state)).toEqual(first);
      }),
      RUNS,
    );
  });

  it('does not depend on Luxon Settings.defaultZone', () => {
    fc.assert(
      fc.property(stateArb, zoneArb, (state, defaultZone) => {
        const saved = Settings.defaultZone;
        Settings.defaultZone = 'UTC';
        const expected = decideNudge(state);
        try {
          Settings.defaultZone = defaultZone;
          expect(decideNudge(state)).toEqual(expected);
        } finally {
          Settings.defaultZone = saved;
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------
// A whole local day, replayed
// ---------------------------------------------------------------------------

interface Learner {
  zone: string;
  day: LocalDate;
  quietStart: TimeOfDay;
  quietEnd: TimeOfDay;
  lastActiveAgo: number | null;
  enrolledAgo: number;
  streak: number;
  reviewsDue: number;
  lesson: null | { deliveryMinute: number; practiceKind: 'practice' | 'experiment'; quizMinute: number | null; practiseMinute: number | null };
  ignoredInARow: number;
  sentSinceActive: NudgeKind[];
}

interface Sent {
  kind: NudgeKind;
  at: Date;
}

/**
 * Replays `learner.day` from local midnight to the next local midnight every
 * `stepMinutes` (absolute minutes, so DST days have 23 or 25 hours), feeding
 * each decision back into sentToday / sentSinceActive and pausing on auto-pause.
 * Doing the quiz counts as activity, which resets sentSinceActive.
 */
function replayDay(learner: Learner, stepMinutes: number): Sent[] {
  const { zone, day } = learner;
  const start = DateTime.fromISO(day, { zone }).startOf('day');
  const minuteOfDay = (now: Date) => Math.round((now.getTime() - start.toMillis()) / MINUTE);
  const sent: Sent[] = [];
  let status: NudgeState['status'] = 'active';
  let sentSinceActive = [...learner.sentSinceActive];
  let activeToday = false;
  let lastActiveOn = learner.lastActiveAgo === null ? null : addDays(day, -learner.lastActiveAgo);
  for (let now = start.toJSDate(); localDate(now, zone) === day; now = new Date(now.getTime() + stepMinutes * MINUTE)) {
    const minute = minuteOfDay(now);
    const l = learner.lesson;
    const delivered = l !== null && minute >= l.deliveryMinute;
    const quizDone = delivered && l.quizMinute !== null && minute >= l.quizMinute;
    const practised = quizDone && l.practiseMinute !== null && minute >= l.practiseMinute;
    if (quizDone && !activeToday) {
      activeToday = true;
      lastActiveOn = day;
      sentSinceActive = [];
    }
    const decision = decideNudge({
      now,
      zone,
      quietStart: learner.quietStart,
      quietEnd: learner.quietEnd,
      nudgesEnabled: true,
      status,
      enrolledOn: addDays(day, -learner.enrolledAgo),
      lastActiveOn,
      activeToday,
      streak: learner.streak,
      todaysLesson: delivered
        ? {
            deliveryId: 1,
            title: 'Idempotency keys',
            practiceKind: l.practiceKind,
            deliveredAt: new Date(start.toMillis() + l.deliveryMinute * MINUTE),
            quizDone,
            practised,
          }
        : null,
      reviewsDue: learner.reviewsDue,
      sentToday: sent.map((s) => s.kind),
      sentSinceActive,
      ignoredInARow: learner.ignoredInARow,
    });
    if (decision === null) continue;
    sent.push({ kind: decision.kind, at: now });
    sentSinceActive = [...sentSinceActive, decision.kind];
    if (decision.pauseLearner) status = 'paused';
  }
  return sent;
}

const dayArb = fc.integer({ min: 0, max: 25 * 366 }).map((n) => addDays('2015-01-01', n));
const learnerArb: fc.Arbitrary<Learner> = fc.record({
  zone: zoneArb,
  day: dayArb,
  quietStart: fc.oneof(fc.constant(t(21, 0)), timeArb),
  quietEnd: fc.oneof(fc.constant(t(8, 0)), timeArb),
  lastActiveAgo: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
  enrolledAgo: fc.integer({ min: 0, max: 30 }),
  streak: fc.integer({ min: 0, max: 20 }),
  reviewsDue: fc.integer({ min: 0, max: 5 }),
  lesson: fc.option(
    fc.record({
      deliveryMinute: fc.integer({ min: 0, max: 23 * 60 }),
      practiceKind: fc.constantFrom('practice', 'experiment'),
      quizMinute: fc.option(fc.integer({ min: 0, max: 24 * 60 }), { nil: null }),
      practiseMinute: fc.option(fc.integer({ min: 0, max: 24 * 60 }), { nil: null }),
    }),
    { nil: null },
  ),
  ignoredInARow: fc.integer({ min: 0, max: 8 }),
  sentSinceActive: kindsArb(3),
});

function checkDay(learner: Learner, sent: Sent[]): void {
  const kinds = sent.map((s) => s.kind);
  expect(sent.length).toBeLessThanOrEqual(NUDGE_RULES.maxPerDay);
  if (learner.ignoredInARow >= 3) expect(sent.length).toBeLessThanOrEqual(1);
  expect(new Set(kinds).size).toBe(kinds.length);
  for (const s of sent) {
    expect(localDate(s.at, learner.zone)).toBe(learner.day);
    expect(isWithinQuietHours(s.at, learner.zone, learner.quietStart, learner.quietEnd)).toBe(false);
  }
  // Nothing after an auto-pause.
  const pause = kinds.indexOf('auto-pause');
  if (pause !== -1) expect(pause).toBe(kinds.length - 1);
}

describe('day simulation', () => {
  it('never sends more than 2 a day or a kind twice (every 15 minutes)', () => {
    fc.assert(
      fc.property(learnerArb, (learner) => {
        checkDay(learner, replayDay(learner, 15));
      }),
      { numRuns: 300 },
    );
  });

  it('never sends more than 2 a day or a kind twice (every minute)', () => {
    fc.assert(
      fc.property(learnerArb, (learner) => {
        checkDay(learner, replayDay(learner, 1));
      }),
      { numRuns: 25 },
    );
  });

  it('reaches a learner with a review due on every day under the default quiet hours', () => {
    fc.assert(
      fc.property(learnerArb, (raw) => {
        const learner: Learner = { ...raw, ...DEFAULT_QUIET, reviewsDue: raw.reviewsDue + 1, ignoredInARow: 0, sentSinceActive: [] };
        const sent = replayDay(learner, 15);
        checkDay(learner, sent);
        expect(sent.length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['America/Los_Angeles', '2026-03-08'],
    ['America/Los_Angeles', '2026-11-01'],
    ['Europe/London', '2026-03-29'],
    ['Asia/Kolkata', '2026-06-15'],
    ['Pacific/Kiritimati', '2026-06-15'],
  ])('%s on %s: review at 08:00, practice two hours after the lesson, then nothing', (zone, day) => {
    const learner: Learner = {
      zone,
      day,
      ...DEFAULT_QUIET,
      lastActiveAgo: 1,
      enrolledAgo: 20,
      streak: 4,
      reviewsDue: 2,
      // Lesson at 09:00 local, quiz done at 09:30, never practised.
      lesson: { deliveryMinute: 0, practiceKind: 'experiment', quizMinute: 0, practiseMinute: null },
      ignoredInARow: 0,
      sentSinceActive: [],
    };
    // Minutes are counted from local midnight in absolute time, so find the ones that show 09:00 and 09:30.
    const midnight = DateTime.fromISO(day, { zone }).startOf('day').toMillis();
    const minuteAt = (hhmm: string) => Math.round((at(`${day}T${hhmm}`, zone).getTime() - midnight) / MINUTE);
    learner.lesson = { ...learner.lesson!, deliveryMinute: minuteAt('09:00'), quizMinute: minuteAt('09:30') };
    const sent = replayDay(learner, 15);
    checkDay(learner, sent);
    expect(sent.map((s) => [s.kind, DateTime.fromJSDate(s.at, { zone }).toFormat('HH:mm')])).toEqual([
      ['review-due', '08:00'],
      ['practice', '11:00'],
    ]);
  });

  it('walks a quiet learner up the ladder over three weeks, then pauses', () => {
    const zone = 'Asia/Kolkata';
    const lastActive = '2026-06-01';
    let sentSinceActive: NudgeKind[] = [];
    let status: NudgeState['status'] = 'active';
    const log: string[] = [];
    for (let d = 1; d <= 21; d++) {
      const day = addDays(lastActive, d);
      const sentToday: NudgeKind[] = [];
      for (const hhmm of ['09:00', '13:00', '19:00']) {
        const decision = decideNudge(
          make({ zone, now: at(`${day}T${hhmm}`, zone), lastActiveOn: lastActive, status, sentToday, sentSinceActive, ignoredInARow: sentSinceActive.length }),
        );
        if (!decision) continue;
        sentToday.push(decision.kind);
        sentSinceActive = [...sentSinceActive, decision.kind];
        if (decision.pauseLearner) status = 'paused';
        log.push(`${d}:${decision.kind}`);
      }
    }
    expect(log).toEqual(['2:come-back-2', '5:come-back-5', '10:come-back-10', '14:auto-pause']);
    expect(status).toBe('paused');
  });
});

describe('nudge facts -> state: the streak is the one /learn streak shows', () => {
  // latestDelivery is null below, so the catalog is never asked.
  const ctx = { app: { catalog: { lesson: () => undefined } } } as unknown as JobContext;

  /** Stored facts for a learner in `zone` with streak activity on `activityDates`; last activity at noon of the latest one. */
  function factsFor(zone: string, activityDates: LocalDate[], over: Partial<NudgeFacts> = {}): NudgeFacts {
    const latest = [...activityDates].sort().at(-1);
    return {
      target: {
        learner: {
          id: 1, communityId: 1, externalId: 'u1', displayName: 'u1', timezone: zone, deliveryTime: '09:00', status: 'active', nudgesEnabled: true,
          quietStart: '21:00', quietEnd: '08:00', dmChannelId: null, deliveryChannelId: null, unreachableNotifiedAt: null,
        },
        community: { id: 1, platform: 'console', externalId: 'c1', defaultTimezone: null, leadRoleIds: [], leadUserIds: [], cohortChannelId: null },
      },
      enrolledAt: new Date('2000-01-01T00:00:00Z'),
      lastActivityAt: latest ? DateTime.fromISO(`${latest}T12:00`, { zone }).toJSDate() : null,
      activityDates,
      latestDelivery: null,
      reviewsDue: 0,
      recentNudges: [],
      ...over,
    };
  }

  it('equals computeStreak for any activity history, zone and moment (future days included)', () => {
    const historyArb = fc.record({
      zone: fc.constantFrom(...ZONES),
      now: fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }),
      // Dense histories ending `gap` days before the clock's date make freeze-covered gaps common.
      density: fc.constantFrom(0.5, 0.85, 0.97),
      seeds: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 50 }),
      gap: fc.integer({ min: 0, max: 4 }),
      // Active days after the clock's date (it moved back, or the learner moved west).
      ahead: fc.array(fc.boolean(), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(historyArb, ({ zone, now, density, seeds, gap, ahead }) => {
        const today = localDate(now, zone);
        const past = seeds.flatMap((x, i) => (x < density ? [addDays(today, i - seeds.length + 1 - gap)] : []));
        const dates = [...past, ...ahead.flatMap((on, i) => (on ? [addDays(today, i + 1)] : []))];
        const expected = computeStreak(dates, today).current;
        const state = nudgeState(ctx, factsFor(zone, dates), now);
        expect(state.streak).toBe(expected);
        const decision = decideNudge(state);
        if (decision?.kind === 'streak-risk') expect(decision.reply.text).toContain(`${expected}-day streak`);
      }),
      RUNS,
    );
  });

  it('sends the streak-risk nudge when a freeze covered yesterday', () => {
    const zone = 'America/Los_Angeles';
    // Nine active days earn a freeze; 10 May has no streak activity (only a review), so the freeze is spent.
    const dates = Array.from({ length: 9 }, (_, i) => addDays('2026-05-01', i));
    const facts = factsFor(zone, dates, { lastActivityAt: at('2026-05-10T12:00', zone) });
    const now = at('2026-05-11T19:00', zone);
    expect(computeStreak(dates, '2026-05-11').days.at(-2)!.state).toBe('frozen');
    const state = nudgeState(ctx, facts, now);
    expect(state.streak).toBe(9);
    const decision = decideNudge(state);
    expect(decision?.kind).toBe('streak-risk');
    expect(decision!.reply.text).toContain('9-day streak ends at midnight');
  });

  it('sends no streak-risk nudge for a streak that does not exist at the clock\'s date', () => {
    const zone = 'Asia/Tokyo';
    const now = at('2026-05-12T19:00', zone);
    // The clock moved back: every active day is still ahead of it.
    const ahead = ['2026-05-20', '2026-05-21', '2026-05-22'];
    const state = nudgeState(ctx, factsFor(zone, ahead), now);
    expect(state.streak).toBe(0);
    expect(decideNudge(state)).toBeNull();
    // Old days before a long gap, newer ones after the clock's date: still nothing alive today.
    const mixed = ['2026-04-01', '2026-04-02', '2026-04-03', ...ahead];
    expect(nudgeState(ctx, factsFor(zone, mixed, { lastActivityAt: at('2026-05-11T12:00', zone) }), now).streak).toBe(0);
    expect(decideNudge(nudgeState(ctx, factsFor(zone, mixed, { lastActivityAt: at('2026-05-11T12:00', zone) }), now))).toBeNull();
    // No activity at all.
    expect(decideNudge(nudgeState(ctx, factsFor(zone, [], { lastActivityAt: at('2026-05-11T12:00', zone) }), now))).toBeNull();
  });
});

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays, deliveryInstant, localDate, nextDeliveryAfter, type TimeOfDay } from '../../src/core/calendar.js';
import { nextDeliveryFor } from '../../src/core/schedule.js';

const t = (hour: number, minute: number): TimeOfDay => ({ hour, minute });
const next = (nowIso: string, zone: string, time: TimeOfDay, lastDeliveredDate: string | null) =>
  nextDeliveryFor({ now: new Date(nowIso), zone, time, lastDeliveredDate }).toISOString();

describe('nextDeliveryFor', () => {
  it('after today\'s lesson waits for tomorrow even when today\'s slot is still ahead (resume)', () => {
    // 08:00 in Berlin, 09:00 still ahead.
    expect(next('2026-06-01T06:00:00Z', 'Europe/Berlin', t(9, 0), '2026-06-01')).toBe('2026-06-02T07:00:00.000Z');
    // A pause that spanned days: today's slot if still ahead, else tomorrow's.
    expect(next('2026-06-01T06:00:00Z', 'Europe/Berlin', t(9, 0), '2026-05-20')).toBe('2026-06-01T07:00:00.000Z');
    expect(next('2026-06-01T08:00:00Z', 'Europe/Berlin', t(9, 0), '2026-05-20')).toBe('2026-06-02T07:00:00.000Z');
    expect(next('2026-06-01T06:00:00Z', 'Europe/Berlin', t(9, 0), null)).toBe('2026-06-01T07:00:00.000Z');
  });

  it('across the date line: west waits until the new local date passes the delivered one, east goes on', () => {
    // Lesson given on 16 Jan in Kiritimati; now 04:00 on 15 Jan in Los Angeles: not the 15th, nor the 16th again.
    expect(next('2026-01-15T12:00:00Z', 'America/Los_Angeles', t(9, 0), '2026-01-16')).toBe('2026-01-17T17:00:00.000Z');
    // Lesson given on 15 Jan in Los Angeles; now 08:00 on 16 Jan in Kiritimati: that day's 09:00.
    expect(next('2026-01-15T18:00:00Z', 'Pacific/Kiritimati', t(9, 0), '2026-01-15')).toBe('2026-01-15T19:00:00.000Z');
  });

  it('a slot it lands on in a DST gap or overlap resolves as deliveryInstant does', () => {
    // Lesson on 7 Mar in Apia, now 6 Mar in St John's: 8 Mar 02:30 does not exist there, so 03:30 NDT.
    expect(next('2026-03-06T12:30:00Z', 'America/St_Johns', t(2, 30), '2026-03-07')).toBe('2026-03-08T06:00:00.000Z');
    // Lesson on 31 Oct in Apia, now 30 Oct in St John's: 1 Nov 01:30 happens twice, the earlier (NDT) wins.
    expect(next('2026-10-30T12:30:00Z', 'America/St_Johns', t(1, 30), '2026-10-31')).toBe('2026-11-01T04:00:00.000Z');
  });
});

// Zones with odd offsets, DST, midnight changes, and both sides of the date line; plus every zone Intl knows.
const NAMED = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Pacific/Apia', 'Pacific/Tongatapu', 'Pacific/Chatham', 'Pacific/Auckland',
  'Pacific/Honolulu', 'Etc/GMT+12', 'America/Adak', 'America/Los_Angeles', 'America/St_Johns', 'America/Santiago', 'America/Havana',
  'Australia/Lord_Howe', 'Europe/Berlin', 'Africa/Casablanca', 'Asia/Beirut', 'Asia/Kathmandu', 'Asia/Tokyo', 'UTC'];
const zoneArb = fc.oneof({ arbitrary: fc.constantFrom(...NAMED), weight: 3 }, { arbitrary: fc.constantFrom(...Intl.supportedValuesOf('timeZone')), weight: 1 });
// Around midnight and the usual DST hours more often.
const timeArb = fc.oneof(
  fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) }),
  fc.record({ hour: fc.constantFrom(0, 1, 2, 3, 23), minute: fc.constantFrom(0, 15, 30, 45, 59) }),
);

const HOUR = 3_600_000;
/** Instants where a named zone's offset changes, 2025..2028, to the minute. */
const TRANSITIONS = NAMED.flatMap((zone) => {
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const found: number[] = [];
  for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2029, 0, 1); ms += 6 * HOUR) {
    if (offset(ms) === offset(ms + 6 * HOUR)) continue;
    let [lo, hi] = [ms, ms + 6 * HOUR];
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  return found;
});
const instantArb = fc.oneof(
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -48 * HOUR, max: 48 * HOUR })).map(([at, d]) => at + d),
  fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2040, 0, 1) }),
);

describe('nextDeliveryFor properties', () => {
  it('is the first slot after now on a local date after the last delivered one', () => {
    expect(TRANSITIONS.length).toBeGreaterThan(50); // the instant generator has DST changes to aim at
    fc.assert(
      fc.property(instantArb, zoneArb, timeArb, fc.option(fc.tuple(zoneArb, fc.integer({ min: -3, max: 0 }))), (ms, zone, time, last) => {
        const now = new Date(ms);
        // The last lesson's date as some zone (maybe another one) labelled it, today or up to 3 days back.
        const lastDeliveredDate = last ? addDays(localDate(now, last[0]), last[1]) : null;
        const result = nextDeliveryFor({ now, zone, time, lastDeliveredDate });
        expect(result.getTime()).toBeGreaterThan(ms);
        const date = localDate(result, zone);
        if (lastDeliveredDate) expect(date > lastDeliveredDate).toBe(true);
        // No earlier date's slot qualified.
        for (let d = addDays(localDate(now, zone), -1); d < date; d = addDays(d, 1)) {
          const slot = deliveryInstant(d, zone, time).getTime();
          expect(slot <= ms || (lastDeliveredDate !== null && d <= lastDeliveredDate) || slot === result.getTime()).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  type Step =
    | { kind: 'wait'; ms: number; lag: number }
    | { kind: 'zone'; zone: string }
    | { kind: 'time'; time: TimeOfDay }
    | { kind: 'pause' }
    | { kind: 'resume' }
    | { kind: 'today' };
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 3 * 24 * HOUR }), lag: fc.integer({ min: 0, max: 3 * HOUR }) }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('zone' as const), zone: zoneArb }), weight: 2 },
    fc.record({ kind: fc.constant('time' as const), time: timeArb }),
    fc.constant({ kind: 'pause' as const }),
    fc.constant({ kind: 'resume' as const }),
    fc.constant({ kind: 'today' as const }),
  );

  it('a simulated learner gets at most one lesson per local date, in order, never scheduled in the past', () => {
    fc.assert(
      fc.property(instantArb, zoneArb, timeArb, fc.array(stepArb, { minLength: 1, maxLength: 40 }), (startMs, startZone, startTime, steps) => {
        let now = startMs;
        let zone = startZone;
        let time = startTime;
        let paused = false;
        // Like the deliveries table: one lesson per local date; a second send on a date repeats its lesson.
        const byDate = new Map<string, number>();
        const sent: number[] = [];
        let last: string | null = null;
        const schedule = () => {
          const at = nextDeliveryFor({ now: new Date(now), zone, time, lastDeliveredDate: last });
          expect(at.getTime()).toBeGreaterThan(now);
          if (last) expect(localDate(at, zone) > last, `next on or before ${last} in ${zone}`).toBe(true);
          return at.getTime();
        };
        const deliver = () => {
          const date = localDate(new Date(now), zone);
          if (last) expect(date > last, `lesson on ${date} after one on ${last} in ${zone}`).toBe(true);
          if (!byDate.has(date)) byDate.set(date, byDate.size);
          sent.push(byDate.get(date)!);
          last = date;
          const at = schedule();
          // What the delivery job and /learn today schedule after a lesson agrees with the rule.
          expect(at).toBe(nextDeliveryAfter(date, zone, time).getTime());
          return at;
        };
        let due = deliver(); // /learn start hands out the first lesson.
        for (const step of steps) {
          if (step.kind === 'wait') {
            const until = now + step.ms;
            // The tick (running `lag` late) sends whatever fell due in the wait.
            while (!paused && due + step.lag <= until) {
              now = due + step.lag;
              due = deliver();
            }
            now = until;
          } else if (step.kind === 'zone' || step.kind === 'time') {
            if (step.kind === 'zone') zone = step.zone;
            else time = step.time;
            due = schedule();
          } else if (step.kind === 'pause') paused = true;
          else if (step.kind === 'resume') {
            paused = false;
            due = schedule();
          } else if (last! < localDate(new Date(now), zone)) due = deliver(); // /learn today on a new date
        }
        // In order, none skipped or repeated.
        expect(sent).toEqual(sent.map((_, i) => i));
      }),
      { numRuns: 300 },
    );
  });
});

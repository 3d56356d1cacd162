import fc from 'fast-check';
import { DateTime, Settings, type Zone } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  eachDay,
  deliveryInstant,
  formatTimeOfDay,
  isValidLocalDate,
  isValidZone,
  isWithinQuietHours,
  localDate,
  nextDeliveryAfter,
  parseTimeOfDay,
  weekStart,
  type TimeOfDay,
} from '../../src/core/calendar.js';
import { nextDeliveryFor } from '../../src/core/schedule.js';

const ZONES = Intl.supportedValuesOf('timeZone');
const zoneArb = fc.constantFrom(...ZONES);
const timeArb = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) });
// 2015..2040: after the last whole-day skip (Pacific/Apia, 2011-12-30).
const dateArb = fc
  .integer({ min: 0, max: 25 * 366 })
  .map((n) => addDays('2015-01-01', n));

const utc = (iso: string): Date => new Date(iso);
/** The first delivery of a new schedule: the scheduling rule with no lesson delivered yet. */
const firstDeliveryAt = (now: Date, zone: string, time: TimeOfDay) => nextDeliveryFor({ now, zone, time, lastDeliveredDate: null });
const t = (hour: number, minute: number): TimeOfDay => ({ hour, minute });

let savedDefaultZone: Zone;
beforeEach(() => {
  savedDefaultZone = Settings.defaultZone;
});
afterEach(() => {
  Settings.defaultZone = savedDefaultZone;
});

describe('parseTimeOfDay / formatTimeOfDay', () => {
  it.each([
    ['0:00', 0, 0],
    ['00:00', 0, 0],
    ['7:05', 7, 5],
    ['07:05', 7, 5],
    ['9:30', 9, 30],
    ['12:00', 12, 0],
    ['23:59', 23, 59],
  ])('parses %j', (text, hour, minute) => {
    expect(parseTimeOfDay(text)).toEqual({ hour, minute });
  });

  it.each([
    '', '24:00', '25:00', '12:60', '7:5', '7:005', '123:00', '007:00', ' 9:00', '9:00 ', '9.00', '9h00',
    '9:00:00', '-1:00', '+9:00', 'a:bc', '9:', ':30', '9', '0900', '9:00am', '\u0660\u0669:\u0660\u0660',
  ])('rejects %j', (text) => {
    expect(parseTimeOfDay(text)).toBeNull();
  });

  it('formats zero-padded HH:MM', () => {
    expect(formatTimeOfDay(t(0, 0))).toBe('00:00');
    expect(formatTimeOfDay(t(7, 5))).toBe('07:05');
    expect(formatTimeOfDay(t(23, 59))).toBe('23:59');
  });

  it.each([t(24, 0), t(-1, 0), t(12, 60), t(1.5, 0), t(Number.NaN, 0)])('format rejects %j', (bad) => {
    expect(() => formatTimeOfDay(bad)).toThrow(RangeError);
  });

  it('round-trips every valid time', () => {
    fc.assert(
      fc.property(timeArb, (time) => {
        const text = formatTimeOfDay(time);
        expect(text).toMatch(/^\d{2}:\d{2}$/);
        expect(parseTimeOfDay(text)).toEqual(time);
        // The unpadded-hour form parses to the same time.
        expect(parseTimeOfDay(`${time.hour}:${text.slice(3)}`)).toEqual(time);
      }),
    );
  });

  it('parses exactly the valid H:MM / HH:MM among near-valid inputs', () => {
    // Random strings almost never look like a time; build '9:05', '09:60', '24:00', ' 09:00', '0900', '09:5'...
    const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const part = fc.oneof({ arbitrary: digits(2, 2), weight: 3 }, digits(0, 3), fc.constantFrom('٠٩', '９', 'a1'));
    const around = fc.oneof({ arbitrary: fc.constant(''), weight: 6 }, fc.constantFrom(' ', '\t', '\n', '+', '-', 'am', ':00'));
    const inputArb = fc.record({
      before: around,
      hour: fc.oneof(part, fc.integer({ min: 0, max: 29 }).map(String)),
      sep: fc.oneof({ arbitrary: fc.constant(':'), weight: 6 }, fc.constantFrom('', '.', 'h', '::', ' :')),
      minute: fc.oneof(part, fc.integer({ min: 55, max: 65 }).map(String)),
      after: around,
    });
    let parsedCount = 0;
    fc.assert(
      fc.property(inputArb, ({ before, hour, sep, minute, after }) => {
        const text = `${before}${hour}${sep}${minute}${after}`;
        // Valid only as exactly 1-2 ASCII digits, ':', 2 ASCII digits, within 0:00..23:59.
        const exact = before === '' && after === '' && sep === ':' && /^[0-9]{1,2}$/.test(hour) && /^[0-9]{2}$/.test(minute);
        const valid = exact && Number(hour) <= 23 && Number(minute) <= 59;
        const parsed = parseTimeOfDay(text);
        if (parsed) parsedCount++;
        expect(parsed, JSON.stringify(text)).toEqual(valid ? { hour: Number(hour), minute: Number(minute) } : null);
      }),
      { numRuns: 1000 },
    );
    // The property must have seen plenty of inputs that do parse.
    expect(parsedCount).toBeGreaterThan(100);
  });
});

describe('isValidZone', () => {
  it.each(['UTC', 'Etc/GMT-14', 'Etc/GMT+12', 'Europe/Berlin', 'America/New_York', 'Pacific/Kiritimati', 'Asia/Kathmandu'])(
    'accepts %j',
    (zone) => expect(isValidZone(zone)).toBe(true),
  );

  it.each(['', 'UTC+3', '+03:00', 'GMT+2', 'Z', 'Mars/Olympus_Mons', 'Europe/Berlinn', 'local', 'system', ' UTC'])(
    'rejects %j',
    (zone) => expect(isValidZone(zone)).toBe(false),
  );

  it('accepts every zone Intl reports', () => {
    expect(ZONES.length).toBeGreaterThan(300);
    for (const zone of ZONES) expect(isValidZone(zone), zone).toBe(true);
  });

  it('functions taking a zone throw on an invalid one', () => {
    const now = utc('2026-01-01T00:00:00Z');
    expect(() => localDate(now, 'UTC+3')).toThrow(RangeError);
    expect(() => localDate(now, '')).toThrow(RangeError);
    expect(() => deliveryInstant('2026-01-01', 'Nowhere/City', t(9, 0))).toThrow(RangeError);
    expect(() => firstDeliveryAt(now, 'UTC+3', t(9, 0))).toThrow(RangeError);
    expect(() => isWithinQuietHours(now, 'UTC+3', t(21, 0), t(8, 0))).toThrow(RangeError);
  });
});

describe('localDate', () => {
  it('Pacific/Kiritimati (UTC+14) rolls over at 10:00Z', () => {
    expect(localDate(utc('2026-01-15T09:59:59.999Z'), 'Pacific/Kiritimati')).toBe('2026-01-15');
    expect(localDate(utc('2026-01-15T10:00:00.000Z'), 'Pacific/Kiritimati')).toBe('2026-01-16');
  });

  it('Pacific/Pago_Pago (UTC-11) rolls over at 11:00Z', () => {
    expect(localDate(utc('2026-01-15T10:59:59.999Z'), 'Pacific/Pago_Pago')).toBe('2026-01-14');
    expect(localDate(utc('2026-01-15T11:00:00.000Z'), 'Pacific/Pago_Pago')).toBe('2026-01-15');
  });

  it('one instant can be two calendar days apart between the extremes', () => {
    const instant = utc('2026-01-15T10:30:00Z');
    expect(localDate(instant, 'Pacific/Kiritimati')).toBe('2026-01-16');
    expect(localDate(instant, 'UTC')).toBe('2026-01-15');
    expect(localDate(instant, 'Pacific/Pago_Pago')).toBe('2026-01-14');
  });

  it('handles year boundaries and leap days', () => {
    expect(localDate(utc('2025-12-31T23:30:00Z'), 'Europe/Berlin')).toBe('2026-01-01');
    expect(localDate(utc('2028-02-29T12:00:00Z'), 'UTC')).toBe('2028-02-29');
  });

  it('throws on an invalid Date', () => {
    expect(() => localDate(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });

  it('ignores Luxon default zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        zoneArb,
        zoneArb,
        (ms, zone, defaultZone) => {
          Settings.defaultZone = 'UTC';
          const expected = localDate(new Date(ms), zone);
          Settings.defaultZone = defaultZone;
          expect(localDate(new Date(ms), zone)).toBe(expected);
          expect(expected).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
        },
      ),
    );
  });
});

describe('addDays / daysBetween / weekStart', () => {
  it('adds calendar days across months, years and leap days', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30'); // Berlin/London DST day: still one calendar day
    expect(addDays('2026-05-05', 0)).toBe('2026-05-05');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
  });

  it('counts calendar days', () => {
    expect(daysBetween('2026-01-01', '2026-01-01')).toBe(0);
    expect(daysBetween('2026-01-01', '2026-01-02')).toBe(1);
    expect(daysBetween('2026-01-02', '2026-01-01')).toBe(-1);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it('daysBetween inverts addDays', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -2000, max: 2000 }), (date, n) => {
        const moved = addDays(date, n);
        expect(isValidLocalDate(moved)).toBe(true);
        expect(daysBetween(date, moved)).toBe(n);
        expect(addDays(moved, -n)).toBe(date);
      }),
    );
  });

  it('eachDay lists every calendar day, both ends included', () => {
    expect(eachDay('2028-02-27', '2028-03-01')).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
    expect(eachDay('2026-03-29', '2026-03-29')).toEqual(['2026-03-29']);
    expect(eachDay('2026-03-29', '2026-03-28')).toEqual([]);
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 400 }), (from, n) => {
        const days = eachDay(from, addDays(from, n));
        expect(days).toHaveLength(n + 1);
        days.forEach((day, i) => expect(day).toBe(addDays(from, i)));
      }),
      { numRuns: 30 },
    );
  });

  it('rejects malformed dates and fractional days', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-2-3', '20260203', '2026-02-03T00:00', '2026-W05-1', '2026-034', ' 2026-02-03', '', 'today']) {
      expect(isValidLocalDate(bad), bad).toBe(false);
      expect(() => addDays(bad, 1), bad).toThrow(RangeError);
      expect(() => daysBetween(bad, '2026-01-01'), bad).toThrow(RangeError);
      expect(() => eachDay(bad, '2026-01-01'), bad).toThrow(RangeError);
    }
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
  });

  it('weekStart is the ISO Monday', () => {
    expect(weekStart('2026-03-23')).toBe('2026-03-23'); // Monday
    expect(weekStart('2026-03-29')).toBe('2026-03-23'); // Sunday
    expect(weekStart('2026-03-25')).toBe('2026-03-23');
    expect(weekStart('2026-01-01')).toBe('2025-12-29'); // Thursday, week starts in the previous year
  });

  it('weekStart is a Monday at most 6 days back, and idempotent', () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        const monday = weekStart(date);
        const back = daysBetween(monday, date);
        expect(back).toBeGreaterThanOrEqual(0);
        expect(back).toBeLessThanOrEqual(6);
        expect(DateTime.fromISO(monday, { zone: 'UTC' }).weekday).toBe(1);
        expect(weekStart(monday)).toBe(monday);
      }),
    );
  });
});

describe('deliveryInstant', () => {
  it.each([
    // Europe/Berlin spring forward 2026-03-29 02:00 CET -> 03:00 CEST.
    ['Europe/Berlin', '2026-03-28', t(9, 0), '2026-03-28T08:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29', t(9, 0), '2026-03-29T07:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29', t(2, 30), '2026-03-29T01:30:00.000Z'], // gap: 03:30 CEST
    ['Europe/Berlin', '2026-03-29', t(1, 59), '2026-03-29T00:59:00.000Z'],
    ['Europe/Berlin', '2026-03-29', t(3, 0), '2026-03-29T01:00:00.000Z'],
    // America/New_York spring forward 2026-03-08 02:00 EST -> 03:00 EDT.
    ['America/New_York', '2026-03-07', t(9, 0), '2026-03-07T14:00:00.000Z'],
    ['America/New_York', '2026-03-08', t(9, 0), '2026-03-08T13:00:00.000Z'],
    ['America/New_York', '2026-03-08', t(2, 30), '2026-03-08T07:30:00.000Z'], // gap: 03:30 EDT
    // Europe/Berlin fall back 2026-10-25 03:00 CEST -> 02:00 CET.
    ['Europe/Berlin', '2026-10-24', t(9, 0), '2026-10-24T07:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25', t(9, 0), '2026-10-25T08:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25', t(2, 30), '2026-10-25T00:30:00.000Z'], // overlap: the earlier, CEST
    ['Europe/Berlin', '2026-10-25', t(2, 0), '2026-10-25T00:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25', t(3, 0), '2026-10-25T02:00:00.000Z'],
    // America/New_York fall back 2026-11-01 02:00 EDT -> 01:00 EST.
    ['America/New_York', '2026-11-01', t(1, 30), '2026-11-01T05:30:00.000Z'], // overlap: the earlier, EDT
    // Southern hemisphere: Australia/Sydney.
    ['Australia/Sydney', '2026-04-05', t(2, 30), '2026-04-04T15:30:00.000Z'], // overlap: the earlier, AEDT
    ['Australia/Sydney', '2026-10-04', t(2, 30), '2026-10-03T16:30:00.000Z'], // gap: 03:30 AEDT
    // Half-hour DST: Australia/Lord_Howe 2026-04-05 02:00 +11 -> 01:30 +10:30.
    ['Australia/Lord_Howe', '2026-04-05', t(1, 45), '2026-04-04T14:45:00.000Z'],
    // Extremes of the offset range.
    ['Pacific/Kiritimati', '2026-01-16', t(0, 0), '2026-01-15T10:00:00.000Z'],
    ['Pacific/Pago_Pago', '2026-01-15', t(23, 59), '2026-01-16T10:59:00.000Z'],
    ['UTC', '2026-06-01', t(12, 34), '2026-06-01T12:34:00.000Z'],
  ])('%s %s %j -> %s', (zone, date, time, expected) => {
    expect(deliveryInstant(date, zone, time).toISOString()).toBe(expected);
  });

  it('09:00 Berlin stays 09:00 local every day across both changes while the UTC hour shifts', () => {
    const utcHours = new Map<string, number>();
    for (let n = 0; n < 260; n++) {
      const date = addDays('2026-03-20', n);
      const at = DateTime.fromJSDate(deliveryInstant(date, 'Europe/Berlin', t(9, 0)), { zone: 'Europe/Berlin' });
      expect(at.toFormat('yyyy-MM-dd HH:mm')).toBe(`${date} 09:00`);
      utcHours.set(date, at.toUTC().hour);
    }
    expect(utcHours.get('2026-03-28')).toBe(8);
    expect(utcHours.get('2026-03-29')).toBe(7);
    expect(utcHours.get('2026-10-24')).toBe(7);
    expect(utcHours.get('2026-10-25')).toBe(8);
    expect(new Set(utcHours.values())).toEqual(new Set([7, 8]));
  });

  it('throws on an invalid time or date', () => {
    expect(() => deliveryInstant('2026-01-01', 'UTC', t(24, 0))).toThrow(RangeError);
    expect(() => deliveryInstant('2026-01-01', 'UTC', t(9, 60))).toThrow(RangeError);
    expect(() => deliveryInstant('2026-02-30', 'UTC', t(9, 0))).toThrow(RangeError);
  });

  it('ignores Luxon default zone', () => {
    fc.assert(
      fc.property(dateArb, zoneArb, timeArb, zoneArb, (date, zone, time, defaultZone) => {
        Settings.defaultZone = 'UTC';
        const expected = deliveryInstant(date, zone, time).getTime();
        Settings.defaultZone = defaultZone;
        expect(deliveryInstant(date, zone, time).getTime()).toBe(expected);
      }),
    );
  });
});

/**
 * Test oracle, independent of how Luxon resolves wall times: every instant
 * whose wall clock in `zone` reads `date time`, found by trying each UTC
 * offset the zone uses within two days of it.
 */
function instantsShowing(date: string, zone: string, time: TimeOfDay): number[] {
  const wallAsUtc = DateTime.fromISO(date, { zone: 'UTC' }).set({ hour: time.hour, minute: time.minute }).toMillis();
  const hourMs = 3_600_000;
  const offsets = new Set<number>();
  for (let h = -48; h <= 48; h += 3) offsets.add(DateTime.fromMillis(wallAsUtc + h * hourMs, { zone }).offset);
  const matches: number[] = [];
  for (const offset of offsets) {
    const candidate = wallAsUtc - offset * 60_000;
    if (DateTime.fromMillis(candidate, { zone }).offset === offset) matches.push(candidate);
  }
  return matches.sort((a, b) => a - b);
}

describe('nextDeliveryAfter', () => {
  it('is the delivery instant on the next calendar day', () => {
    expect(nextDeliveryAfter('2026-03-28', 'Europe/Berlin', t(9, 0)).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(nextDeliveryAfter('2026-12-31', 'Asia/Tokyo', t(8, 15)).toISOString()).toBe('2026-12-31T23:15:00.000Z');
    expect(nextDeliveryAfter('2028-02-28', 'UTC', t(0, 0)).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('shows the requested wall time on the next local day, the earliest such instant, unless in a DST gap', () => {
    fc.assert(
      fc.property(dateArb, zoneArb, timeArb, (last, zone, time) => {
        const result = nextDeliveryAfter(last, zone, time);
        const local = DateTime.fromJSDate(result, { zone });
        const nextDay = addDays(last, 1);
        expect(local.toISODate()).toBe(nextDay);

        const exact = instantsShowing(nextDay, zone, time);
        if (exact.length > 0) {
          expect(local.hour).toBe(time.hour);
          expect(local.minute).toBe(time.minute);
          expect(result.getTime()).toBe(exact[0]);
          return;
        }
        // DST gap: pushed forward by exactly the gap length.
        const offsetBefore = DateTime.fromMillis(result.getTime() - 86_400_000, { zone }).offset;
        const gapMinutes = local.offset - offsetBefore;
        expect(gapMinutes).toBeGreaterThan(0);
        expect(local.hour * 60 + local.minute - (time.hour * 60 + time.minute)).toBe(gapMinutes);
      }),
      { numRuns: 300 },
    );
  });

  it('same holds for every quarter hour on every 2026 offset-change day of zones with DST', () => {
    // Random dates rarely land on a change, so sweep the change days exhaustively.
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe',
      'America/Santiago', 'America/Havana', 'Pacific/Chatham', 'Asia/Beirut', 'Africa/Casablanca'];
    let gaps = 0;
    let overlaps = 0;
    for (const zone of zones) {
      for (let n = 0; n < 365; n++) {
        const day = addDays('2026-01-01', n);
        const start = DateTime.fromISO(day, { zone: 'UTC' });
        // Wide enough to cover the local day in any offset (-12h..+14h).
        const before = DateTime.fromMillis(start.toMillis() - 14 * 3_600_000, { zone }).offset;
        const after = DateTime.fromMillis(start.toMillis() + 36 * 3_600_000, { zone }).offset;
        if (before === after) continue;
        for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
          const time = t(Math.floor(minutes / 60), minutes % 60);
          const result = nextDeliveryAfter(addDays(day, -1), zone, time);
          const local = DateTime.fromJSDate(result, { zone });
          const exact = instantsShowing(day, zone, time);
          const where = `${zone} ${day} ${formatTimeOfDay(time)}`;
          expect(local.toISODate(), where).toBe(day);
          if (exact.length > 0) {
            if (exact.length > 1) overlaps++;
            expect(result.getTime(), where).toBe(exact[0]);
          } else {
            gaps++;
            expect(local.hour * 60 + local.minute, where).toBeGreaterThan(minutes);
          }
        }
      }
    }
    expect(gaps).toBeGreaterThan(0);
    expect(overlaps).toBeGreaterThan(0);
  });

  it('finds the DST gaps and overlaps it should (oracle sanity check)', () => {
    expect(instantsShowing('2026-03-29', 'Europe/Berlin', t(2, 30))).toEqual([]);
    expect(instantsShowing('2026-10-25', 'Europe/Berlin', t(2, 30))).toEqual([
      Date.parse('2026-10-25T00:30:00Z'),
      Date.parse('2026-10-25T01:30:00Z'),
    ]);
    expect(instantsShowing('2026-06-01', 'Europe/Berlin', t(9, 0))).toEqual([Date.parse('2026-06-01T07:00:00Z')]);
  });
});

describe('the first delivery of a new schedule', () => {
  const nine = t(9, 0);

  it('is today when the time is still ahead', () => {
    const now = utc('2026-06-01T06:59:59Z'); // 08:59:59 in Berlin
    expect(firstDeliveryAt(now, 'Europe/Berlin', nine).toISOString()).toBe('2026-06-01T07:00:00.000Z');
  });

  it('is tomorrow when the time has passed', () => {
    const now = utc('2026-06-01T07:00:01Z');
    expect(firstDeliveryAt(now, 'Europe/Berlin', nine).toISOString()).toBe('2026-06-02T07:00:00.000Z');
  });

  it('is tomorrow when now is exactly the delivery instant (strictly ahead required)', () => {
    const now = utc('2026-06-01T07:00:00Z');
    expect(firstDeliveryAt(now, 'Europe/Berlin', nine).toISOString()).toBe('2026-06-02T07:00:00.000Z');
  });

  it("uses the learner's local date, not UTC's", () => {
    // 2026-01-15T20:00Z is already 10:00 on the 16th in Kiritimati: 09:00 has passed there.
    expect(firstDeliveryAt(utc('2026-01-15T20:00:00Z'), 'Pacific/Kiritimati', nine).toISOString()).toBe(
      '2026-01-16T19:00:00.000Z',
    );
    // ...and only 09:00 on the 15th in Pago Pago: 21:00 is still ahead today.
    expect(firstDeliveryAt(utc('2026-01-15T20:00:00Z'), 'Pacific/Pago_Pago', t(21, 0)).toISOString()).toBe(
      '2026-01-16T08:00:00.000Z',
    );
  });

  it('is within (now, now + ~1 day] and shows the requested time when it exists', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2040, 0, 1) }),
        zoneArb,
        timeArb,
        (ms, zone, time) => {
          const now = new Date(ms);
          const first = firstDeliveryAt(now, zone, time);
          expect(first.getTime()).toBeGreaterThan(ms);
          // A day plus slack for a DST change in between.
          expect(first.getTime() - ms).toBeLessThanOrEqual(25 * 3_600_000);
          const today = localDate(now, zone);
          expect([today, addDays(today, 1)]).toContain(localDate(first, zone));
        },
      ),
    );
  });
});

describe('isWithinQuietHours', () => {
  const at = (iso: string) => utc(iso);

  it('wraps midnight: 21:00..08:00, start inclusive, end exclusive', () => {
    const q = (iso: string) => isWithinQuietHours(at(iso), 'UTC', t(21, 0), t(8, 0));
    expect(q('2026-06-01T20:59:59Z')).toBe(false);
    expect(q('2026-06-01T21:00:00Z')).toBe(true);
    expect(q('2026-06-01T23:59:00Z')).toBe(true);
    expect(q('2026-06-02T00:00:00Z')).toBe(true);
    expect(q('2026-06-02T07:59:59Z')).toBe(true);
    expect(q('2026-06-02T08:00:00Z')).toBe(false);
    expect(q('2026-06-02T12:00:00Z')).toBe(false);
  });

  it('same-day window: 13:00..14:30', () => {
    const q = (iso: string) => isWithinQuietHours(at(iso), 'UTC', t(13, 0), t(14, 30));
    expect(q('2026-06-01T12:59:00Z')).toBe(false);
    expect(q('2026-06-01T13:00:00Z')).toBe(true);
    expect(q('2026-06-01T14:29:00Z')).toBe(true);
    expect(q('2026-06-01T14:30:00Z')).toBe(false);
    expect(q('2026-06-01T23:00:00Z')).toBe(false);
  });

  it('start == end means no quiet hours', () => {
    for (const iso of ['2026-06-01T00:00:00Z', '2026-06-01T09:00:00Z', '2026-06-01T21:00:00Z']) {
      expect(isWithinQuietHours(at(iso), 'UTC', t(9, 0), t(9, 0))).toBe(false);
    }
  });

  it("uses the learner's wall clock", () => {
    // 19:30Z is 21:30 CEST in Berlin (quiet) but 15:30 EDT in New York (not quiet).
    const instant = at('2026-06-01T19:30:00Z');
    expect(isWithinQuietHours(instant, 'Europe/Berlin', t(21, 0), t(8, 0))).toBe(true);
    expect(isWithinQuietHours(instant, 'America/New_York', t(21, 0), t(8, 0))).toBe(false);
    // Same UTC instant, winter: 20:30 CET in Berlin, not quiet yet.
    expect(isWithinQuietHours(at('2026-01-15T19:30:00Z'), 'Europe/Berlin', t(21, 0), t(8, 0))).toBe(false);
  });

  it('a wrapping window and its complement partition the day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2040, 0, 1) }),
        zoneArb,
        timeArb,
        timeArb,
        (ms, zone, start, end) => {
          fc.pre(start.hour !== end.hour || start.minute !== end.minute);
          const inside = isWithinQuietHours(new Date(ms), zone, start, end);
          const outside = isWithinQuietHours(new Date(ms), zone, end, start);
          expect(inside).not.toBe(outside);
        },
      ),
    );
  });

  it('throws on an invalid window', () => {
    expect(() => isWithinQuietHours(at('2026-06-01T00:00:00Z'), 'UTC', t(25, 0), t(8, 0))).toThrow(RangeError);
  });
});

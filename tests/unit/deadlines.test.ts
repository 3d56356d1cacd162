import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dueReminder, endOfDayIn, parseDeadline, reminderSchedule, reminderTimes, submissionRule } from '../../src/core/deadlines.js';

const at = (iso: string) => new Date(iso);
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Lord_Howe'];
const instant = fc.date({ min: at('2025-01-01T00:00:00Z'), max: at('2028-12-31T00:00:00Z'), noInvalidDate: true });

describe('reminder times', () => {
  it('puts the 24h reminder at the same wall time the day before, across a DST change', () => {
    // Deadline on the Monday after Berlin's spring-forward Sunday (29 March 2026): 23 real hours before.
    const [day, hour] = reminderTimes(at('2026-03-30T16:00:00Z'), 'Europe/Berlin');
    expect(day).toEqual({ kind: '24h', at: at('2026-03-29T16:00:00Z') });
    expect(hour).toEqual({ kind: '1h', at: at('2026-03-30T15:00:00Z') });
    const [sunday] = reminderTimes(at('2026-03-29T16:00:00Z'), 'Europe/Berlin'); // 18:00 CEST on Sunday
    expect(sunday!.at).toEqual(at('2026-03-28T17:00:00Z')); // 18:00 CET on Saturday: 23 hours earlier
  });

  it('skips reminders already past when the deadline was set', () => {
    const due = at('2026-05-06T18:00:00Z');
    expect(reminderSchedule(due, at('2026-05-01T00:00:00Z'), 'UTC').map((r) => r.kind)).toEqual(['24h', '1h']);
    expect(reminderSchedule(due, at('2026-05-06T08:00:00Z'), 'UTC').map((r) => r.kind)).toEqual(['1h']);
    expect(reminderSchedule(due, at('2026-05-06T17:30:00Z'), 'UTC')).toEqual([]);
  });

  it('says which reminder is due: none before, 24h, then 1h, none from the deadline', () => {
    const base = { dueAt: at('2026-05-06T18:00:00Z'), setAt: at('2026-05-01T00:00:00Z'), zone: 'UTC' };
    expect(dueReminder({ ...base, now: at('2026-05-05T17:59:59Z') })).toBeNull();
    expect(dueReminder({ ...base, now: at('2026-05-05T18:00:00Z') })).toBe('24h');
    expect(dueReminder({ ...base, now: at('2026-05-06T16:59:59Z') })).toBe('24h');
    expect(dueReminder({ ...base, now: at('2026-05-06T17:00:00Z') })).toBe('1h');
    expect(dueReminder({ ...base, now: at('2026-05-06T18:00:00Z') })).toBeNull();
    expect(dueReminder({ ...base, setAt: at('2026-05-06T10:00:00Z'), now: at('2026-05-06T12:00:00Z') })).toBeNull();
  });

  it('never sends a reminder planned before the deadline was set, nor after the deadline', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 90 * 24 * 60 }), fc.integer({ min: -3000, max: 3000 }), fc.constantFrom(...ZONES), (setAt, minutesAhead, offset, zone) => {
        const dueAt = new Date(setAt.getTime() + minutesAhead * 60_000);
        const now = new Date(dueAt.getTime() + offset * 60_000);
        const kind = dueReminder({ dueAt, setAt, zone, now });
        if (kind === null) return;
        const time = reminderTimes(dueAt, zone).find((r) => r.kind === kind)!.at;
        expect(time.getTime()).toBeGreaterThanOrEqual(setAt.getTime());
        expect(time.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(now.getTime()).toBeLessThan(dueAt.getTime());
      }),
    );
  });

  it('orders the reminders: 24h strictly before 1h, both before the deadline', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (dueAt, zone) => {
        const [day, hour] = reminderTimes(dueAt, zone);
        expect(day!.at.getTime()).toBeLessThan(hour!.at.getTime());
        expect(hour!.at.getTime()).toBe(dueAt.getTime() - 3600_000);
        expect(dueAt.getTime() - day!.at.getTime()).toBeGreaterThanOrEqual(22 * 3600_000);
        expect(dueAt.getTime() - day!.at.getTime()).toBeLessThanOrEqual(26 * 3600_000);
      }),
    );
  });
});

describe('submissionRule', () => {
  const due = at('2026-05-06T18:00:00Z');
  const before = at('2026-05-06T17:00:00Z');
  const after = at('2026-05-06T18:00:01Z');

  it('takes a first submission, late after the deadline', () => {
    expect(submissionRule(before, due, null)).toEqual({ ok: true, late: false, edit: false });
    expect(submissionRule(due, due, null)).toEqual({ ok: true, late: false, edit: false });
    expect(submissionRule(after, due, null)).toEqual({ ok: true, late: true, edit: false });
  });

  it('lets edits through until the deadline, and after it only when changes were requested', () => {
    expect(submissionRule(before, due, { status: 'pending', late: false })).toEqual({ ok: true, late: false, edit: true });
    expect(submissionRule(after, due, { status: 'pending', late: false })).toEqual({ ok: false, reason: 'locked' });
    expect(submissionRule(after, due, { status: 'changes_requested', late: false })).toEqual({ ok: true, late: false, edit: true });
    expect(submissionRule(after, due, { status: 'changes_requested', late: true })).toEqual({ ok: true, late: true, edit: true });
  });

  it('keeps an accepted submission final', () => {
    for (const now of [before, after]) expect(submissionRule(now, due, { status: 'accepted', late: false })).toEqual({ ok: false, reason: 'accepted' });
  });
});

describe('parseDeadline', () => {
  const now = at('2026-05-04T08:00:00Z'); // 10:00 in Berlin

  it.each([
    ['2026-05-15 18:00', 'Europe/Berlin', '2026-05-15T16:00:00.000Z'],
    ['2026-05-15T18:00', 'Europe/Berlin', '2026-05-15T16:00:00.000Z'],
    ['2026-05-15', 'Europe/Berlin', '2026-05-15T21:59:00.000Z'],
    ['+7d', 'Europe/Berlin', '2026-05-11T08:00:00.000Z'],
    ['48h', 'UTC', '2026-05-06T08:00:00.000Z'],
    ['+3 days', 'UTC', '2026-05-07T08:00:00.000Z'],
    ['2026-05-15 18:00', 'America/New_York', '2026-05-15T22:00:00.000Z'],
  ])('reads %s in %s', (text, zone, iso) => {
    expect(parseDeadline(text, now, zone)).toEqual({ ok: true, at: new Date(iso) });
  });

  it.each([
    ['tomorrow', "can't read"],
    ['2026-02-30', 'not a real date'],
    ['2026-05-15 25:00', 'not a real date'],
    ['2026-05-03 18:00', 'has already passed'],
    ['+0d', 'has already passed'],
    ['2028-01-01', 'more than a year ahead'],
  ])('refuses %s with a hint', (text, why) => {
    const parsed = parseDeadline(text, now, 'UTC');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(why);
  });

  it('never throws, and whatever it accepts lies ahead within a year', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+?\d{1,3}\s?[dh]$/), fc.stringMatching(/^20\d\d-\d\d-\d\d( \d\d:\d\d)?$/)), fc.constantFrom(...ZONES), (text, zone) => {
        const parsed = parseDeadline(text, now, zone);
        if (parsed.ok) {
          expect(parsed.at.getTime()).toBeGreaterThan(now.getTime());
          expect(parsed.at.getTime()).toBeLessThanOrEqual(now.getTime() + 367 * 24 * 3600_000);
        }
      }),
    );
  });

  it('puts template deadlines at the end of a local day', () => {
    expect(endOfDayIn(now, 'Europe/Berlin', 7)).toEqual(at('2026-05-11T21:59:00Z'));
    expect(endOfDayIn(at('2026-05-04T23:30:00Z'), 'Asia/Kolkata', 1)).toEqual(at('2026-05-06T18:29:00Z'));
  });
});

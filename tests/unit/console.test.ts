import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.js';
import { clockTarget, SimulatedClock } from '../../src/platforms/console/clock.js';
import { renderReply } from '../../src/platforms/console/render.js';

const HOUR = 3_600_000;

/** A controllable "real" time source for SimulatedClock. */
function fakeRealTime(start: string) {
  let ms = Date.parse(start);
  return { now: () => new Date(ms), advance: (by: number) => (ms += by) };
}

describe('SimulatedClock', () => {
  it('follows real time until set', () => {
    const real = fakeRealTime('2026-05-01T10:00:00Z');
    const clock = new SimulatedClock(real.now);
    expect(clock.now().toISOString()).toBe('2026-05-01T10:00:00.000Z');
    real.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-05-01T10:01:30.000Z');
  });

  it('jumps to the set time and keeps ticking from there', () => {
    const real = fakeRealTime('2026-05-01T10:00:00Z');
    const clock = new SimulatedClock(real.now);
    clock.set(new Date('2026-06-15T07:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-06-15T07:00:00.000Z');
    real.advance(2 * HOUR);
    expect(clock.now().toISOString()).toBe('2026-06-15T09:00:00.000Z');
  });

  it('can be set into the past', () => {
    const real = fakeRealTime('2026-05-01T10:00:00Z');
    const clock = new SimulatedClock(real.now);
    clock.set(new Date('2020-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2020-01-01T00:00:00.000Z');
  });

  it('uses the latest set, not the sum of sets', () => {
    const real = fakeRealTime('2026-05-01T10:00:00Z');
    const clock = new SimulatedClock(real.now);
    clock.set(new Date('2026-05-03T10:00:00Z'));
    clock.set(new Date('2026-05-02T10:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-05-02T10:00:00.000Z');
  });
});

describe('clockTarget', () => {
  const BERLIN = 'Europe/Berlin';

  it('+1d across the spring DST change keeps the Berlin wall time', () => {
    // 08:00 CET on Saturday; clocks jump to CEST on Sunday 29 March 2026.
    const target = clockTarget('+1d', new Date('2026-03-28T07:00:00Z'), BERLIN);
    expect(target?.toISOString()).toBe('2026-03-29T06:00:00.000Z'); // 08:00 CEST, 23 hours later
  });

  it('+1d across the autumn DST change keeps the Berlin wall time', () => {
    const target = clockTarget('+1d', new Date('2026-10-24T07:00:00Z'), BERLIN); // 09:00 CEST
    expect(target?.toISOString()).toBe('2026-10-25T08:00:00.000Z'); // 09:00 CET, 25 hours later
  });

  it('moves by hours and minutes as elapsed time', () => {
    const now = new Date('2026-03-29T00:30:00Z'); // 01:30 CET, just before the jump
    expect(clockTarget('+3h', now, BERLIN)?.toISOString()).toBe('2026-03-29T03:30:00.000Z');
    expect(clockTarget('-30m', now, BERLIN)?.toISOString()).toBe('2026-03-29T00:00:00.000Z');
  });

  it('moves back by days', () => {
    expect(clockTarget('-2d', new Date('2026-05-10T12:00:00Z'), 'UTC')?.toISOString()).toBe('2026-05-08T12:00:00.000Z');
  });

  it('reads a wall time in the given zone', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(clockTarget('2026-03-29T08:00', now, BERLIN)?.toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(clockTarget('2026-01-15T08:00', now, BERLIN)?.toISOString()).toBe('2026-01-15T07:00:00.000Z');
    expect(clockTarget('2026-03-29T08:00', now, 'America/New_York')?.toISOString()).toBe('2026-03-29T12:00:00.000Z');
  });

  it.each(['garbage', '', '1d', '+1w', '+d', '++1d', '+12345d', '2026', '2026-13-01T08:00', '2026-02-30T08:00', '2026-03-29junk', 'tomorrow'])(
    'returns null for %j',
    (arg) => {
      expect(clockTarget(arg, new Date('2026-01-01T00:00:00Z'), BERLIN)).toBeNull();
    },
  );

  it('+Nh moves exactly N hours in any zone', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 9999 }),
        fc.constantFrom(...zones),
        (now, hours, zone) => {
          expect(clockTarget(`+${hours}h`, now, zone)?.getTime()).toBe(now.getTime() + hours * HOUR);
          expect(clockTarget(`-${hours}h`, now, zone)?.getTime()).toBe(now.getTime() - hours * HOUR);
        },
      ),
    );
  });
});

describe('renderReply', () => {
  const full: Reply = {
    title: 'Lesson 3',
    text: 'Caches trade memory for time.',
    fields: [
      { name: 'Streak', value: '4 days', inline: true },
      { name: 'Next', value: 'Tue 09:00' },
    ],
    actions: [
      [{ action: { kind: 'quiz', deliveryId: 7 }, label: 'Take the quiz' }],
      [
        { action: { kind: 'practice', deliveryId: 7 }, label: 'Log practice' },
        { action: { kind: 'run', verb: 'help' }, label: 'Help' },
      ],
    ],
    files: [{ name: 'export.json', content: '{"a":1}' }],
  };

  it('renders title, text, fields, numbered buttons and files in order', () => {
    expect(renderReply(full).text).toBe(
      ['── Lesson 3 ──', 'Caches trade memory for time.', 'Streak: 4 days', 'Next: Tue 09:00', '[1] Take the quiz  [2] Log practice  [3] Help', '📎 export.json', '{"a":1}'].join('\n'),
    );
  });

  it('numbers buttons across rows and returns them in that order', () => {
    const { buttons } = renderReply(full);
    expect(buttons.map((b) => b.label)).toEqual(['Take the quiz', 'Log practice', 'Help']);
    expect(buttons[2]?.action).toEqual({ kind: 'run', verb: 'help' });
  });

  it('starts numbering at firstNumber', () => {
    expect(renderReply(full, 4).text).toContain('[4] Take the quiz  [5] Log practice  [6] Help');
  });

  it('renders plain text alone', () => {
    expect(renderReply({ text: 'Hello' })).toEqual({ text: 'Hello', buttons: [] });
  });

  it('omits an empty text line', () => {
    expect(renderReply({ text: '', title: 'Only a title' }).text).toBe('── Only a title ──');
  });
});

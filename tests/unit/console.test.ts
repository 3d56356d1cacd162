import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Inbound } from '../../src/app/inbound.js';
import type { Reply } from '../../src/core/reply.js';
import { clockTarget, SimulatedClock, type ClockTarget } from '../../src/platforms/console/clock.js';
import { Playground } from '../../src/platforms/console/playground.js';
import { renderReply } from '../../src/platforms/console/render.js';
import { RecordingLog } from '../support/app.js';

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

/** The instant a move lands on, or what refused it. */
const landed = (target: ClockTarget): string => (target.ok ? target.at.toISOString() : target.reason);

describe('clockTarget', () => {
  const BERLIN = 'Europe/Berlin';

  it('+1d across the spring DST change keeps the Berlin wall time', () => {
    // 08:00 CET on Saturday; clocks jump to CEST on Sunday 29 March 2026.
    const target = clockTarget('+1d', new Date('2026-03-28T07:00:00Z'), BERLIN);
    expect(landed(target)).toBe('2026-03-29T06:00:00.000Z'); // 08:00 CEST, 23 hours later
  });

  it('+1d across the autumn DST change keeps the Berlin wall time', () => {
    const target = clockTarget('+1d', new Date('2026-10-24T07:00:00Z'), BERLIN); // 09:00 CEST
    expect(landed(target)).toBe('2026-10-25T08:00:00.000Z'); // 09:00 CET, 25 hours later
  });

  it('moves by hours and minutes as elapsed time', () => {
    const now = new Date('2026-03-29T00:30:00Z'); // 01:30 CET, just before the jump
    expect(landed(clockTarget('+3h', now, BERLIN))).toBe('2026-03-29T03:30:00.000Z');
    expect(landed(clockTarget('-30m', now, BERLIN))).toBe('2026-03-29T00:00:00.000Z');
  });

  it('moves back by days', () => {
    expect(landed(clockTarget('-2d', new Date('2026-05-10T12:00:00Z'), 'UTC'))).toBe('2026-05-08T12:00:00.000Z');
  });

  it('reads a wall time in the given zone', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(landed(clockTarget('2026-03-29T08:00', now, BERLIN))).toBe('2026-03-29T06:00:00.000Z');
    expect(landed(clockTarget('2026-01-15T08:00', now, BERLIN))).toBe('2026-01-15T07:00:00.000Z');
    expect(landed(clockTarget('2026-03-29T08:00', now, 'America/New_York'))).toBe('2026-03-29T12:00:00.000Z');
  });

  it.each(['garbage', '', '1d', '+1w', '+d', '++1d', '2026', '2026-13-01T08:00', '2026-02-30T08:00', '2026-03-29junk', 'tomorrow'])(
    'finds %j unreadable',
    (arg) => {
      expect(clockTarget(arg, new Date('2026-01-01T00:00:00Z'), BERLIN)).toEqual({ ok: false, reason: 'unreadable' });
    },
  );

  it.each(['0000-01-01T00:00', '9999-12-31T23:59', '1969-12-31T23:59', '2200-01-01T00:00', '-99999d', '+1000000d', '+130000000m', '-3000000h', '-99999999999999999999999999d'])(
    'refuses %j as outside 1970 to 2199 (UTC)',
    (arg) => {
      expect(clockTarget(arg, new Date('2026-01-01T00:00:00Z'), 'UTC')).toEqual({ ok: false, reason: 'out-of-range' });
    },
  );

  it('goes as far as the range allows, with steps of any length', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(landed(clockTarget('1970-01-01T00:00', now, 'UTC'))).toBe('1970-01-01T00:00:00.000Z');
    expect(landed(clockTarget('2199-12-31T23:59', now, 'UTC'))).toBe('2199-12-31T23:59:00.000Z');
    expect(landed(clockTarget('+12345d', now, 'UTC'))).toBe('2059-10-20T00:00:00.000Z');
    expect(landed(clockTarget('-9999d', now, 'UTC'))).toBe('1998-08-17T00:00:00.000Z');
    // A wall time in range in one zone can be outside it in UTC.
    expect(landed(clockTarget('1970-01-01T00:30', now, BERLIN))).toBe('out-of-range');
  });

  it('every day step lands in the range or is refused, never on an invalid date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.constantFrom('d', 'h', 'm'),
        (now, amount, unit) => {
          const target = clockTarget(`${amount < 0n ? '-' : '+'}${amount < 0n ? -amount : amount}${unit}`, now, BERLIN);
          if (target.ok) {
            expect(target.at.getTime()).toBeGreaterThanOrEqual(Date.parse('1970-01-01T00:00:00Z'));
            expect(target.at.getTime()).toBeLessThan(Date.parse('2200-01-01T00:00:00Z'));
          } else expect(target.reason).toBe('out-of-range');
        },
      ),
    );
  });

  it('+Nh moves exactly N hours in any zone', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 9999 }),
        fc.constantFrom(...zones),
        (now, hours, zone) => {
          expect(landed(clockTarget(`+${hours}h`, now, zone))).toBe(new Date(now.getTime() + hours * HOUR).toISOString());
          expect(landed(clockTarget(`-${hours}h`, now, zone))).toBe(new Date(now.getTime() - hours * HOUR).toISOString());
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

/** A playground over in-memory streams, with the app replaced by `handle` and the tick by `onClockMoved`. */
function playground(handle: (inbound: Inbound) => Promise<Reply>, onClockMoved: () => Promise<void> = async () => {}) {
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const log = new RecordingLog();
  const clock = new SimulatedClock(() => new Date('2026-05-01T10:00:00Z'));
  const pg = new Playground({ handle, onClockMoved, clock, input: new PassThrough(), output, echo: true, user: 'you', zone: 'UTC', log });
  /** Types lines one at a time, as run() does, and returns what they printed. */
  const type = async (...lines: string[]) => {
    printed = '';
    for (const line of lines) expect(await pg.line(line)).toBe(true);
    return printed;
  };
  return { pg, log, clock, type };
}

const challengeForm: Reply = {
  text: 'Describe the challenge.',
  modal: {
    form: { kind: 'challenge' },
    title: 'New challenge',
    fields: [
      { name: 'title', label: 'Title', required: true, maxLength: 100 },
      { name: 'deadline', label: 'Deadline', required: true, maxLength: 32 },
      { name: 'points', label: 'Points', required: true, maxLength: 4 },
    ],
  },
};

describe('Playground', () => {
  it.each(['0000-01-01T00:00', '9999-12-31T23:59', '-99999d', '+1000000d'])('refuses /clock %s kindly and leaves the clock and the jobs alone', async (arg) => {
    let ticks = 0;
    const { type, clock, log } = playground(async () => ({ text: 'ok' }), async () => void ticks++);
    const out = await type(`/clock ${arg}`);
    expect(out).toContain('That is too far: the playground clock stays between 1970 and the end of 2199 (UTC). It is still Fri 1 May 2026, 10:00 UTC.');
    expect(clock.now().toISOString()).toBe('2026-05-01T10:00:00.000Z');
    expect(ticks).toBe(0);
    expect(log.entries).toEqual([]);
  });

  it('survives a failing tick: logs it, says so and keeps taking input', async () => {
    const { type, log } = playground(
      async () => ({ text: 'still here' }),
      async () => {
        throw new Error('date/time field value out of range');
      },
    );
    const out = await type('/clock +1d');
    expect(out).toContain('🕒 It is now Sat 2 May 2026, 10:00 UTC.');
    expect(out).toContain('⚠️ Something went wrong on my side');
    expect(log.errors).toHaveLength(1);
    expect(String((log.errors[0]!.obj as { err: Error }).err.message)).toBe('date/time field value out of range');
    expect(await type('/learn today')).toContain('still here');
  });

  it('survives a request that throws', async () => {
    let calls = 0;
    const { type, log } = playground(async () => {
      if (++calls === 1) throw new Error('connection lost');
      return { text: 'back again' };
    });
    expect(await type('/learn today')).toContain('⚠️ Something went wrong on my side');
    expect(log.errors).toHaveLength(1);
    expect(await type('/learn today')).toContain('back again');
  });

  it('asks again for the one field a form refusal names, keeping the others', async () => {
    const submitted: Record<string, string | undefined>[] = [];
    const { type } = playground(async ({ request }) => {
      if (request.type === 'command') return { text: 'Open challenges', actions: [[{ action: { kind: 'run', verb: 'help' }, label: 'Help' }]] };
      if (request.type === 'action') return challengeForm;
      if (request.type !== 'form') throw new Error(`unexpected ${request.type}`);
      submitted.push({ ...request.fields });
      if (!/^\d+$/.test(request.fields.points ?? '')) return { text: 'Points are a whole number from 1 to 1000.', ephemeral: true, invalidField: 'points' };
      if (request.fields.deadline === 'someday') return { text: 'Give the deadline as a date.', ephemeral: true, invalidField: 'deadline' };
      if (request.fields.title === 'Late') return { text: 'The deadline has passed.', ephemeral: true, invalidField: 'elsewhere' };
      return { text: 'Posted.' };
    });
    await type('/cohort challenges', '1');
    const refused = await type('Harden SSH', 'someday', 'thirty');
    expect(refused).toContain('> thirty\nPoints are a whole number from 1 to 1000.\nPoints:\n');
    // The next number typed is the points, not a press of the Help button from before the form.
    const again = await type('30');
    expect(again).toContain('Give the deadline as a date.\nDeadline:\n');
    expect(await type('2026-05-15 18:00')).toContain('Posted.');
    expect(submitted).toEqual([
      { title: 'Harden SSH', deadline: 'someday', points: 'thirty' },
      { title: 'Harden SSH', deadline: 'someday', points: '30' },
      { title: 'Harden SSH', deadline: '2026-05-15 18:00', points: '30' },
    ]);
    // A refusal naming no field of the form (the deadline passed meanwhile) closes it.
    await type('1', 'Late', '2026-05-15 18:00', '30');
    expect(await type('/cancel')).toContain("I didn't catch that");
  });
});

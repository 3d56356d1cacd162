// The playground clock through the real entry point: far moves are refused, far-back moves invent nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { runPlayground } from '../support/playground.js';

const STREAK_RISK = /🔥 Your \d+-day streak ends at midnight/;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('the playground clock', () => {
  it('refuses moves outside 1970 to 2199 with a reply and keeps going', async () => {
    const far = ['/clock 0000-01-01T00:00', '/clock 9999-12-31T23:59', '/clock -99999d', '/clock +1000000d'];
    const run = await runPlayground(['/clock 2026-03-10T12:00', ...far, '/clock', '/learn start UTC 09:00'], { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const line of far) {
      expect(run.stdout).toMatch(new RegExp(`> ${line.replace('+', '\\+')}\\nThat is too far: the playground clock stays between 1970 and the end of 2199 \\(UTC\\)\\. It is still Tue 10 Mar 2026, 12:\\d\\d UTC\\.\\n`));
    }
    expect(run.stdout).toMatch(/> \/clock\n🕒 It is now Tue 10 Mar 2026, 12:\d\d UTC\./);
    expect(run.stdout).toContain('Welcome to **Backend Foundations**');
  });

  it('sends no streak-at-risk nudge for a streak that does not exist yet at a date far back', async () => {
    const transcript = [
      '/clock 2026-03-10T12:00',
      '/as far',
      '/learn start UTC 09:00',
      '/learn practice listed ports with ss -tlnp',
      // 19:00 on a day 9999 days earlier: evening, when a real streak would be at risk.
      '/clock -9999d',
      '/clock +7h',
      '/learn streak',
      // The next evening in 2026, the 1-day streak is real and the nudge comes.
      '/clock 2026-03-11T19:00',
    ];
    const run = await runPlayground(transcript, { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    const back = out.slice(out.indexOf('> /clock -9999d'), out.indexOf('> /clock 2026-03-11T19:00'));
    expect(back).toContain('🕒 It is now Sat 24 Oct 1998, 19:');
    expect(back).toContain('Your streak starts today');
    expect(back).not.toMatch(STREAK_RISK);
    expect(out.slice(out.indexOf('> /clock 2026-03-11T19:00'))).toMatch(/📬 New message from Backend Mentor:\n🔥 Your 1-day streak ends at midnight your time\./);
  });
});

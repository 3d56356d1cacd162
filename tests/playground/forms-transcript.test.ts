// Forms in the playground, through the real entry point: a bad field is asked for again, the rest is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { runPlayground } from '../support/playground.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('forms in the playground', () => {
  it('asks again for the bad field of a challenge or submission form and keeps the others', async () => {
    const transcript = [
      '/clock 2026-05-05T10:00',
      '/as ann lead',
      '/cohort channel cohort',
      '/cohort challenge new',
      'Harden SSH on your VM',
      'Keys only, no root login, fail2ban watching the port.',
      '-',
      'someday',
      'thirty',
      '30',
      '2026-05-12 18:00',
      '/as bo',
      '/learn challenges',
      '1',
      'github.com/bo/ssh',
      'Moved sshd to keys only.',
      'https://github.com/bo/ssh',
    ];
    const run = await runPlayground(transcript, { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    for (const line of transcript) expect(out).toContain(`> ${line}`);
    // Each refusal asks for that one field again; the number typed next goes into the form, not onto a button.
    expect(out).toMatch(/> thirty\n[^\n]*[Pp]oints[^\n]*\nPoints:\n> 30\n/);
    expect(out).toMatch(/> 30\n[^\n]*"someday"[^\n]*\nDeadline \(cohort timezone\):\n> 2026-05-12 18:00\n/);
    expect(out).toContain('Posted in the cohort channel: **#1 Harden SSH on your VM** (30 points), due Tue 12 May 2026, 18:00 (UTC).');
    expect(out).toMatch(/> Moved sshd to keys only\.\n[^\n]*http[^\n]*\nLink to your work:\n> https:\/\/github\.com\/bo\/ssh\n📬 Submitted to \*\*Harden SSH on your VM\*\*\./);
    expect(out).not.toContain("I didn't catch that");
    expect(out).not.toContain('There are no buttons');
  });
});

// A cohort run in the playground, through the real entry point: a lead posts a template, a learner
// submits through the Submit form, the lead reviews, and deadlines enforce themselves as the clock moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { runPlayground } from '../support/playground.js';


let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('cohorts in the playground', () => {
  it('takes a challenge from posting to review, with reminders and the automatic close', async () => {
    const transcript = [
      '/clock 2026-05-05T10:00',
      '/as bo',
      '/learn start UTC 09:00',
      '/cohort challenge post harden-ssh-linux-vm',
      '/as ann lead',
      '/cohort channel cohort',
      '/cohort challenge post harden-ssh-linux-vm 2026-05-07 18:00',
      '/as cy',
      '/learn start UTC 09:00',
      '/as bo',
      '/learn challenges',
      '1',
      'https://github.com/bo/ssh-hardening',
      'Keys only, root login off, fail2ban on.',
      '/clock 2026-05-06T18:01',
      '/as ann lead',
      '/cohort review',
      '1',
      '/as bo',
      '/learn leaderboard',
      '/clock 2026-05-07T18:01',
    ];
    const run = await runPlayground(transcript, { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    for (const line of transcript) expect(out).toContain(`> ${line}`);
    expect(out).toContain('Only cohort leads can do that.');
    expect(out).toContain('You are now ann (cohort lead).');
    expect(out).toContain('Challenges and the weekly digest now go to #cohort.');
    expect(out).toContain('Posted in the cohort channel: **#1 Set up a Linux VM server and harden SSH** (25 points), due Thu 7 May 2026, 18:00 (UTC).');
    expect(out).toMatch(/📬 \(to #cohort\) New message from Backend Mentor:\n── 🏁 Challenge #1: Set up a Linux VM server and harden SSH ──/);
    expect(out).toContain('── Submit your work ── (type /cancel to stop)\nLink to your work:');
    expect(out).toContain('📬 Submitted to **Set up a Linux VM server and harden SSH**.');
    // 24 hours before the deadline: cy has not submitted and gets the reminder; bo has and does not.
    expect(out).toMatch(/📬 \(to cy\) New message from Backend Mentor:\n⏳ \*\*Set up a Linux VM server and harden SSH\*\* is due in about 24 hours/);
    expect(out).not.toMatch(/\(to bo\) New message from Backend Mentor:\n⏳/);
    expect(out).toContain('── Review queue: 1 waiting ──');
    expect(out).toContain("✅ Accepted bo's **Set up a Linux VM server and harden SSH** (+25 points). They have been told by DM.");
    expect(out).toMatch(/📬 \(to bo\) New message from Backend Mentor:\n🎉 Your submission to \*\*Set up a Linux VM server and harden SSH\*\* was accepted: \+25 points\./);
    expect(out).toContain('🥇 bo: 25 pts (25 challenges + 0 quiz)** ← you');
    // At the deadline it closes itself and the lead gets the summary.
    expect(out).toMatch(/📬 \(to ann\) New message from Backend Mentor:\n🏁 \*\*#1 Set up a Linux VM server and harden SSH\*\* is closed: 1 submitted, 1 accepted, 0 to review/);
    const order = ['> /cohort review', 'Review queue: 1 waiting', '> 1', 'Accepted bo', '> /learn leaderboard', '🥇 bo', '> /clock 2026-05-07T18:01', 'is closed'].map((s, i, all) =>
      out.indexOf(s, i === 0 ? 0 : out.indexOf(all[i - 1]!)),
    );
    expect(order.every((n) => n >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

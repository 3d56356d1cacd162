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

  it("never lets a lead award themselves points: a sole lead's own is a flagged self-review, a friend made lead must ask another", async () => {
    // Its own database: the playground is one community, and this story starts from an empty one.
    const own = await createTestDatabase();
    try {
      const transcript = [
        '/clock 2026-05-05T10:00',
        '/as ann lead',
        '/cohort channel cohort',
        '/cohort challenge post harden-ssh-linux-vm',
        '/learn challenges',
        '1',
        'https://github.com/ann/ssh',
        'Hardened my own box.',
        '/cohort review',
        '1',
        '/learn leaderboard',
        '/cohort stats',
        '/cohort export',
        // A friend made a lead submits, finds his own is not his to review, and the admin reviews it.
        '/cohort leads add bob',
        '/as bob',
        '/learn challenges',
        '1',
        'https://github.com/bob/ssh',
        '-',
        '/cohort review',
        '/as ann lead',
        '/cohort review',
        '1',
        '/cohort leads remove bob',
        '/as bob',
        '/learn leaderboard',
      ];
      const run = await runPlayground(transcript, { DATABASE_URL: own.url });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const out = run.stdout;
      expect(out).toContain('You are the only lead I know of here, so you may accept it yourself in `/cohort review`');
      expect(out).toMatch(/1\. \*\*ann\*\* on \*\*#1 Set up a Linux VM server and harden SSH\*\*[^\n]*🪞 your own: accepting it is a self-review \(flagged, no points\)/);
      expect(out).toContain('[1] Accept ann (self-review)');
      expect(out).toContain('✅ Accepted your own **Set up a Linux VM server and harden SSH** as a self-review: you are the only lead I know of here, so it counts as done but earns no points');
      expect(out).not.toContain("Accepted ann's");
      expect(out).not.toMatch(/\(to ann\) New message from Backend Mentor:\n🎉/);
      expect(out).toContain('🥇 ann: 0 pts (0 challenges + 0 quiz)** ← you');
      expect(out).toContain('Self-reviewed: 1 accepted by the lead who submitted it (no other lead to review), so no points:\n🪞 ann: #1 Set up a Linux VM server and harden SSH');
      expect(out).toMatch(/📎 cohort-submissions-2026-05-05\.csv\nchallenge,[^\n]*,points,self_reviewed\r\n1,Set up a Linux VM server and harden SSH,ann,ann,https:\/\/github\.com\/ann\/ssh,Hardened my own box\.,accepted,false,[^,]+,[^,]+,ann,,0,true\r\n/);

      const bobReview = out.slice(out.indexOf('> /as bob'));
      expect(bobReview).toContain('Another lead will review it: leads never review their own.');
      expect(bobReview).toContain('✨ Nothing waiting for review.\n\n🪞 Your own submission waits for another lead to review: nobody marks their own work.');
      expect(out).toContain("✅ Accepted bob's **Set up a Linux VM server and harden SSH** (+25 points). They have been told by DM.");
      // Removed afterwards, bob keeps the points: the review was ann's, and valid when she made it.
      expect(out).toContain('Removed person bob');
      expect(out).toContain('🥇 bob: 25 pts (25 challenges + 0 quiz)** ← you');
      expect(out).toContain('🥈 ann: 0 pts');
    } finally {
      await own.drop();
    }
  });
});

// Pipes a transcript through the real entry point (`npm start`'s command), as a newcomer would type it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { runPlayground } from '../support/playground.js';
import { realCatalog } from '../support/app.js';



/** The numbers a person types to answer every question of a lesson right. */
async function rightAnswers(position: number): Promise<string[]> {
  const lesson = (await realCatalog()).lessonAt(position)!;
  return lesson.quiz.map((q) => String(q.answer + 1));
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('the playground', () => {
  it('takes a newcomer from enrolment to a 2-day streak and lesson 2', async () => {
    const catalog = await realCatalog();
    const transcript = [
      '/clock 2026-03-10T12:00',
      '/learn start Europe/Berlin 09:00',
      '/learn quiz',
      ...(await rightAnswers(0)),
      '/learn practice listed ports with ss -tlnp',
      '/learn streak',
      '/clock +1d',
      // Lesson 2 arrives by itself (the scheduler runs on the simulated clock); 1 presses its Quiz button.
      '1',
      ...(await rightAnswers(1)),
      '/learn streak',
    ];
    const run = await runPlayground(transcript, { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    // Each input line is echoed before the replies it caused, so the output reads like a chat log.
    for (const line of transcript) expect(out).toContain(`> ${line}`);
    expect(out).toContain(`Lesson 1 of ${catalog.course.lessons.length}: ${catalog.lessonAt(0)!.title}`);
    expect(out).toContain(`You got all ${catalog.lessonAt(0)!.quiz.length} right.`);
    expect(out).toContain('🔥 Streak: 1 day');
    expect(out).toContain(`Lesson 2 of ${catalog.course.lessons.length}: ${catalog.lessonAt(1)!.title}`);
    expect(out).toContain('🔥 Streak: 2 days');
    expect(out).toContain("📬 New message from Backend Mentor:\n── Lesson 2 of");
    const order = ['> /learn start', 'Lesson 1 of', '> /clock +1d', '📬 New message', 'Lesson 2 of', '🔥 Streak: 2 days'].map((s) => out.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('answers anything unexpected with a hint and keeps going', async () => {
    const run = await runPlayground(['hello?', '/learn dance', '7', '/clock next tuesday', '/as', '/as bob lead', '/learn today'], { DATABASE_URL: database.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("I didn't catch that");
    expect(run.stdout).toContain('I don\'t know "/learn dance"');
    expect(run.stdout).toContain('There are no buttons to press right now.');
    expect(run.stdout).toContain('Try `/clock +1d`');
    expect(run.stdout).toContain('You are now bob (cohort lead).');
    expect(run.stdout).toContain("You haven't started the course yet.");
  });

  it('runs on the embedded PostgreSQL server when nothing is configured, and keeps data across restarts', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'bm-embedded-'));
    try {
      const first = await runPlayground(['/learn start UTC 09:00'], { DATA_DIR: dataDir });
      expect(first.stderr).toBe('');
      expect(first.stdout).toContain('Welcome');
      const second = await runPlayground(['/learn progress'], { DATA_DIR: dataDir });
      expect(second.stderr).toBe('');
      expect(second.stdout).toContain('1/');
      expect(second.code).toBe(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a bad configuration with a message that names the variable', async () => {
    const run = await runPlayground([], { DATABASE_URL: 'mysql://nope', DEFAULT_TIMEZONE: 'Mars/Base' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DATABASE_URL');
    expect(run.stderr).toContain('DEFAULT_TIMEZONE');
    expect(run.stdout).toBe('');
  });
});

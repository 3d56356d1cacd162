// `/learn forget` in the playground, piped through the real entry point: the Delete button (option 1) counts
// only as the very next thing typed, within 5 minutes of the playground's clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { runPlayground } from '../support/playground.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

/** The output between the echo of `line` (its nth occurrence) and the next echoed line. */
function after(out: string, line: string, nth = 1): string {
  let at = -1;
  for (let i = 0; i < nth; i++) at = out.indexOf(`> ${line}\n`, at + 1);
  if (at < 0) throw new Error(`"${line}" (#${nth}) not echoed in:\n${out}`);
  const start = at + line.length + 3;
  const next = out.indexOf('\n> ', start);
  return out.slice(start, next < 0 ? undefined : next);
}

describe('the playground', () => {
  it('deletes nothing when something else came between /learn forget and pressing Delete, or 5 minutes passed', async () => {
    const transcript = [
      '/clock 2026-03-10T12:00',
      '/learn start Europe/Berlin 09:00',
      '/learn forget',
      '/learn progress',
      '1', // the Delete button, still the last one shown
      '/learn forget',
      '/clock +6m',
      '1',
      '/learn forget',
      '1',
      '1', // the same button again, once everything is gone
      '/learn today',
    ];
    const run = await runPlayground(transcript, { DATABASE_URL: database.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(after(out, '1', 1)).toContain('Nothing was deleted');
    expect(after(out, '1', 2)).toContain('expired');
    expect(after(out, '1', 2)).toContain('/learn forget');
    expect(after(out, '1', 3)).toContain('everything I stored about you is deleted');
    expect(after(out, '1', 4)).toContain('Your data here was deleted');
    expect(after(out, '1', 4)).toContain('/learn start');
    expect(after(out, '/learn today')).toContain("haven't started");
  });
});

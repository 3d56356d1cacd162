// What every Slack end-to-end test must leave behind: no payload Slack would refuse, no handler that
// threw, no ping, and no token or secret in the logs.
import { expect } from 'vitest';
import type { RecordingLog } from '../support/app.js';
import type { FakeSlack } from '../fakes/slack-server.js';

export function expectCleanRun(fake: FakeSlack, log: RecordingLog, secrets: string[] = []): void {
  expect(fake.problems).toEqual([]);
  expect(log.errors).toEqual([]);
  const logged = JSON.stringify(log.entries);
  for (const secret of [fake.appToken, ...secrets, ...[...fake.workspaces.values()].map((w) => w.botToken)]) expect(logged).not.toContain(secret);
  fake.problems.length = 0;
}

// The real entry point (src/main.ts) with Slack configured: it connects over Socket Mode to a fake Slack on
// 127.0.0.1, answers a slash command through the whole stack, and shuts down cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackPerson } from '../fakes/slack-payloads.js';
import { FakeSlack } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const TEAM = 'T0MAIN';
let database: TestDatabase;
let fake: FakeSlack;

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
});
afterAll(async () => {
  await fake?.stop();
  await database?.drop();
});

function startMain(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('npm start with Slack configured', () => {
  it('connects, answers /learn start end to end, never logs a token, and stops cleanly', async () => {
    const workspace = fake.addWorkspace(TEAM, 'main', [{ id: 'U0MAIN', name: 'mia' }]);
    const mia = new SlackPerson(fake, workspace, workspace.users.get('U0MAIN')!);
    const main = startMain({ SLACK_BOT_TOKEN: workspace.botToken, SLACK_APP_TOKEN: fake.appToken, SLACK_API_URL: fake.apiUrl });
    try {
      await fake.until(() => fake.connected > 0, 'the bot to connect over Socket Mode', 30_000);
      const payload = mia.slashCommand('start Europe/Berlin 09:00');
      await fake.push('slash_commands', payload);
      const reply = await fake.until(() => fake.responsesTo(payload.response_url)[0], 'the reply to /learn start', 15_000);
      expect(JSON.stringify(reply)).toContain('Lesson 1 of');
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(main.output()).toContain('scheduler and job workers are running');
      for (const token of [workspace.botToken, fake.appToken]) expect(main.output()).not.toContain(token);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 60_000);

  it('as ROLE=worker it sends through Slack but opens no gateway', async () => {
    const workspace = fake.addWorkspace('T0WORK', 'work', []);
    const before = fake.connected;
    const main = startMain({ SLACK_BOT_TOKEN: workspace.botToken, SLACK_APP_TOKEN: fake.appToken, SLACK_API_URL: fake.apiUrl, ROLE: 'worker' });
    try {
      await expect.poll(() => main.output(), { timeout: 30_000 }).toContain('scheduler and job workers are running');
      expect(fake.connected).toBe(before);
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 60_000);
});

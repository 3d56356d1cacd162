// The real entry point (src/main.ts) in Slack's HTTP mode: a signed request whose body is null, or an
// array, gets a 400 and the process goes on answering; it used to exit with code 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackPerson, slackSignature } from '../fakes/slack-payloads.js';
import { FakeSlack } from '../fakes/slack-server.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const SECRET = 'signing-secret-for-main-http';
let database: TestDatabase;
let fake: FakeSlack;

beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), FakeSlack.start()]);
});
afterAll(async () => {
  await fake?.stop();
  await database?.drop();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startMain(env: Record<string, string>): { child: ChildProcess; output: () => string; exitCode: () => number | null; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let code: number | null = null;
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve((code = c ?? -1))));
  return { child, output: () => output, exitCode: () => code, exited };
}

describe('npm start with Slack over HTTP', () => {
  it('answers signed null and array bodies with 400 and keeps serving', async () => {
    const workspace = fake.addWorkspace('T0MHTTP', 'mhttp', [{ id: 'U0MIA', name: 'mia' }]);
    const mia = new SlackPerson(fake, workspace, workspace.users.get('U0MIA')!);
    const port = await freePort();
    const main = startMain({ SLACK_BOT_TOKEN: workspace.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: String(port) });
    const post = (body: string, contentType: string) => {
      const timestamp = Math.floor(Date.now() / 1000);
      return fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SECRET, timestamp, body) },
        body,
        signal: AbortSignal.timeout(5000),
      });
    };
    try {
      await expect.poll(() => main.output(), { timeout: 30_000 }).toContain('slack connected');
      for (const [body, type] of [
        ['payload=null', 'application/x-www-form-urlencoded'],
        ['null', 'application/json'],
        ['[]', 'application/json'],
      ] as const) {
        expect((await post(body, type)).status).toBe(400);
      }
      const payload = mia.slashCommand('start Europe/Berlin 09:00');
      expect((await post(new URLSearchParams(payload as unknown as Record<string, string>).toString(), 'application/x-www-form-urlencoded')).status).toBe(200);
      const reply = await fake.until(() => fake.responsesTo(payload.response_url)[0], 'the reply to /learn start', 15_000);
      expect(JSON.stringify(reply)).toContain('Lesson 1 of');
      expect(main.exitCode()).toBeNull();

      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      for (const secret of [workspace.botToken, SECRET]) expect(main.output()).not.toContain(secret);
    } finally {
      main.child.kill('SIGKILL');
    }
  }, 60_000);
});

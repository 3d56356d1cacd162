// A child process for tests/e2e/process-guard.test.ts: a bare Bolt App in HTTP mode (without our request
// guard in front) is sent the signed `payload=null` that makes Bolt 5.1 reject a promise nobody awaits.
// `guarded`: keepServingThroughErrors is installed; the child also throws and rejects errors carrying
// secrets, then prints "still serving" once a request after all that is answered. Unguarded, it dies.
// Log entries go to stdout as JSON lines.
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import type { Log } from '../../src/app/ports.js';
import { keepServingThroughErrors } from '../../src/process-guard.js';

const SECRET = 'child-signing-secret';
const guarded = process.argv[2] === 'guarded';
const logged: string[] = [];
const write = (level: string) => (obj: object, msg?: string) => {
  const line = JSON.stringify({ level, ...obj, msg });
  logged.push(line);
  process.stdout.write(`${line}\n`);
};
const log: Log = { info: write('info'), warn: write('warn'), error: write('error') };

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

if (guarded) keepServingThroughErrors(log);
const app = new App({ signingSecret: SECRET, authorize: async () => ({ botToken: 'xoxb-child' }), logLevel: LogLevel.ERROR });
const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

function post(body: string, contentType: string): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature }, body });
}

// Bolt never answers this request: the promise handling it rejects first.
post('payload=null', 'application/x-www-form-urlencoded').catch(() => {});
await until(() => logged.some((line) => line.includes('ssl_check')), "Bolt's rejection to be logged");

setTimeout(() => {
  throw new Error('thrown with xoxb-1234-5678-abcdefghijkl in it');
});
void Promise.reject(new Error('rejected by postgres://mentor:hunter2@db:5432/mentor'));
await until(() => logged.filter((line) => line.includes('keeps serving')).length === 3, 'the thrown and the rejected error to be logged');

const answered = await post(JSON.stringify({ type: 'url_verification', challenge: 'still-here' }), 'application/json');
if (answered.status === 200 && (await answered.text()).includes('still-here')) process.stdout.write('still serving\n');
// Not app.stop(): the server would wait for the request Bolt never answered.
process.exit(0);

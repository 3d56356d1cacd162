// The request guard alone, in front of a stand-in for Bolt's listener on a real HTTP server: an oversized
// body is refused before it is read whole, and an event whose handling failed with a 5xx is not
// remembered, so Slack's retry of it is done after all.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RecentRequests } from '../../src/platforms/slack/recent-requests.js';
import { guardSlackRequests } from '../../src/platforms/slack/request-guard.js';
import { slackSignature } from '../fakes/slack-payloads.js';
import { RecordingLog } from '../support/app.js';

const SECRET = 'guard-signing-secret';
let server: Server | undefined;

async function serve(next: RequestListener, bodyLimit?: number): Promise<string> {
  const listener = guardSlackRequests(next, { signingSecret: SECRET, clock: { now: () => new Date() }, log: new RecordingLog(), seen: new RecentRequests(), bodyLimit });
  server = createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

function post(url: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SECRET, timestamp, body) },
    body,
  });
}

const event = JSON.stringify({ type: 'event_callback', event_id: 'Ev0FAIL', team_id: 'T0G', event: { type: 'app_mention', user: 'U0G', channel: 'C0G' } });

describe('the Slack request guard', () => {
  it('answers 413 to a body over the limit and never passes it on', async () => {
    let passed = 0;
    const url = await serve((_req, res) => {
      passed += 1;
      res.end();
    }, 64);
    expect((await post(url, JSON.stringify({ type: 'url_verification', challenge: 'x'.repeat(100) }))).status).toBe(413);
    expect((await post(url, JSON.stringify({ type: 'url_verification', challenge: 'x' }))).status).toBe(200);
    expect(passed).toBe(1);
  });

  it("does Slack's retry of an event whose first delivery failed with a 5xx, and drops the retry of one that succeeded", async () => {
    const statuses = [500, 200];
    let passed = 0;
    const url = await serve((_req, res) => {
      passed += 1;
      res.writeHead(statuses.shift() ?? 200).end();
    });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(url, event, now)).status).toBe(500);
    expect((await post(url, event, now + 1)).status).toBe(200);
    expect((await post(url, event, now + 2)).status).toBe(200);
    expect(passed).toBe(2);
  });
});

// HTTP mode: every POST to the events URL passes here before Bolt's HTTPReceiver sees it. The body is read
// once (within Bolt's size limit), the signature and timestamp are checked against our clock (Bolt checks
// staleness only, so a timestamp from the future passed), the parsed body's shape is screened
// (request-shape.ts), and a replayed request or a Slack retry of an event already taken in answers 200
// without running again. Bolt then reads the same buffered body and verifies it once more.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { defaultBodyLimit, HTTPModuleFunctions, HTTPReceiver, verifySlackRequest, type BufferedIncomingMessage, type HTTPReceiverOptions } from '@slack/bolt';
import type { Clock, Log } from '../../app/ports.js';
import type { SeenRequests } from './recent-requests.js';
import { screenBody } from './request-shape.js';

/** Slack's rule: a request more than 5 minutes from now, either way, is refused. */
export const SLACK_WINDOW_SECONDS = 5 * 60;
/** Slack retries an event 3 times: at once, after 1 minute and after 5; its id is kept past all of them. */
const EVENT_MEMORY_MS = 15 * 60_000;
const FORM = 'application/x-www-form-urlencoded';
/** Tells Slack not to retry what was answered (https://docs.slack.dev/apis/events-api/#retries). */
const NO_RETRY = { 'x-slack-no-retry': '1' };

export interface RequestGuardOptions {
  signingSecret: string;
  /** The clock the 5-minute window is measured by; injectable for tests. */
  clock: Clock;
  log: Log;
  seen: SeenRequests;
  endpoints?: string[];
  bodyLimit?: number;
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function answer(res: ServerResponse, status: number, text?: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, text ? { 'content-type': 'text/plain; charset=utf-8', ...headers } : headers);
  res.end(text);
}

function pathOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}

/** The whole body, or null once it went over `limit` (answered 413) or the sender went away. */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number, log: Log): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => {
      log.warn({ platform: 'slack', limit }, `a Slack request body was over ${limit} bytes; answered 413`);
      answer(res, 413, 'This request is too large.', { connection: 'close' });
      resolve(null);
    };
    if (Number(req.headers['content-length']) > limit) return tooLarge();
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) tooLarge();
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(null));
  });
}

export function guardSlackRequests(next: RequestListener, options: RequestGuardOptions): RequestListener {
  const { signingSecret, clock, log, seen } = options;
  const endpoints = options.endpoints ?? ['/slack/events'];
  const limit = options.bodyLimit ?? defaultBodyLimit;

  /** Why the request is not Slack's, or null. Names no secret: the reason is logged. */
  function unverified(req: IncomingMessage, body: string, nowMs: number): string | null {
    const signature = single(req.headers['x-slack-signature']);
    const timestamp = single(req.headers['x-slack-request-timestamp']);
    if (!signature || !timestamp) return 'the x-slack-signature and x-slack-request-timestamp headers are missing';
    if (!/^\d{1,12}$/.test(timestamp)) return 'x-slack-request-timestamp is not a number of seconds';
    const skew = Number(timestamp) - Math.floor(nowMs / 1000);
    if (Math.abs(skew) > SLACK_WINDOW_SECONDS) {
      const minutes = Math.round(Math.abs(skew) / 60);
      return `x-slack-request-timestamp is ${minutes} minutes in the ${skew > 0 ? 'future' : 'past'}, more than 5 (if every request says so, check this server's clock)`;
    }
    try {
      verifySlackRequest({ signingSecret, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) }, nowMilliseconds: nowMs });
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : 'the signature does not match';
    }
  }

  /** Answers what Bolt must not see; true when Bolt should take the request. */
  async function screen(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const raw = await readBody(req, res, limit, log);
    if (raw === null) return false;
    // Bolt reads a request's body from here when it is already buffered.
    (req as BufferedIncomingMessage).rawBody = raw;
    const text = raw.toString();
    // Slack's ssl_check is unsigned; Bolt answers it, with anything else in the body dropped.
    if (req.headers['content-type'] === FORM && parseQuery(text).ssl_check === '1') return true;

    const nowMs = clock.now().getTime();
    const reason = unverified(req, text, nowMs);
    if (reason) {
      log.warn({ platform: 'slack', reason }, 'could not verify a Slack request; answered 401');
      answer(res, 401);
      return false;
    }

    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(req as BufferedIncomingMessage);
    } catch {
      body = undefined;
    }
    const screened = body === undefined ? ({ verdict: 'refuse', problem: 'the body is not JSON' } as const) : screenBody(body);
    if (screened.verdict === 'refuse') {
      log.warn({ platform: 'slack', problem: screened.problem }, 'refused a signed Slack request that cannot be read; answered 400');
      answer(res, 400, `Backend Mentor cannot read this request: ${screened.problem}.`);
      return false;
    }
    if (screened.verdict === 'ignore') {
      log.info({ platform: 'slack', kind: screened.kind }, 'a Slack request no listener here handles; answered 200');
      answer(res, 200);
      return false;
    }

    const signature = single(req.headers['x-slack-signature'])!;
    const expiresAtMs = (Number(req.headers['x-slack-request-timestamp']) + SLACK_WINDOW_SECONDS) * 1000;
    if (!(await seen.firstTime(`signature:${signature}`, expiresAtMs, nowMs))) {
      log.warn({ platform: 'slack' }, 'dropped a replayed Slack request (a signature already seen); answered 200');
      answer(res, 200, undefined, NO_RETRY);
      return false;
    }
    if (screened.eventId) {
      const key = `event:${screened.eventId}`;
      if (!(await seen.firstTime(key, nowMs + EVENT_MEMORY_MS, nowMs))) {
        const retry = { retryNum: single(req.headers['x-slack-retry-num']), retryReason: single(req.headers['x-slack-retry-reason']) };
        log.info({ platform: 'slack', eventId: screened.eventId, ...retry }, 'dropped a repeat of a Slack event already taken in; answered 200');
        answer(res, 200, undefined, NO_RETRY);
        return false;
      }
      // Failed here before it was acknowledged: Slack's retry should do the work after all.
      res.once('finish', () => {
        if (res.statusCode >= 500) void seen.forget(key);
      });
    }
    return true;
  }

  return (req, res) => {
    const path = pathOf(req.url);
    if (req.method !== 'POST' || path === null || !endpoints.includes(path)) return next(req, res);
    void screen(req, res)
      .then((pass) => pass && next(req, res))
      .catch((error: unknown) => {
        log.error({ platform: 'slack', message: error instanceof Error ? error.message : String(error) }, 'could not screen a Slack request; answered 500');
        answer(res, 500);
      });
  };
}

/** Bolt's HTTPReceiver (signatures, the OAuth pages) with the guard in front of its events endpoint. */
export function guardedReceiver(options: HTTPReceiverOptions, guard: Omit<RequestGuardOptions, 'signingSecret' | 'bodyLimit'>): HTTPReceiver {
  const receiver = new HTTPReceiver(options);
  receiver.requestListener = guardSlackRequests(receiver.requestListener, { ...guard, signingSecret: options.signingSecret });
  return receiver;
}

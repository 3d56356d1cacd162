// Discord's side of the programmable failures: which routes an outage or a rate-limit window covers, and
// the answers Discord (behind Cloudflare) gives then.
import { DropRule, Sockets, Window, type DropOptions, type Instant, type OutageMode, type RawAnswer } from './faults.js';

/**
 * 'messages': creating and reading channel messages and opening DMs (the default); 'all': every REST route
 * except the gateway handshake GET /gateway/bot (so a client can still log in); a RegExp: the paths below
 * /api/v10 it matches (include /gateway/bot that way if needed).
 */
export type RouteScope = 'messages' | 'all' | RegExp;

export interface OutageOptions {
  from?: Instant;
  until: Instant;
  mode: OutageMode;
  paths?: RouteScope;
  /** Only this HTTP method (default: any). */
  method?: string;
}

export interface RateLimitOptions {
  from?: Instant;
  until: Instant;
  /** Seconds in Retry-After and retry_after (default: what is left of the window). */
  retryAfter?: number;
  global?: boolean;
  paths?: RouteScope;
  method?: string;
}

export interface DropResponseOptions extends DropOptions {
  /** Default POST. */
  method?: string;
  /** Default: POST /channels/:id/messages. */
  path?: RegExp;
}

const MESSAGE_ROUTES = [/^\/channels\/\d+\/messages(\/|$)/, /^\/users\/@me\/channels$/];

function covers(scope: RouteScope, method: string | undefined, req: { method: string; path: string }): boolean {
  if (method && method !== req.method) return false;
  if (scope instanceof RegExp) return scope.test(req.path);
  if (scope === 'all') return !(req.method === 'GET' && req.path === '/gateway/bot');
  return MESSAGE_ROUTES.some((r) => r.test(req.path));
}

// What Discord's edge sends when the API behind it is down: plain text, not Discord's JSON.
const EDGE_503 = 'upstream connect error or disconnect/reset before headers. reset reason: overflow';

export function rateLimitAnswer(retryAfter: number, global: boolean): RawAnswer {
  const body = { message: 'You are being rate limited.', retry_after: retryAfter, global };
  return {
    status: 429,
    headers: {
      'content-type': 'application/json',
      'retry-after': String(Math.ceil(retryAfter)),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': String(retryAfter),
      'x-ratelimit-bucket': 'fake-bucket',
      'x-ratelimit-scope': global ? 'global' : 'user',
      ...(global ? { 'x-ratelimit-global': 'true' } : {}),
    },
    body: JSON.stringify(body),
  };
}

export class DiscordFaults {
  readonly sockets = new Sockets();
  private outages: Window<OutageOptions>[] = [];
  private rateLimits: Window<RateLimitOptions>[] = [];
  private drops: DropRule[] = [];

  outage(options: OutageOptions): void {
    this.outages.push(new Window(options.from, options.until, options));
  }

  endOutage(): void {
    this.outages = [];
  }

  rateLimit(options: RateLimitOptions): void {
    this.rateLimits.push(new Window(options.from, options.until, options));
  }

  endRateLimit(): void {
    this.rateLimits = [];
  }

  dropResponses(options: DropResponseOptions = {}): void {
    const method = options.method ?? 'POST';
    const path = options.path ?? /^\/channels\/\d+\/messages$/;
    this.drops.push(new DropRule((m, p) => m === method && path.test(p), options));
  }

  /** What answers a request before the fake looks at it: 'hold' (say nothing), an answer, or null. */
  before(req: { method: string; path: string }, now: number): RawAnswer | 'hold' | null {
    const down = this.outages.find((w) => w.covers(now) && covers(w.what.paths ?? 'messages', w.what.method, req));
    if (down?.what.mode === 'timeout') return 'hold';
    if (down?.what.mode === '503') return { status: 503, headers: { 'content-type': 'text/plain' }, body: EDGE_503 };
    if (down) return { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: '500: Internal Server Error', code: 0 }) };
    const limited = this.rateLimits.find((w) => w.covers(now) && covers(w.what.paths ?? 'messages', w.what.method, req));
    if (!limited) return null;
    const left = Math.max(0.001, Math.round(limited.until - now) / 1000);
    return rateLimitAnswer(limited.what.retryAfter ?? left, limited.what.global ?? false);
  }

  /** After the fake accepted a request (2xx): true when its response is to be dropped. */
  dropAfter(req: { method: string; path: string }): boolean {
    // Every matching rule counts the call, so two rules keep their own rhythm.
    return this.drops.filter((d) => d.matches(req.method, req.path)).map((d) => d.take()).some(Boolean);
  }
}

// Slack's side of the programmable failures: outages and rate-limit windows over Web API methods, and
// responses dropped after Slack did the work.
import { DropRule, Sockets, Window, secondsUntil, type DropOptions, type Instant, type OutageMode, type RawAnswer } from './faults.js';

export interface SlackOutageOptions {
  from?: Instant;
  until: Instant;
  mode: OutageMode;
  /** Web API methods it covers (default: all of them). */
  methods?: string[];
}

export interface SlackRateLimitOptions {
  from?: Instant;
  until: Instant;
  /** Seconds in Retry-After (default: what is left of the window). */
  retryAfter?: number;
  methods?: string[];
}

export interface SlackDropOptions extends DropOptions {
  /** Default chat.postMessage. */
  method?: string | string[];
}

const inScope = (methods: string[] | undefined, method: string) => !methods || methods.includes(method);

export const ratelimited = (retryAfter: number): RawAnswer => ({
  status: 429,
  headers: { 'Retry-After': String(retryAfter), 'Content-Type': 'application/json' },
  body: JSON.stringify({ ok: false, error: 'ratelimited' }),
});

export class SlackFaults {
  readonly sockets = new Sockets();
  private outages: Window<SlackOutageOptions>[] = [];
  private rateLimits: Window<SlackRateLimitOptions>[] = [];
  private drops: DropRule[] = [];

  outage(options: SlackOutageOptions): void {
    this.outages.push(new Window(options.from, options.until, options));
  }

  endOutage(): void {
    this.outages = [];
  }

  rateLimit(options: SlackRateLimitOptions): void {
    this.rateLimits.push(new Window(options.from, options.until, options));
  }

  endRateLimit(): void {
    this.rateLimits = [];
  }

  dropResponses(options: SlackDropOptions = {}): void {
    const methods = [options.method ?? 'chat.postMessage'].flat();
    this.drops.push(new DropRule((method) => methods.includes(method), options));
  }

  before(method: string, now: number): RawAnswer | 'hold' | null {
    const down = this.outages.find((w) => w.covers(now) && inScope(w.what.methods, method));
    if (down?.what.mode === 'timeout') return 'hold';
    if (down) return { status: Number(down.what.mode), headers: { 'Content-Type': 'text/plain' }, body: down.what.mode === '503' ? 'Service Unavailable' : 'Internal Server Error' };
    const limited = this.rateLimits.find((w) => w.covers(now) && inScope(w.what.methods, method));
    return limited ? ratelimited(limited.what.retryAfter ?? secondsUntil(limited.until, now)) : null;
  }

  dropAfter(method: string): boolean {
    return this.drops.filter((d) => d.matches(method, '')).map((d) => d.take()).some(Boolean);
  }
}

// Failures both fakes can produce on a clock the test controls: outages and rate-limit windows, and
// responses dropped after the work was done. The platform-specific parts (bodies, headers, routes) stay in
// each fake; this module decides when a call is hit and does the socket work.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Clock = () => number;
/** A moment on the fake's clock: epoch milliseconds or a Date (a TestClock's `now()`). */
export type Instant = number | Date;
/**
 * '503': the edge answers 503 with a text body; '500': the platform's own error answer; 'timeout': the
 * request is read and then never answered, until the client gives up.
 */
export type OutageMode = '503' | '500' | 'timeout';

/** An answer written as is (status, headers, body), bypassing the fake's usual JSON. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const millis = (t: Instant): number => (typeof t === 'number' ? t : t.getTime());

/** A period [from, until) on the fake's clock; `from` defaults to "already started". */
export class Window<T> {
  readonly from: number;
  readonly until: number;
  constructor(
    from: Instant | undefined,
    until: Instant,
    readonly what: T,
  ) {
    this.from = from === undefined ? -Infinity : millis(from);
    this.until = millis(until);
  }

  covers(now: number): boolean {
    return this.from <= now && now < this.until;
  }
}

export interface DropOptions {
  /** Drop at most this many responses (default: 1, or unlimited when `every` or `ratio` is given). */
  times?: number;
  /** Drop the n-th, 2n-th, ... accepted matching call. */
  every?: number;
  /** Drop each accepted matching call with this probability. */
  ratio?: number;
  /** For `ratio`: the source of randomness (default Math.random), so a test can be deterministic. */
  random?: () => number;
}

/** Which accepted calls lose their response. Only calls the platform accepted (did the work for) count. */
export class DropRule {
  private seen = 0;
  private left: number;
  constructor(
    readonly matches: (method: string, path: string) => boolean,
    private readonly options: DropOptions,
  ) {
    this.left = options.times ?? (options.every !== undefined || options.ratio !== undefined ? Infinity : 1);
  }

  /** Counts one accepted matching call; true when its response is to be dropped. */
  take(): boolean {
    if (this.left <= 0) return false;
    this.seen += 1;
    const { every, ratio, random = Math.random } = this.options;
    const hit = every !== undefined ? this.seen % every === 0 : ratio !== undefined ? random() < ratio : true;
    if (hit) this.left -= 1;
    return hit;
  }
}

/** Requests answered with silence, and responses cut off: both must leave no socket behind on close(). */
export class Sockets {
  private readonly held = new Set<Socket>();

  /** Never answers; the socket goes when the client gives up (its timeout aborts) or on destroyAll(). */
  hold(req: IncomingMessage): void {
    const socket = req.socket;
    this.held.add(socket);
    socket.once('close', () => this.held.delete(socket));
  }

  /** Closes the connection with a TCP reset and no HTTP response: the client sees ECONNRESET. */
  drop(res: ServerResponse): void {
    const socket = res.socket;
    if (!socket) return;
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  }

  get heldCount(): number {
    return this.held.size;
  }

  destroyAll(): void {
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }
}

/** Seconds until `until`, rounded up, at least 1: what a Retry-After says during a window. */
export const secondsUntil = (until: number, now: number): number => Math.max(1, Math.ceil((until - now) / 1000));

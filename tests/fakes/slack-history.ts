// conversations.history as Slack serves it: newest first, between `oldest` and `latest` (exclusive unless
// `inclusive`), `limit` per page with a cursor, and a per-workspace rate on the fake's clock. Apps
// distributed outside the Marketplace get 1 call a minute and 15 messages a page since 29 May 2025.
import type { FakeMessage } from './slack-server.js';

/** Slack's ts as microseconds, so ordering and ranges are exact ("1700000000.000123" or "1700000000"). */
export function micros(ts: string): bigint | null {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  return m ? BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0')) : null;
}

export function tsOf(us: bigint): string {
  return `${us / 1_000_000n}.${String(us % 1_000_000n).padStart(6, '0')}`;
}

const cursorFor = (us: bigint) => Buffer.from(`next_ts:${us}`).toString('base64');
const fromCursor = (cursor: string) => {
  const m = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m ? BigInt(m[1]!) : null;
};

export interface HistoryPage {
  messages: FakeMessage[];
  hasMore: boolean;
  nextCursor?: string;
}

/** The page `args` asks for from `stored` (oldest first, as posted); an error string is Slack's error code. */
export function historyPage(stored: FakeMessage[], args: Record<string, unknown>, limitMax: number): HistoryPage | string {
  const flag = args.inclusive === true || args.inclusive === 'true' || args.inclusive === '1' || args.inclusive === 1;
  const oldest = args.oldest === undefined ? 0n : micros(String(args.oldest));
  const latest = args.latest === undefined ? null : micros(String(args.latest));
  if (oldest === null) return 'invalid_ts_oldest';
  if (args.latest !== undefined && latest === null) return 'invalid_ts_latest';
  const requested = args.limit === undefined ? 100 : Number(args.limit);
  if (!Number.isInteger(requested) || requested < 0) return 'invalid_limit';
  // 0 means the default; above the cap Slack quietly returns the cap.
  const limit = Math.min(requested || 100, 999, limitMax);
  let below: bigint | null = latest;
  let belowInclusive = flag;
  if (args.cursor !== undefined && args.cursor !== '') {
    const at = fromCursor(String(args.cursor));
    if (at === null) return 'invalid_cursor';
    below = at;
    belowInclusive = false;
  }
  const inRange = stored
    .filter((m) => {
      const us = micros(m.ts)!;
      const aboveOk = flag ? us >= oldest : us > oldest;
      const belowOk = below === null || (belowInclusive ? us <= below : us < below);
      return aboveOk && belowOk;
    })
    .reverse();
  const messages = inRange.slice(0, limit);
  const hasMore = inRange.length > limit;
  return { messages, hasMore, ...(hasMore ? { nextCursor: cursorFor(micros(messages.at(-1)!.ts)!) } : {}) };
}

/** Calls per workspace in a sliding minute; over the rate, how long until the next one is allowed. */
export class PerMinute {
  private readonly calls = new Map<string, number[]>();

  /** Seconds to wait (nothing counted), or null (counted). */
  take(key: string, now: number, perMinute: number): number | null {
    const recent = (this.calls.get(key) ?? []).filter((at) => now - at < 60_000 && at <= now);
    if (recent.length >= perMinute) {
      this.calls.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
    }
    this.calls.set(key, [...recent, now]);
    return null;
  }
}

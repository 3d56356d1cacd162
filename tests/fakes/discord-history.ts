// GET /channels/:id/messages as Discord documents it: newest first, `limit` 1-100 (default 50), and at most
// one of `before`, `after`, `around` (RESTGetAPIChannelMessagesQuery). Ephemeral messages are not history.
import { MessageFlags, type APIMessage, type RESTGetAPIChannelMessagesQuery } from 'discord-api-types/v10';

const SNOWFLAKE = /^\d{1,20}$/;
const byIdDescending = (a: APIMessage, b: APIMessage) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0);

/** What the channel's history shows, newest first. */
export function visibleHistory(messages: Iterable<APIMessage>, channelId: string): APIMessage[] {
  return [...messages].filter((m) => m.channel_id === channelId && !((m.flags ?? 0) & MessageFlags.Ephemeral)).sort(byIdDescending);
}

/** The page a query selects, or the reason Discord answers 400 (50035 Invalid Form Body). */
export function historyPage(history: APIMessage[], query: URLSearchParams): { page: APIMessage[] } | { problem: string } {
  const known: (keyof RESTGetAPIChannelMessagesQuery)[] = ['around', 'before', 'after', 'limit'];
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { problem: `limit must be 1-100, got ${rawLimit}` };
  const anchors = known.filter((k) => k !== 'limit' && query.has(k));
  if (anchors.length > 1) return { problem: `before, after and around are mutually exclusive, got ${anchors.join(', ')}` };
  const anchor = anchors[0];
  const value = anchor ? query.get(anchor)! : '';
  if (anchor && !SNOWFLAKE.test(value)) return { problem: `${anchor} is not a snowflake: ${value}` };
  const at = anchor ? BigInt(value) : 0n;
  const id = (m: APIMessage) => BigInt(m.id);
  switch (anchor) {
    case 'before':
      return { page: history.filter((m) => id(m) < at).slice(0, limit) };
    case 'after':
      // The `limit` messages right after the anchor (not the newest ones), still newest first.
      return { page: history.filter((m) => id(m) > at).slice(-limit) };
    case 'around': {
      // The anchor (if it exists) and the newer ones take ceil(limit/2); older ones the rest.
      const older = history.filter((m) => id(m) < at).slice(0, Math.floor(limit / 2));
      const newer = history.filter((m) => id(m) >= at).slice(-(limit - older.length));
      return { page: [...newer, ...older] };
    }
    default:
      return { page: history.slice(0, limit) };
  }
}

// A platform in one object, for tests of the app and jobs: it keeps what reached it, and fails the way
// real platforms do. A send can be refused before anything is posted (NotPosted: a 429 or 503), time out
// with nothing posted, or be posted and its answer lost on the way back (the caller cannot tell those two
// apart). Like the real messengers, a retry that says it is unsure gets back the message already posted.
import { NotPosted, RecipientUnreachable, type Messenger, type UnsureRetry } from '../../src/app/ports.js';
import type { Reply } from '../../src/core/reply.js';

export interface Sent {
  to: string;
  key: string;
  reply: Reply;
  channel?: string;
  ref: string;
}

type Failure = 'refused' | 'timeout' | 'lost-answer';

export class RecordingMessenger implements Messenger {
  /** Every message that reached the platform, once each. */
  sent: Sent[] = [];
  /** Send attempts per recipient (user, or #channel). */
  attempts = new Map<string, number>();
  /** The next N sends to a user are refused (nothing posted). */
  failFirst = new Map<string, number>();
  closedDms = new Set<string>();
  /** While `down()` says so, every send fails this way. */
  outage: { down: () => boolean; mode: 'refused' | 'timeout' } | null = null;
  /** Posts, then loses the answer, for the sends this picks. */
  loseAnswer: ((to: string, key: string) => boolean) | null = null;
  /** Sends that came with `unsure` (a retry that looked before posting). */
  lookups = 0;

  async sendDirect(to: { userExternalId: string }, reply: Reply, key: string, unsure?: UnsureRetry) {
    const user = to.userExternalId;
    return this.deliver(user, key, reply, unsure, () => {
      if (this.closedDms.has(user)) throw new RecipientUnreachable('DMs closed (test)');
      const left = this.failFirst.get(user) ?? 0;
      if (left > 0) {
        this.failFirst.set(user, left - 1);
        return 'refused';
      }
      return null;
    });
  }

  async sendToChannel(_community: string, channel: string, reply: Reply, key: string, unsure?: UnsureRetry) {
    return this.deliver(`#${channel}`, key, reply, unsure, () => null, channel);
  }

  to(user: string): Sent[] {
    return this.sent.filter((s) => s.to === user);
  }

  /** How many messages reached `to` under each key: a double shows as a count above 1. */
  doubles(): Sent[] {
    const seen = new Set<string>();
    return this.sent.filter((s) => (seen.has(`${s.to}\n${s.key}`) ? true : (seen.add(`${s.to}\n${s.key}`), false)));
  }

  private deliver(to: string, key: string, reply: Reply, unsure: UnsureRetry | undefined, before: () => Failure | null, channel?: string) {
    this.attempts.set(to, (this.attempts.get(to) ?? 0) + 1);
    const failure = this.outage?.down() ? this.outage.mode : before();
    if (failure === 'refused') throw new NotPosted('platform unavailable (test)');
    if (failure === 'timeout') throw new Error('request timed out (test)');
    if (unsure) {
      this.lookups += 1;
      const earlier = this.sent.find((s) => s.to === to && s.key === key);
      if (earlier) return { ref: earlier.ref, channelId: earlier.channel ?? `dm-${to}` };
    }
    const message: Sent = { to, key, reply, ref: `m${this.sent.length + 1}`, ...(channel ? { channel } : {}) };
    this.sent.push(message);
    if (this.loseAnswer?.(to, key)) throw new Error('socket hang up (test): posted, answer lost');
    return { ref: message.ref, channelId: channel ?? `dm-${to}` };
  }
}

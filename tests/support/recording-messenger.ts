import { RecipientUnreachable, type Messenger } from '../../src/app/ports.js';
import type { Reply } from '../../src/core/reply.js';

export interface Sent {
  to: string;
  key: string;
  reply: Reply;
  channel?: string;
}

/** Records every send; can fail the first N attempts per key, or refuse some users like closed DMs. */
export class RecordingMessenger implements Messenger {
  sent: Sent[] = [];
  attempts = new Map<string, number>();
  failFirst = new Map<string, number>();
  closedDms = new Set<string>();

  async sendDirect(to: { userExternalId: string }, reply: Reply, key: string) {
    this.attempts.set(to.userExternalId, (this.attempts.get(to.userExternalId) ?? 0) + 1);
    if (this.closedDms.has(to.userExternalId)) throw new RecipientUnreachable('DMs closed (test)');
    const left = this.failFirst.get(to.userExternalId) ?? 0;
    if (left > 0) {
      this.failFirst.set(to.userExternalId, left - 1);
      throw new Error('platform hiccup (test)');
    }
    this.sent.push({ to: to.userExternalId, key, reply });
    return { ref: `m${this.sent.length}`, channelId: `dm-${to.userExternalId}` };
  }

  async sendToChannel(_community: string, channel: string, reply: Reply, key: string) {
    this.sent.push({ to: `#${channel}`, key, reply, channel });
    return { ref: `m${this.sent.length}`, channelId: channel };
  }

  to(user: string): Sent[] {
    return this.sent.filter((s) => s.to === user);
  }
}

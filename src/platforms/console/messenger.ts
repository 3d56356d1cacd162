import type { Messenger, Recipient, SentMessage } from '../../app/ports.js';
import type { Reply } from '../../core/reply.js';

/** Where proactive messages go in the playground: printed into the chat as they arrive. */
export interface ConsoleInbox {
  receive(to: string, reply: Reply): void;
}

export function consoleMessenger(inbox: ConsoleInbox): Messenger {
  let sequence = 0;
  const sent = new Map<string, SentMessage>();
  const deliver = (to: string, reply: Reply, key: string): SentMessage => {
    // The same key twice (a retried job) shows the message once, as Discord's nonce and Slack's metadata do.
    const known = sent.get(key);
    if (known) return known;
    inbox.receive(to, reply);
    const message = { ref: `console-${++sequence}`, channelId: `dm-${to}` };
    sent.set(key, message);
    return message;
  };
  return {
    sendDirect: async (to: Recipient, reply, key) => deliver(to.userExternalId, reply, key),
    sendToChannel: async (_community, channelId, reply, key) => deliver(`#${channelId}`, reply, key),
  };
}

// Proactive messages: daily lessons to a learner's DM, posts in a community channel. A retried send
// never shows twice: every post carries its key in message metadata, and a retry of an attempt that may
// have posted looks for that key among the conversation's latest messages first. conversations.history
// is Tier 3 (and 1 a minute for apps outside the Marketplace), so a first attempt never reads it.
import type { webApi } from '@slack/bolt';
import type { Reply } from '../../core/reply.js';
import { NotPosted, RecipientUnreachable, type ChannelAccess, type Log, type Messenger, type Recipient, type SentMessage, type UnsureRetry } from '../../app/ports.js';
import { certainlyNotPosted, describeError, platformError, rateLimitedFor } from './errors.js';
import { openDm, uploadFiles } from './files.js';
import type { BotTokenFor } from './installation-store.js';
import { renderMessage, type FileToUpload } from './render.js';

export const METADATA_EVENT_TYPE = 'backend_mentor_message';
/** The most history Slack returns to apps outside the Marketplace; a DM with the bot holds a few a day. */
export const HISTORY_LIMIT = 15;
/** Waiting longer than this inside a job blocks a worker: hand the retry back to the job queue. */
const MAX_RATE_LIMIT_WAIT_S = 60;
const MAX_RATE_LIMIT_RETRIES = 5;

/** Slack's answers that mean "this person or channel cannot receive the bot's messages". */
export const UNREACHABLE_ERRORS = new Set([
  'cannot_dm_bot',
  'user_not_found',
  'user_not_visible',
  'user_disabled',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'messages_tab_disabled',
  'restricted_action',
]);

export interface SlackMessengerOptions {
  /** File uploads and channel checks: the Web API client's normal retries. */
  client: webApi.WebClient;
  /**
   * Posts and the reads around them: a client with retries off and rejectRateLimitedCalls on. Retrying a
   * post whose answer was lost would post it twice; only a 429 (Slack did nothing) is retried, here,
   * after Retry-After. A job never waits out Slack's half-hour retry policy: it fails and tries later.
   */
  poster: webApi.WebClient;
  tokenFor: BotTokenFor;
  log: Log;
  sleep?: (ms: number) => Promise<void>;
}

/** What a failed call means for the send: unreachable, certainly not posted, or perhaps posted (as it is). */
const meaningOf = (error: unknown): unknown => {
  const code = platformError(error);
  if (code && UNREACHABLE_ERRORS.has(code)) return new RecipientUnreachable(code);
  return certainlyNotPosted(error) ? new NotPosted(`Slack: ${code ?? describeError(error).message}`, describeError(error)) : error;
};

export function createSlackMessenger(options: SlackMessengerOptions): Messenger {
  const { client, poster, tokenFor, log } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function alreadyPosted(token: string, channel: string, key: string): Promise<SentMessage | null> {
    try {
      const history = await poster.conversations.history({ token, channel, limit: HISTORY_LIMIT, include_all_metadata: true });
      const found = history.messages?.find((m) => m.metadata?.event_type === METADATA_EVENT_TYPE && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key);
      return found?.ts ? { ref: found.ts, channelId: channel } : null;
    } catch (error) {
      // Without the history scope we can still post; a lost answer could then double a message.
      if (platformError(error) === 'missing_scope') {
        log.warn({ channel, ...describeError(error) }, 'cannot read Slack history to avoid double posts: reinstall the app with the scopes in slack-manifest.yaml');
        return null;
      }
      // Unable to look, we must not post: the attempt fails and stays unsure.
      const meaning = meaningOf(error);
      throw meaning instanceof NotPosted ? new Error(`could not read Slack history to check for an earlier post: ${meaning.message}`) : meaning;
    }
  }

  /**
   * Files and pictures follow their message. The message is the delivery: a failed upload is logged, not
   * thrown, since a retry would find the message already posted and could not attach them anyway.
   */
  async function attach(token: string, channel: string, files: FileToUpload[]): Promise<void> {
    try {
      await uploadFiles(client, token, channel, files);
    } catch (error) {
      log.warn({ channel, files: files.map((f) => f.name), ...describeError(error) }, 'posted a Slack message but could not upload its files');
    }
  }

  async function post(token: string, channel: string, reply: Reply, key: string, look: boolean): Promise<SentMessage> {
    const existing = look ? await alreadyPosted(token, channel, key) : null;
    if (existing) return existing;
    const message = renderMessage(reply);
    for (let attempt = 0; ; attempt++) {
      try {
        const sent = await poster.chat.postMessage({
          token,
          channel,
          text: message.text,
          blocks: message.blocks,
          metadata: { event_type: METADATA_EVENT_TYPE, event_payload: { key } },
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!sent.ts) throw new Error('chat.postMessage returned no ts');
        const where = sent.channel ?? channel;
        if (message.uploads.length) await attach(token, where, message.uploads);
        return { ref: sent.ts, channelId: where };
      } catch (error) {
        const wait = rateLimitedFor(error);
        if (wait === null || wait > MAX_RATE_LIMIT_WAIT_S || attempt >= MAX_RATE_LIMIT_RETRIES) throw meaningOf(error);
        log.info({ channel, retryAfterSeconds: wait }, 'Slack rate limit: waiting before posting');
        await sleep(wait * 1000);
      }
    }
  }

  return {
    async sendDirect(to: Recipient, reply: Reply, key: string, unsure?: UnsureRetry): Promise<SentMessage> {
      const token = await tokenFor(to.communityExternalId);
      const open = async () => {
        try {
          return await openDm(poster, token, to.userExternalId);
        } catch (error) {
          throw meaningOf(error);
        }
      };
      const look = unsure !== undefined;
      if (!to.dmChannelId) return post(token, await open(), reply, key, look);
      try {
        return await post(token, to.dmChannelId, reply, key, look);
      } catch (error) {
        // A remembered DM id can go stale (workspace migration): open the DM afresh before giving up.
        if (!(error instanceof RecipientUnreachable && error.reason === 'channel_not_found')) throw error;
        return post(token, await open(), reply, key, look);
      }
    },
    // Channel posts are few (challenges, digests, notices) and their senders keep no attempt record: always look.
    async sendToChannel(communityExternalId: string, channelId: string, reply: Reply, key: string): Promise<SentMessage> {
      return post(await tokenFor(communityExternalId), channelId, reply, key, true);
    },
    async channelAccess(communityExternalId: string, channelId: string): Promise<ChannelAccess> {
      // Reading the latest message needs what posting needs: the channel exists and the bot is in it.
      try {
        await client.conversations.history({ token: await tokenFor(communityExternalId), channel: channelId, limit: 1 });
        return { ok: true };
      } catch (error) {
        const code = platformError(error);
        if (code === 'channel_not_found') return { ok: false, problem: 'unknown-channel' };
        if (code === 'not_in_channel') return { ok: false, problem: 'not-member' };
        if (code === 'is_archived') return { ok: false, problem: 'archived' };
        // An install without the history scope cannot tell: let the lead go ahead; a failed post is logged.
        if (code === 'missing_scope') return { ok: true };
        throw error;
      }
    },
  };
}

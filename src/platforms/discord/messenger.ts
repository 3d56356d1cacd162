// Proactive messages: daily lessons and nudges by DM, cohort posts in a channel. Works without the gateway (workers).
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RESTJSONErrorCodes, Routes, type APIChannel, type APIMessage, type Client, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { ChannelAccess, Log, Messenger, Recipient, SentMessage, UnsureRetry } from '../../app/ports.js';
import { NotPosted, RecipientUnreachable } from '../../app/ports.js';
import type { Reply } from '../../core/reply.js';
import { DISCORD } from './limits.js';
import { PermanentJobError } from '../../app/jobs/errors.js';
import { missingPermissions, neededToPost } from './permissions.js';
import { NO_MENTIONS, renderMessage } from './render.js';

/**
 * The message nonce for a logical message key. With enforce_nonce, Discord returns the message already
 * created with this nonce (within a few minutes) instead of creating another: a retried send shows once.
 */
export function nonceFor(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, DISCORD.nonceMax);
}

const isApiError = (error: unknown, code: number): error is DiscordAPIError => error instanceof DiscordAPIError && error.code === code;

/**
 * How long we trust Discord's nonce memory ("the past few minutes"): a retry of an attempt that may have
 * posted longer ago than this looks among the channel's latest messages first.
 */
export const NONCE_TRUST_MS = 2 * 60_000;
/** The latest messages searched for an earlier post; a DM with the bot holds a few a day. */
export const LOOKBACK_MESSAGES = 50;

/**
 * What Discord said back. A 4xx (it refused) or 502/503 (its edge answered; the request went nowhere)
 * posted nothing. A timeout, a reset connection, 500 or 504 may have posted: left as they are.
 */
function classify(error: unknown): unknown {
  if (error instanceof DiscordAPIError && error.status >= 400 && error.status < 500) return new NotPosted(`Discord ${error.status} ${String(error.code)}`, loggableCause(error));
  if (error instanceof HTTPError && (error.status === 502 || error.status === 503)) return new NotPosted(`Discord ${error.status}`, loggableCause(error));
  return error;
}

const loggableCause = (error: DiscordAPIError | HTTPError) => ({ name: error.name, status: error.status, method: error.method });

/** The custom ids on a message: ours carry the delivery or challenge they belong to, so they identify a post. */
function customIds(components: readonly unknown[] | undefined): string[] {
  const ids: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    const { custom_id, components: children } = node as { custom_id?: unknown; components?: unknown };
    if (typeof custom_id === 'string') ids.push(custom_id);
    if (Array.isArray(children)) children.forEach(walk);
  };
  components?.forEach(walk);
  return ids.sort();
}

export class DiscordMessenger implements Messenger {
  constructor(
    private readonly client: Client,
    private readonly log: Log,
    /** The bot's user id, which is the application id for every bot created since 2019. */
    private readonly botUserId: string,
  ) {}

  async sendDirect(to: Recipient, reply: Reply, key: string, unsure?: UnsureRetry): Promise<SentMessage> {
    try {
      const channelId = to.dmChannelId ?? (await this.openDm(to.userExternalId));
      try {
        return await this.post(channelId, reply, key, unsure);
      } catch (error) {
        // A remembered DM channel can disappear; open it afresh once.
        if (!to.dmChannelId || !isApiError(error, RESTJSONErrorCodes.UnknownChannel)) throw error;
        return await this.post(await this.openDm(to.userExternalId), reply, key, unsure);
      }
    } catch (error) {
      if (isApiError(error, RESTJSONErrorCodes.CannotSendMessagesToThisUser)) {
        throw new RecipientUnreachable('Discord 50007: this person does not accept DMs from the bot (DMs closed for the server, bot blocked, or no shared server)');
      }
      if (isApiError(error, RESTJSONErrorCodes.UnknownUser)) throw new RecipientUnreachable('Discord 10013: unknown user (the account was deleted)');
      throw classify(error);
    }
  }

  async sendToChannel(communityExternalId: string, channelId: string, reply: Reply, key: string, unsure?: UnsureRetry): Promise<SentMessage> {
    try {
      return await this.post(channelId, reply, key, unsure);
    } catch (error) {
      // 50001 is what Discord says when the bot cannot even see the channel; 50013, when it lacks another permission.
      if (isApiError(error, RESTJSONErrorCodes.MissingPermissions) || isApiError(error, RESTJSONErrorCodes.MissingAccess)) {
        await this.explainMissing(communityExternalId, channelId, reply, (error as DiscordAPIError).code as number);
        // Retrying cannot grant a permission: the job stops here; the log line tells the operator what to fix.
        throw new PermanentJobError(`Discord ${(error as DiscordAPIError).code}: missing permission in channel ${channelId}`);
      }
      throw classify(error);
    }
  }

  async channelAccess(guildId: string, channelId: string): Promise<ChannelAccess> {
    const missing = await missingPermissions(this.client, this.botUserId, { guildId, channelId }, (thread) => neededToPost({ embeds: true, files: true, thread }));
    // null: not a channel of this server that the bot can look up.
    if (missing === null) return { ok: false, problem: 'unknown-channel' };
    return missing.length ? { ok: false, problem: 'missing-permissions', missing } : { ok: true };
  }

  /** Opens (or finds) the DM channel with a person. Raw REST: DM channels would pile up in an unbounded cache. */
  private async openDm(userId: string): Promise<string> {
    const channel = (await this.client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
    return channel.id;
  }

  private async post(channelId: string, reply: Reply, key: string, unsure?: UnsureRetry): Promise<SentMessage> {
    const message = renderMessage(reply);
    if (unsure && unsure.now.getTime() - unsure.since.getTime() > NONCE_TRUST_MS) {
      const earlier = await this.findPosted(channelId, customIds(message.components));
      if (earlier) return earlier;
    }
    // The one person a notice is about may be pinged (explicitly allowed); nobody else, whatever the text says.
    const mention = reply.mentionUser && /^\d{17,20}$/.test(reply.mentionUser) ? reply.mentionUser : null;
    const body: RESTPostAPIChannelMessageJSONBody = {
      content: mention ? `<@${mention}> ${message.content ?? ''}`.trim() : message.content,
      embeds: message.embeds,
      components: message.components,
      allowed_mentions: mention ? { ...NO_MENTIONS, users: [mention] } : NO_MENTIONS,
      nonce: nonceFor(key),
      enforce_nonce: true,
      attachments: message.files.map((file, id) => ({ id, filename: file.name, ...(file.description ? { description: file.description } : {}) })),
    };
    const files = message.files.map((file, id) => ({ key: `files[${id}]`, name: file.name, data: file.data }));
    const sent = (await this.client.rest.post(Routes.channelMessages(channelId), { body, files })) as APIMessage;
    return { ref: sent.id, channelId: sent.channel_id };
  }

  /**
   * Our own earlier post of this message, among the channel's latest: the bot's, with the same custom ids
   * (Discord does not return a message's nonce when it is read back). A message without buttons cannot
   * be told from another like it, so only the nonce protects it.
   */
  private async findPosted(channelId: string, ids: string[]): Promise<SentMessage | null> {
    if (ids.length === 0) return null;
    const latest = (await this.client.rest.get(Routes.channelMessages(channelId), { query: new URLSearchParams({ limit: String(LOOKBACK_MESSAGES) }) })) as APIMessage[];
    const wanted = ids.join('\n');
    const found = latest.find((m) => m.author.id === this.botUserId && customIds(m.components).join('\n') === wanted);
    if (found) this.log.info({ platform: 'discord', channel: channelId, message: found.id }, 'found the lesson an earlier attempt posted; not posting it again');
    return found ? { ref: found.id, channelId: found.channel_id } : null;
  }

  private async explainMissing(guildId: string, channelId: string, reply: Reply, code: number): Promise<void> {
    const message = renderMessage(reply);
    const needed = (thread: boolean) => neededToPost({ embeds: message.embeds.length > 0, files: message.files.length > 0, thread });
    const missing = await missingPermissions(this.client, this.botUserId, { guildId, channelId }, needed);
    const which = missing?.length ? missing.join(', ') : `one of ${needed(false).join(', ')}`;
    this.log.error(
      { platform: 'discord', code, guild: guildId, channel: channelId, missing: missing ?? null },
      `Discord refused to post in channel ${channelId} (server ${guildId}): the bot lacks the ${which} permission. ` +
        "Grant it to the bot's role in Server Settings > Roles, or in the channel's Permissions.",
    );
  }
}

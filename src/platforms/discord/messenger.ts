// Proactive messages: daily lessons and nudges by DM, cohort posts in a channel. Works without the gateway (workers).
import { createHash } from 'node:crypto';
import { DiscordAPIError, RESTJSONErrorCodes, Routes, type APIChannel, type APIMessage, type Client, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { ChannelAccess, Log, Messenger, Recipient, SentMessage } from '../../app/ports.js';
import { RecipientUnreachable } from '../../app/ports.js';
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

export class DiscordMessenger implements Messenger {
  constructor(
    private readonly client: Client,
    private readonly log: Log,
    /** The bot's user id, which is the application id for every bot created since 2019. */
    private readonly botUserId: string,
  ) {}

  async sendDirect(to: Recipient, reply: Reply, key: string): Promise<SentMessage> {
    try {
      const channelId = to.dmChannelId ?? (await this.openDm(to.userExternalId));
      try {
        return await this.post(channelId, reply, key);
      } catch (error) {
        // A remembered DM channel can disappear; open it afresh once.
        if (!to.dmChannelId || !isApiError(error, RESTJSONErrorCodes.UnknownChannel)) throw error;
        return await this.post(await this.openDm(to.userExternalId), reply, key);
      }
    } catch (error) {
      if (isApiError(error, RESTJSONErrorCodes.CannotSendMessagesToThisUser)) {
        throw new RecipientUnreachable('Discord 50007: this person does not accept DMs from the bot (DMs closed for the server, bot blocked, or no shared server)');
      }
      if (isApiError(error, RESTJSONErrorCodes.UnknownUser)) throw new RecipientUnreachable('Discord 10013: unknown user (the account was deleted)');
      throw error;
    }
  }

  async sendToChannel(communityExternalId: string, channelId: string, reply: Reply, key: string): Promise<SentMessage> {
    try {
      return await this.post(channelId, reply, key);
    } catch (error) {
      // 50001 is what Discord says when the bot cannot even see the channel; 50013, when it lacks another permission.
      if (isApiError(error, RESTJSONErrorCodes.MissingPermissions) || isApiError(error, RESTJSONErrorCodes.MissingAccess)) {
        await this.explainMissing(communityExternalId, channelId, reply, (error as DiscordAPIError).code as number);
        // Retrying cannot grant a permission: the job stops here; the log line tells the operator what to fix.
        throw new PermanentJobError(`Discord ${(error as DiscordAPIError).code}: missing permission in channel ${channelId}`);
      }
      throw error;
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

  private async post(channelId: string, reply: Reply, key: string): Promise<SentMessage> {
    const message = renderMessage(reply);
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

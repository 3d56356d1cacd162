// The link a server admin opens to add the bot, asking for the least it needs.
import { OAuth2Scopes, PermissionFlagsBits, PermissionsBitField } from 'discord.js';

/**
 * Server permissions for the bot's role. Slash commands, buttons, modals and their replies need none
 * (interaction responses go through the interaction, not the channel); these are for what the bot posts
 * on its own in a server channel: the one-time note to someone whose DMs are closed, and cohort posts.
 */
export const BOT_PERMISSIONS = {
  /** See the cohort channel at all; without it every post there fails. */
  ViewChannel: PermissionFlagsBits.ViewChannel,
  /** Post in the cohort channel. */
  SendMessages: PermissionFlagsBits.SendMessages,
  /** Lessons, challenges and digests are embeds; without it Discord strips them. */
  EmbedLinks: PermissionFlagsBits.EmbedLinks,
  /** Attach files (a weekly digest CSV) to channel posts. */
  AttachFiles: PermissionFlagsBits.AttachFiles,
  /** Fetch its own earlier posts to update them (a challenge post when it closes); Discord requires it to read any message. */
  ReadMessageHistory: PermissionFlagsBits.ReadMessageHistory,
} as const;

// Not asked for: Use Application Commands is a member permission (people need it to run /learn; the bot does
// not), and no privileged intent or Administrator-style permission is needed.

export const botPermissions = (): bigint => PermissionsBitField.resolve(Object.values(BOT_PERMISSIONS));

export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '),
    permissions: botPermissions().toString(),
    integration_type: '0',
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

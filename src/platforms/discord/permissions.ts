// Discord answers 50013 "Missing Permissions" without saying which one: work it out so the operator can fix it.
import type { Client, GuildBasedChannel, PermissionsString } from 'discord.js';

/** What posting this message in a guild channel needs. */
export function neededToPost(options: { embeds: boolean; files: boolean; thread: boolean }): PermissionsString[] {
  return [
    'ViewChannel',
    options.thread ? 'SendMessagesInThreads' : 'SendMessages',
    ...(options.embeds ? (['EmbedLinks'] as const) : []),
    ...(options.files ? (['AttachFiles'] as const) : []),
  ];
}

async function guildChannel(client: Client, guildId: string, channelId: string): Promise<GuildBasedChannel | null> {
  // The gateway process has both cached; a worker process (no gateway) fetches them once, on this rare error.
  const guild = client.guilds.cache.get(guildId) ?? (await client.guilds.fetch(guildId));
  const channel = guild.channels.cache.get(channelId) ?? (await guild.channels.fetch(channelId));
  return channel;
}

/**
 * The permissions from `needed` the bot lacks in the channel, or null when that cannot be worked out
 * (the channel or server is gone, or the lookup itself is refused).
 */
export async function missingPermissions(
  client: Client,
  botUserId: string,
  where: { guildId: string; channelId: string },
  needed: (thread: boolean) => PermissionsString[],
): Promise<PermissionsString[] | null> {
  try {
    const channel = await guildChannel(client, where.guildId, where.channelId);
    if (!channel) return null;
    const me = channel.guild.members.cache.get(botUserId) ?? (await channel.guild.members.fetch(botUserId));
    const granted = channel.permissionsFor(me);
    return needed(channel.isThread()).filter((permission) => !granted.has(permission));
  } catch {
    return null;
  }
}

// Server-shaped payloads of the fake Discord: GUILD_CREATE, GET /guilds/:id, channels, and command validation.
import {
  ApplicationCommandOptionType,
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type APIApplicationCommandOption,
  type APIGuild,
  type APITextChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { apiMember, type FakeGuild } from './discord-model.js';

export function apiChannel(guild: FakeGuild, channelId: string): APITextChannel {
  const channel = guild.channels.find((c) => c.id === channelId)!;
  return {
    id: channel.id,
    type: ChannelType.GuildText,
    guild_id: guild.id,
    name: channel.name,
    position: guild.channels.indexOf(channel),
    permission_overwrites: channel.overwrites,
    nsfw: false,
    topic: null,
    last_message_id: null,
    parent_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  } as unknown as APITextChannel;
}

export function apiGuild(guild: FakeGuild): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guild.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    hub_type: null,
    incidents_data: null,
  } as APIGuild;
}

/** GUILD_CREATE as a bot with only the Guilds intent gets it: channels and roles, and only its own member. */
export function guildCreate(guild: FakeGuild, bot: APIUser): GatewayGuildCreateDispatchData {
  return {
    ...apiGuild(guild),
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: [apiMember(guild, bot, guild.members.get(bot.id)!)],
    channels: guild.channels.map((c) => apiChannel(guild, c.id)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  } as GatewayGuildCreateDispatchData;
}

const NAME = /^[-_\p{Ll}\p{Lm}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function optionProblems(options: readonly APIApplicationCommandOption[], where: string): string[] {
  const problems: string[] = [];
  if (options.length > 25) problems.push(`${where}: more than 25 options`);
  let optionalSeen = false;
  for (const option of options) {
    const at = `${where} ${option.name}`;
    if (!NAME.test(option.name)) problems.push(`${at}: invalid name`);
    if (!option.description || option.description.length > 100) problems.push(`${at}: description must be 1-100 characters (${option.description.length})`);
    if (option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup) {
      problems.push(...optionProblems(option.options ?? [], at));
      continue;
    }
    if ('required' in option && option.required) {
      if (optionalSeen) problems.push(`${at}: required options must come before optional ones`);
    } else optionalSeen = true;
    const choices = 'choices' in option ? (option.choices ?? []) : [];
    if (choices.length > 25) problems.push(`${at}: more than 25 choices`);
    if (choices.some((c) => !c.name || c.name.length > 100)) problems.push(`${at}: choice name must be 1-100 characters`);
    if ('autocomplete' in option && option.autocomplete && choices.length) problems.push(`${at}: autocomplete cannot have choices`);
  }
  return problems;
}

/** What Discord answers 50035 Invalid Form Body for, when registering commands. */
export function commandProblems(body: RESTPutAPIApplicationCommandsJSONBody): string[] {
  const names = new Set<string>();
  return body.flatMap((command) => {
    const problems: string[] = [];
    if (!NAME.test(command.name)) problems.push(`/${command.name}: invalid name`);
    if (names.has(command.name)) problems.push(`/${command.name}: duplicate`);
    names.add(command.name);
    const description = 'description' in command ? (command.description ?? '') : '';
    if (!description || description.length > 100) problems.push(`/${command.name}: description must be 1-100 characters`);
    const perms = command.default_member_permissions;
    if (perms !== undefined && perms !== null && !/^\d+$/.test(perms)) problems.push(`/${command.name}: default_member_permissions must be a bitfield string`);
    return [...problems, ...optionProblems(('options' in command ? command.options : undefined) ?? [], `/${command.name}`)];
  });
}

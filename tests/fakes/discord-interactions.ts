// INTERACTION_CREATE payloads as Discord sends them: slash commands, autocomplete, button presses, modal submits,
// from a server channel (member, guild_id) or a DM with the bot (user, no guild).
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandInteractionDataSubcommandOption,
  type APIApplicationCommandOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIInteractionDataResolved,
  type APIInteractionDataResolvedChannel,
  type APIInteractionDataResolvedGuildMember,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIModalSubmitInteraction,
  type APIUser,
} from 'discord-api-types/v10';
import { apiMember, permissionsIn, snowflake, type FakeGuild } from './discord-model.js';
import { randomBytes } from 'node:crypto';

export interface Actor {
  user: APIUser;
  /** Null: in the bot's DMs. */
  guild: FakeGuild | null;
  channelId: string;
  botUserId: string;
  /** Bytes per uploaded file (10 MiB without boosts). */
  uploadLimit: number;
}

function base(appId: string, actor: Actor) {
  const { guild, user, channelId } = actor;
  const where = guild
    ? {
        guild_id: guild.id,
        guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
        guild_locale: Locale.EnglishUS,
        member: { ...apiMember(guild, user, guild.members.get(user.id)!), permissions: permissionsIn(guild, channelId, user.id).toString() },
        channel: { id: channelId, type: ChannelType.GuildText as const, name: guild.channels.find((c) => c.id === channelId)?.name ?? 'general', guild_id: guild.id },
        context: InteractionContextType.Guild,
        authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
        app_permissions: permissionsIn(guild, channelId, actor.botUserId).toString(),
      }
    : {
        user,
        channel: { id: channelId, type: ChannelType.DM as const, recipients: [user] },
        context: InteractionContextType.BotDM,
        authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
        // In DMs the bot has the permissions any DM participant has.
        app_permissions: '1126999418471424',
      };
  return {
    id: snowflake(),
    application_id: appId,
    token: `aW50ZXJhY3Rpb246${randomBytes(24).toString('base64url')}`,
    version: 1 as const,
    locale: Locale.EnglishUS,
    entitlements: [],
    attachment_size_limit: actor.uploadLimit,
    channel_id: channelId,
    ...where,
  };
}

/** A typed option value as a Discord client sends it. */
export type OptionValue = string | number;

/** What the client sends for a command: the option tree and the objects its ids name. */
export interface CommandData {
  options: APIApplicationCommandInteractionDataOption[];
  resolved?: APIInteractionDataResolved;
}

export function chatInput(appId: string, actor: Actor, command: { id: string; name: string }, data: CommandData): APIChatInputApplicationCommandInteraction {
  return {
    ...base(appId, actor),
    type: InteractionType.ApplicationCommand,
    data: { id: command.id, name: command.name, type: ApplicationCommandType.ChatInput, options: data.options, ...(data.resolved ? { resolved: data.resolved } : {}) },
  } as APIChatInputApplicationCommandInteraction;
}

export function autocomplete(appId: string, actor: Actor, command: { id: string; name: string }, data: CommandData): APIApplicationCommandAutocompleteInteraction {
  return {
    ...base(appId, actor),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: { id: command.id, name: command.name, type: ApplicationCommandType.ChatInput, options: data.options },
  } as APIApplicationCommandAutocompleteInteraction;
}

/**
 * The option tree for `sub` ("post", or "challenge post" for a subcommand of a group) with `options`, typed by
 * the registered command as Discord's client types them: integers as numbers, a channel, person or role as its
 * id with the object in `resolved`. Options a command does not declare (or a command not registered) go as
 * strings, as a crafted payload could.
 */
export function commandData(
  registered: APIApplicationCommand | undefined,
  actor: Actor,
  users: (id: string) => APIUser | undefined,
  sub: string | null,
  options: Record<string, OptionValue>,
  focused?: string,
): CommandData {
  const { guild } = actor;
  const [groupName, subName] = sub?.includes(' ') ? sub.split(' ') : [null, sub];
  const group = groupName ? registered?.options?.find((o): o is APIApplicationCommandSubcommandGroupOption => o.type === ApplicationCommandOptionType.SubcommandGroup && o.name === groupName) : undefined;
  const declared = (subName ? (group?.options ?? registered?.options)?.find((o) => o.name === subName && o.type === ApplicationCommandOptionType.Subcommand) : registered) as
    | { options?: APIApplicationCommandOption[] }
    | undefined;
  const resolved: Required<Pick<APIInteractionDataResolved, 'users' | 'members' | 'roles' | 'channels'>> = { users: {}, members: {}, roles: {}, channels: {} };
  const leaves = Object.entries(options).map(([name, value]): APIApplicationCommandInteractionDataBasicOption => {
    const type = declared?.options?.find((o) => o.name === name)?.type ?? ApplicationCommandOptionType.String;
    const mark = name === focused ? { focused: true } : {};
    if (name === focused) return { type, name, value: String(value), ...mark } as APIApplicationCommandInteractionDataBasicOption;
    switch (type) {
      case ApplicationCommandOptionType.Integer:
      case ApplicationCommandOptionType.Number:
        return { type, name, value: Number(value) } as APIApplicationCommandInteractionDataBasicOption;
      case ApplicationCommandOptionType.Channel: {
        const channel = guild?.channels.find((c) => c.id === String(value));
        if (!channel || !guild) throw new Error(`option ${name}: no channel ${value} in this server`);
        resolved.channels[channel.id] = { id: channel.id, type: channel.type, name: channel.name, permissions: permissionsIn(guild, channel.id, actor.user.id).toString() } as APIInteractionDataResolvedChannel;
        return { type, name, value: channel.id };
      }
      case ApplicationCommandOptionType.Mentionable:
      case ApplicationCommandOptionType.User:
      case ApplicationCommandOptionType.Role: {
        const id = String(value);
        const role = guild?.roles.find((r) => r.id === id);
        if (role && type !== ApplicationCommandOptionType.User) {
          resolved.roles[id] = role;
          return { type, name, value: id } as APIApplicationCommandInteractionDataBasicOption;
        }
        const user = users(id);
        if (!user || type === ApplicationCommandOptionType.Role) throw new Error(`option ${name}: no ${type === ApplicationCommandOptionType.Role ? 'role' : 'user'} ${id}`);
        resolved.users[id] = user;
        const member = guild?.members.get(id);
        if (guild && member) {
          const { user: _user, deaf: _deaf, mute: _mute, ...rest } = apiMember(guild, user, member);
          resolved.members[id] = { ...rest, permissions: permissionsIn(guild, null, id).toString() } as APIInteractionDataResolvedGuildMember;
        }
        return { type, name, value: id } as APIApplicationCommandInteractionDataBasicOption;
      }
      default:
        return { type: ApplicationCommandOptionType.String, name, value: String(value), ...mark };
    }
  });
  const leaf = subName ? [{ type: ApplicationCommandOptionType.Subcommand as const, name: subName, options: leaves }] : leaves;
  const tree: APIApplicationCommandInteractionDataOption[] = groupName ? [{ type: ApplicationCommandOptionType.SubcommandGroup, name: groupName, options: leaf as APIApplicationCommandInteractionDataSubcommandOption[] }] : leaf;
  const used = Object.fromEntries(Object.entries(resolved).filter(([, v]) => Object.keys(v).length));
  return { options: tree, ...(Object.keys(used).length ? { resolved: used as APIInteractionDataResolved } : {}) };
}

export function buttonPress(appId: string, actor: Actor, message: APIMessage, customId: string): APIMessageComponentButtonInteraction {
  return {
    ...base(appId, actor),
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: customId, component_type: ComponentType.Button },
  } as APIMessageComponentButtonInteraction;
}

export function modalSubmit(appId: string, actor: Actor, customId: string, fields: Record<string, string>, from?: APIMessage): APIModalSubmitInteraction {
  return {
    ...base(appId, actor),
    type: InteractionType.ModalSubmit,
    ...(from ? { message: from } : {}),
    data: {
      custom_id: customId,
      // Discord sends back each field inside the Label it was shown in.
      components: Object.entries(fields).map(([id, value]) => ({
        type: ComponentType.Label,
        id: 1,
        component: { type: ComponentType.TextInput, id: 2, custom_id: id, value },
      })),
    },
  } as APIModalSubmitInteraction;
}

export type AnyInteraction = APIInteraction;

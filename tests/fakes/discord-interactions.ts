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
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
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
    attachment_size_limit: 10 * 1024 * 1024,
    channel_id: channelId,
    ...where,
  };
}

const stringOptions = (options: Record<string, string>, focused?: string): APIApplicationCommandInteractionDataBasicOption[] =>
  Object.entries(options).map(([name, value]) => ({ type: ApplicationCommandOptionType.String, name, value, ...(name === focused ? { focused: true } : {}) }));

function commandOptions(sub: string | null, options: Record<string, string>, focused?: string): APIApplicationCommandInteractionDataOption[] {
  return sub ? [{ type: ApplicationCommandOptionType.Subcommand, name: sub, options: stringOptions(options, focused) }] : stringOptions(options, focused);
}

export function chatInput(appId: string, actor: Actor, command: { id: string; name: string }, sub: string | null, options: Record<string, string>): APIChatInputApplicationCommandInteraction {
  return {
    ...base(appId, actor),
    type: InteractionType.ApplicationCommand,
    data: { id: command.id, name: command.name, type: ApplicationCommandType.ChatInput, options: commandOptions(sub, options) },
  } as APIChatInputApplicationCommandInteraction;
}

export function autocomplete(
  appId: string,
  actor: Actor,
  command: { id: string; name: string },
  sub: string | null,
  options: Record<string, string>,
  focused: string,
): APIApplicationCommandAutocompleteInteraction {
  return {
    ...base(appId, actor),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: { id: command.id, name: command.name, type: ApplicationCommandType.ChatInput, options: commandOptions(sub, options, focused) },
  } as APIApplicationCommandAutocompleteInteraction;
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

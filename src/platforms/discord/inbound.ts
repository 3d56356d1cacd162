// Discord interactions -> the neutral request. Values come from users' clients: narrowed here, validated by the app.
import {
  ApplicationCommandOptionType,
  ComponentType,
  PermissionFlagsBits,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { InboundRequest, InboundUser } from '../../app/inbound.js';
import type { CommunityRef } from '../../app/ports.js';
import { COHORT, LEARN, OPTION_VALUE_MAX, cohortOptionNames, optionNames } from './commands.js';

export type HandledInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

/** For the app. `community` is null in DMs, which carry no guild: the app finds the person's community. */
export interface Routed {
  community: CommunityRef | null;
  user: InboundUser;
  /** The server channel a `/cohort` command was run in (`/cohort channel` with no option means this one). */
  channelId?: string;
  request: InboundRequest;
}

function userOf(interaction: HandledInteraction): InboundUser {
  const { member, user } = interaction;
  // A cached guild gives a GuildMember; otherwise Discord's raw member, whose roles are plain ids.
  // Neither lists @everyone (its id is the guild's) as a role the person has been given.
  const roleIds = !member ? [] : (Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()]).filter((id) => id !== interaction.guildId);
  const nick = member && 'displayName' in member ? member.displayName : member?.nick;
  return {
    externalId: user.id,
    displayName: nick || user.displayName,
    // Computed by Discord for this member in this channel (Administrator and the owner included).
    isAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    roleIds,
  };
}

function communityOf(interaction: HandledInteraction): CommunityRef | null {
  if (!interaction.guildId) return null;
  return { platform: 'discord', externalId: interaction.guildId, name: interaction.guild?.name };
}

/** The subcommand group, the subcommand, and the options given to it, from a command's raw option tree. */
export function commandPath(data: readonly CommandInteractionOption[]): { group: string | null; sub: string | null; options: readonly CommandInteractionOption[] } {
  const group = data.find((o) => o.type === ApplicationCommandOptionType.SubcommandGroup);
  const sub = (group?.options ?? data).find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  const options = sub ? (sub.options ?? []) : group ? [] : data;
  return { group: group?.name ?? null, sub: sub?.name ?? null, options };
}

/**
 * One option as the app's text grammar would have it: strings as typed (cut to a sane length), numbers as
 * digits, a channel as its id, a person as `<@id>` and a role as `<@&id>` (the app's mention syntax).
 */
function optionText(option: CommandInteractionOption): string | undefined {
  const { value } = option;
  switch (option.type) {
    case ApplicationCommandOptionType.String:
      return typeof value === 'string' ? value.slice(0, OPTION_VALUE_MAX) : undefined;
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
    case ApplicationCommandOptionType.Channel:
      return typeof value === 'string' ? value : undefined;
    case ApplicationCommandOptionType.User:
      return typeof value === 'string' ? `<@${value}>` : undefined;
    case ApplicationCommandOptionType.Role:
      return typeof value === 'string' ? `<@&${value}>` : undefined;
    case ApplicationCommandOptionType.Mentionable:
      // Discord resolves the id: a role comes back in `resolved.roles`, a person in `resolved.users`.
      return typeof value === 'string' ? (option.role ? `<@&${value}>` : `<@${value}>`) : undefined;
    default:
      return undefined;
  }
}

/** The options the verb declares, as text; anything else a client sends is dropped. */
function optionArgs(declared: readonly string[], options: readonly CommandInteractionOption[]): Record<string, string | undefined> {
  const names = new Set(declared);
  const args: Record<string, string | undefined> = {};
  for (const option of options) {
    if (!names.has(option.name)) continue;
    const text = optionText(option);
    if (text !== undefined) args[option.name] = text;
  }
  return args;
}

function commandRequest(interaction: ChatInputCommandInteraction): Routed {
  const { group, sub, options } = commandPath(interaction.options.data);
  const base = { community: communityOf(interaction), user: userOf(interaction) };
  if (interaction.commandName === COHORT) {
    // "challenge post" exactly as COHORT_COMMANDS names it; a bare `/cohort` (no subcommand) is help.
    const verb = group ? `${group} ${sub ?? ''}`.trim() : (sub ?? 'help');
    const request: InboundRequest = { type: 'command', group: 'cohort', verb, args: optionArgs(cohortOptionNames(verb), options) };
    return { ...base, ...(interaction.guildId ? { channelId: interaction.channelId } : {}), request };
  }
  const verb = interaction.commandName === LEARN && sub ? sub : 'help';
  return { ...base, request: { type: 'command', verb, args: optionArgs(optionNames(verb), options) } };
}

function formFields(interaction: ModalSubmitInteraction): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  for (const [id, field] of interaction.fields.fields) {
    if (field.type === ComponentType.TextInput && typeof field.value === 'string') fields[id] = field.value.slice(0, OPTION_VALUE_MAX);
  }
  return fields;
}

/** Every button and form goes to the app as it came (lesson, cohort, anything): the app parses and re-checks it. */
export function route(interaction: HandledInteraction): Routed {
  if (interaction.isChatInputCommand()) return commandRequest(interaction);
  const request: InboundRequest = interaction.isButton()
    ? { type: 'action', actionId: interaction.customId }
    : { type: 'form', formId: interaction.customId, fields: formFields(interaction) };
  return { community: communityOf(interaction), user: userOf(interaction), request };
}

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
import { COHORT, COHORT_PLACEHOLDER, LEARN, OPTION_VALUE_MAX, optionNames } from './commands.js';

export type HandledInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

export type Routed =
  /** For the app. `community` is null in DMs, which carry no guild: the app finds the person's community. */
  | { kind: 'app'; community: CommunityRef | null; user: InboundUser; request: InboundRequest }
  /** A fixed answer that needs no app (the /cohort placeholder). */
  | { kind: 'static'; text: string };

function userOf(interaction: HandledInteraction): InboundUser {
  const { member, user } = interaction;
  // A cached guild gives a GuildMember; otherwise Discord's raw member, whose roles are plain ids.
  const roleIds = !member ? [] : Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()].filter((id) => id !== interaction.guildId);
  const nick = member && 'displayName' in member ? member.displayName : member?.nick;
  return {
    externalId: user.id,
    displayName: nick || user.displayName,
    isAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    roleIds,
  };
}

function communityOf(interaction: HandledInteraction): CommunityRef | null {
  if (!interaction.guildId) return null;
  return { platform: 'discord', externalId: interaction.guildId, name: interaction.guild?.name };
}

/** The string options of `/learn <verb>`, the ones that verb declares, each cut to a sane length. */
function optionArgs(verb: string, options: readonly CommandInteractionOption[]): Record<string, string | undefined> {
  const declared = new Set(optionNames(verb));
  const args: Record<string, string | undefined> = {};
  for (const option of options) {
    if (declared.has(option.name) && option.type === ApplicationCommandOptionType.String && typeof option.value === 'string') {
      args[option.name] = option.value.slice(0, OPTION_VALUE_MAX);
    }
  }
  return args;
}

function commandRequest(interaction: ChatInputCommandInteraction): Routed {
  const sub = interaction.options.data.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  if (interaction.commandName === COHORT) return { kind: 'static', text: COHORT_PLACEHOLDER };
  const verb = interaction.commandName === LEARN && sub ? sub.name : 'help';
  const request: InboundRequest = { type: 'command', verb, args: optionArgs(verb, sub?.options ?? []) };
  return { kind: 'app', community: communityOf(interaction), user: userOf(interaction), request };
}

function formFields(interaction: ModalSubmitInteraction): Record<string, string | undefined> {
  const fields: Record<string, string | undefined> = {};
  for (const [id, field] of interaction.fields.fields) {
    if (field.type === ComponentType.TextInput && typeof field.value === 'string') fields[id] = field.value.slice(0, OPTION_VALUE_MAX);
  }
  return fields;
}

export function route(interaction: HandledInteraction): Routed {
  if (interaction.isChatInputCommand()) return commandRequest(interaction);
  const request: InboundRequest = interaction.isButton()
    ? { type: 'action', actionId: interaction.customId }
    : { type: 'form', formId: interaction.customId, fields: formFields(interaction) };
  return { kind: 'app', community: communityOf(interaction), user: userOf(interaction), request };
}

// Answers an interaction within Discord's 3-second window: directly when the reply is quick, else defer first.
import {
  MessageFlags,
  type ButtonInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type ModalMessageModalSubmitInteraction,
} from 'discord.js';
import { RUNNABLE_VERBS, encodeAction, type Modal, type Reply, type RunnableVerb } from '../../core/reply.js';
import { LEARN } from './commands.js';
import type { HandledInteraction } from './inbound.js';
import { modalFallback, renderMessage, renderModal, withinUploadLimit, type DiscordFile, type DiscordMessage } from './render.js';

/** When the reply has not come after this long, acknowledge first (Discord allows 3 s; leave room for the network). */
export const ACK_AFTER_MS = 1500;

/** discord.js's spelling of render.ts's NO_MENTIONS: nothing in the text pings anyone. */
const NO_PINGS = { parse: [], repliedUser: false };

/** discord.js's attachment options; the description is the alt text. */
const attachments = (files: DiscordFile[]) => files.map((f) => ({ attachment: f.data, name: f.name, ...(f.description ? { description: f.description } : {}) }));

/** Message options for a new message. */
function fresh(message: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    files: attachments(message.files),
    allowedMentions: NO_PINGS,
    flags: ephemeral ? MessageFlags.Ephemeral : undefined,
  };
}

/** Options that replace a message entirely: what the new reply lacks is cleared, not kept from the old one. */
function replacing(message: DiscordMessage): InteractionEditReplyOptions & InteractionUpdateOptions {
  return {
    content: message.content ?? '',
    embeds: message.embeds,
    components: message.components,
    files: attachments(message.files),
    attachments: [],
    allowedMentions: NO_PINGS,
  };
}

/** Button presses and modals opened from a message act on that message: they can edit it in place. */
const onMessage = (interaction: HandledInteraction): interaction is ButtonInteraction | ModalMessageModalSubmitInteraction =>
  interaction.isButton() || (interaction.isModalSubmit() && interaction.isFromMessage());

export async function defer(interaction: HandledInteraction): Promise<void> {
  if (onMessage(interaction)) {
    // Acknowledges without a visible "thinking" message; the reply then edits the message or follows up.
    await interaction.deferUpdate();
  } else {
    // In a server, /learn answers are personal: the placeholder is ephemeral, and so is the reply that replaces it.
    await interaction.deferReply({ flags: interaction.inGuild() ? MessageFlags.Ephemeral : undefined });
  }
}

/** What opens the form again after a deferral: the modal's own reopen action, the same button, or the same verb. */
function reopenId(interaction: HandledInteraction, modal: Modal): string | null {
  if (modal.reopen) return encodeAction(modal.reopen);
  if (interaction.isButton()) return interaction.customId;
  const verb = interaction.isChatInputCommand() && interaction.commandName === LEARN ? interaction.options.getSubcommand(false) : null;
  return verb && (RUNNABLE_VERBS as readonly string[]).includes(verb) ? encodeAction({ kind: 'run', verb: verb as RunnableVerb }) : null;
}

/** A new message answering the interaction (or, after deferReply, the one replacing "thinking…"). */
async function post(interaction: HandledInteraction, message: DiscordMessage, ephemeral: boolean, deferred: boolean): Promise<void> {
  if (!deferred) await interaction.reply(fresh(message, ephemeral));
  else if (onMessage(interaction)) await interaction.followUp(fresh(message, ephemeral));
  else await interaction.editReply(replacing(message));
}

export async function send(interaction: HandledInteraction, reply: Reply, deferred: boolean): Promise<void> {
  // Ephemeral means "only the asker sees it"; in a DM only the asker can see it anyway.
  const inGuild = interaction.inGuild();
  if (reply.modal) {
    if (!deferred && !interaction.isModalSubmit()) {
      await interaction.showModal(renderModal(reply.modal));
      return;
    }
    return post(interaction, modalFallback({ ...reply, modal: reply.modal }, reopenId(interaction, reply.modal)), inGuild, deferred);
  }
  const message = withinUploadLimit(renderMessage(reply), interaction.attachmentSizeLimit);
  if (onMessage(interaction) && reply.update) {
    await (deferred ? interaction.editReply(replacing(message)) : interaction.update(replacing(message)));
    return;
  }
  return post(interaction, message, reply.ephemeral === true && inGuild, deferred);
}

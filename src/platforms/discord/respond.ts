// Answers an interaction within Discord's 3-second window: directly when the reply is quick, else defer first.
import {
  MessageFlags,
  type ButtonInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type ModalMessageModalSubmitInteraction,
} from 'discord.js';
import type { Reply } from '../../core/reply.js';
import type { HandledInteraction } from './inbound.js';
import { NO_MENTIONS, modalFallback, renderMessage, renderModal, type DiscordMessage } from './render.js';

/** When the reply has not come after this long, acknowledge first (Discord allows 3 s; leave room for the network). */
export const ACK_AFTER_MS = 1500;

/** Message options for a new message. */
function fresh(message: DiscordMessage, ephemeral: boolean): InteractionReplyOptions {
  return {
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    files: message.files.map((f) => ({ attachment: f.data, name: f.name })),
    allowedMentions: NO_MENTIONS,
    flags: ephemeral ? MessageFlags.Ephemeral : undefined,
  };
}

/** Options that replace a message entirely: what the new reply lacks is cleared, not kept from the old one. */
function replacing(message: DiscordMessage): InteractionEditReplyOptions & InteractionUpdateOptions {
  return {
    content: message.content ?? '',
    embeds: message.embeds,
    components: message.components,
    files: message.files.map((f) => ({ attachment: f.data, name: f.name })),
    attachments: [],
    allowedMentions: NO_MENTIONS,
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

export async function send(interaction: HandledInteraction, reply: Reply, deferred: boolean): Promise<void> {
  if (reply.modal) {
    if (!deferred && !interaction.isModalSubmit()) {
      await interaction.showModal(renderModal(reply.modal));
      return;
    }
    reply = modalFallback({ ...reply, modal: reply.modal });
  }
  // Ephemeral means "only the asker sees it"; in a DM only the asker can see it anyway.
  const ephemeral = reply.ephemeral === true && interaction.inGuild();
  const message = renderMessage(reply);
  if (onMessage(interaction) && reply.update) {
    await (deferred ? interaction.editReply(replacing(message)) : interaction.update(replacing(message)));
    return;
  }
  if (!deferred) await interaction.reply(fresh(message, ephemeral));
  else if (onMessage(interaction)) await interaction.followUp(fresh(message, ephemeral));
  else await interaction.editReply(replacing(message));
}

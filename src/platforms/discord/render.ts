// Reply -> a Discord message (content or one embed, button rows, files) or a modal, within Discord's limits.
import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import { encodeAction, encodeForm, type ActionId, type Button, type Modal, type Reply } from '../../core/reply.js';
import { DISCORD, clamp } from './limits.js';

/** Whatever anyone typed (a display name, a note, an option value), nothing the bot sends pings anyone. */
export const NO_MENTIONS: APIAllowedMentions = { parse: [], replied_user: false };

const BRAND_COLOUR = 0x3b82f6;

export interface DiscordMessage {
  content: string | undefined;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  files: { name: string; data: Buffer }[];
}

const STYLE: Record<NonNullable<Button['style']>, APIButtonComponentWithCustomId['style']> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** Rows of at most 5 buttons, at most 5 rows: a longer row wraps, extra rows are dropped. */
function buttonRows(rows: Button[][]): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const wrapped = rows.flatMap((row) => {
    const chunks: Button[][] = [];
    for (let i = 0; i < row.length; i += DISCORD.buttonsPerRow) chunks.push(row.slice(i, i + DISCORD.buttonsPerRow));
    return chunks;
  });
  return wrapped.slice(0, DISCORD.rowsMax).map((row) => ({
    type: ComponentType.ActionRow,
    components: row.map((button) => ({
      type: ComponentType.Button,
      style: STYLE[button.style ?? 'secondary'],
      label: clamp(button.label, DISCORD.buttonLabelMax),
      custom_id: encodeAction(button.action),
    })),
  }));
}

/** One embed holding the title, the Markdown text and the fields, cut to fit Discord's total of 6000 characters. */
function embedOf(reply: Reply): APIEmbed {
  const title = reply.title ? clamp(reply.title, DISCORD.embedTitleMax) : undefined;
  const fields = (reply.fields ?? []).slice(0, DISCORD.embedFieldsMax).map((f) => ({
    name: clamp(f.name || '\u200b', DISCORD.embedFieldNameMax),
    value: clamp(f.value || '\u200b', DISCORD.embedFieldValueMax),
    inline: f.inline ?? false,
  }));
  const used = (title?.length ?? 0) + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const room = Math.max(1, Math.min(DISCORD.embedDescriptionMax, DISCORD.embedTotalMax - used));
  const description = reply.text ? clamp(reply.text, room) : undefined;
  return { title, description, fields: fields.length ? fields : undefined, color: BRAND_COLOUR };
}

export function renderMessage(reply: Reply): DiscordMessage {
  // A title or fields mean a card (a lesson, progress); text too long for a message also goes in an embed (4096).
  const asEmbed = Boolean(reply.title || reply.fields?.length || reply.text.length > DISCORD.contentMax);
  const files = (reply.files ?? []).map((f) => ({ name: f.name, data: Buffer.from(f.content, 'utf8') }));
  const components = buttonRows(reply.actions ?? []);
  // Discord refuses a message with nothing to show (buttons alone are not enough).
  const content = asEmbed ? undefined : reply.text || (files.length ? undefined : '\u200b');
  return {
    content,
    embeds: asEmbed ? [embedOf(reply)] : [],
    components,
    files,
  };
}

export function renderModal(modal: Modal): APIModalInteractionResponseCallbackData {
  return {
    custom_id: encodeForm(modal.form),
    title: clamp(modal.title, DISCORD.modalTitleMax),
    components: modal.fields.slice(0, DISCORD.modalFieldsMax).map((field) => ({
      type: ComponentType.Label,
      label: clamp(field.label, DISCORD.modalLabelMax),
      component: {
        type: ComponentType.TextInput,
        custom_id: field.name,
        style: field.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: field.required,
        max_length: Math.min(field.maxLength, DISCORD.textInputMax),
        ...(field.placeholder ? { placeholder: clamp(field.placeholder, DISCORD.placeholderMax) } : {}),
      },
    })),
  };
}

/**
 * A modal can only be the first answer to an interaction. When the answer had to be deferred (slow work) or
 * the interaction was itself a modal submit, offer a button that opens the form on the next press instead.
 */
export function modalFallback(reply: Reply & { modal: Modal }): Reply {
  const form = reply.modal.form;
  const action: ActionId = form.deliveryId ? { kind: 'practice', deliveryId: form.deliveryId } : { kind: 'run', verb: 'practice' };
  return { text: reply.text, ephemeral: true, actions: [[{ action, label: reply.modal.title, style: 'primary' }]] };
}

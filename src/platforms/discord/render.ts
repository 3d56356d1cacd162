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
import { encodeAction, encodeForm, type Button, type Modal, type Reply } from '../../core/reply.js';
import { DISCORD, clamp } from './limits.js';

/** Whatever anyone typed (a display name, a note, an option value), nothing the bot sends pings anyone. */
export const NO_MENTIONS: APIAllowedMentions = { parse: [], replied_user: false };

const BRAND_COLOUR = 0x3b82f6;

/** A file attached to a message; `description` is its alt text (what screen readers say for a picture). */
export interface DiscordFile {
  name: string;
  data: Buffer;
  description?: string;
}

export interface DiscordMessage {
  content: string | undefined;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  files: DiscordFile[];
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

/**
 * One embed holding the title, the Markdown text and the fields, within Discord's total of 6000 characters:
 * the text (a lesson) comes first; fields that no longer fit are cut, then left out.
 */
function embedOf(reply: Reply): APIEmbed {
  const title = reply.title?.trim() ? clamp(reply.title, DISCORD.embedTitleMax) : undefined;
  let budget = DISCORD.embedTotalMax - (title?.length ?? 0);
  const description = reply.text.trim() ? clamp(reply.text, Math.min(DISCORD.embedDescriptionMax, budget)) : undefined;
  budget -= description?.length ?? 0;
  const fields: NonNullable<APIEmbed['fields']> = [];
  for (const field of (reply.fields ?? []).slice(0, DISCORD.embedFieldsMax)) {
    // Discord refuses blank names and values (it trims them); a zero-width space stands in.
    const name = clamp(field.name.trim() ? field.name : '\u200b', Math.min(DISCORD.embedFieldNameMax, budget - 1));
    const value = clamp(field.value.trim() ? field.value : '\u200b', Math.min(DISCORD.embedFieldValueMax, budget - name.length));
    if (budget - name.length - value.length < 0 || name.length < 1 || value.length < 1) break;
    budget -= name.length + value.length;
    fields.push({ name, value, inline: field.inline ?? false });
  }
  return { title, description, fields: fields.length ? fields : undefined, color: BRAND_COLOUR };
}

/** Pictures (a chart, with its alt text) first, then files (CSV exports), at most Discord's 10 per message. */
function attachmentsOf(reply: Reply): DiscordFile[] {
  const images = (reply.images ?? []).map((image) => ({
    name: image.name,
    data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength),
    ...(image.alt.trim() ? { description: clamp(image.alt, DISCORD.attachmentDescriptionMax) } : {}),
  }));
  const files = (reply.files ?? []).map((f) => ({ name: f.name, data: Buffer.from(f.content, 'utf8') }));
  return [...images, ...files].slice(0, DISCORD.attachmentsMax);
}

export function renderMessage(reply: Reply): DiscordMessage {
  // A title or fields mean a card (a lesson, progress); text too long for a message also goes in an embed (4096).
  const asEmbed = Boolean(reply.title?.trim() || reply.fields?.length || reply.text.length > DISCORD.contentMax);
  const files = attachmentsOf(reply);
  const components = buttonRows(reply.actions ?? []);
  // Discord refuses a message with nothing to show (buttons alone are not enough).
  const content = asEmbed ? undefined : reply.text.trim() ? reply.text : files.length ? undefined : '\u200b';
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
        ...(field.value ? { value: field.value.slice(0, Math.min(field.maxLength, DISCORD.textInputMax)) } : {}),
        ...(field.placeholder ? { placeholder: clamp(field.placeholder, DISCORD.placeholderMax) } : {}),
      },
    })),
  };
}

const size = (bytes: number) =>
  bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Leaves out files bigger than Discord lets this interaction upload (`attachment_size_limit`: 10 MB, more in
 * boosted servers), saying so in the message, instead of Discord refusing the whole answer (40005).
 */
export function withinUploadLimit(message: DiscordMessage, limitBytes: number | undefined): DiscordMessage {
  if (!limitBytes) return message;
  const tooBig = message.files.filter((f) => f.data.byteLength > limitBytes);
  if (!tooBig.length) return message;
  const note = tooBig.map((f) => `${f.name} (${size(f.data.byteLength)}) is too big to attach here: Discord's limit is ${size(limitBytes)}.`).join('\n');
  const content = clamp([message.content?.replace(/^\u200b$/, ''), note].filter(Boolean).join('\n\n'), DISCORD.contentMax);
  return { ...message, content, files: message.files.filter((f) => f.data.byteLength <= limitBytes) };
}

/**
 * A modal can only be the first answer to an interaction. When the answer had to be deferred (slow work) or
 * the interaction was itself a modal submit, show the text with a button that opens the form on the next
 * press: `reopen` is that button's custom_id (the modal's own reopen action, or the press that led here).
 */
export function modalFallback(reply: Reply & { modal: Modal }, reopen: string | null): DiscordMessage {
  const message = renderMessage({ text: reply.text || `Open the form: ${reply.modal.title}` });
  if (!reopen) return { ...message, content: `${message.content ?? ''}\n(Run the command again to open the form.)`.trim() };
  const button: APIButtonComponentWithCustomId = {
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: clamp(reply.modal.title, DISCORD.buttonLabelMax),
    custom_id: reopen,
  };
  return { ...message, components: [{ type: ComponentType.ActionRow, components: [button] }] };
}

// Reply -> Block Kit: a header, mrkdwn sections within Slack's limits, fields, button rows, and a plain
// `text` fallback (notifications, screen readers, clients without blocks).
import type { ActionsBlock, Button as SlackButton, KnownBlock, SectionBlock } from '@slack/types';
import { encodeAction, type Button, type Field, type Reply } from '../../core/reply.js';
import {
  ACTION_ID_MAX,
  ACTIONS_ELEMENTS_MAX,
  BUTTON_TEXT_MAX,
  FALLBACK_TEXT_MAX,
  FIELD_TEXT_MAX,
  HEADER_TEXT_MAX,
  INLINE_FILE_MAX,
  MESSAGE_BLOCKS_MAX,
  SECTION_FIELDS_MAX,
  SECTION_TEXT_MAX,
} from './limits.js';
import { escapeControl, neutralize, toMrkdwn, truncate, userMention } from './mrkdwn.js';

/** A file for files.uploadV2: text (an export) or bytes (a PNG chart, with its alt text). */
export type FileToUpload = { name: string; content: string; alt?: undefined } | { name: string; content: Uint8Array; alt: string };

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  /** Files and pictures that go up with files.uploadV2 next to the message (the caller uploads them). */
  uploads: FileToUpload[];
}

/**
 * Text meant to be read (JSON, plain text, Markdown) is shown inline as a code block when it is small;
 * anything else (a CSV opens in a spreadsheet) and anything bigger is uploaded as a file.
 */
const READABLE_INLINE = /\.(json|txt|md)$/i;
const showInline = (file: { name: string; content: string }) => READABLE_INLINE.test(file.name) && file.content.length + file.name.length <= INLINE_FILE_MAX;

const FENCE = '```';

/** Splits mrkdwn into chunks of at most `max` characters on line breaks, closing and reopening code fences. */
export function splitSections(text: string, max = SECTION_TEXT_MAX): string[] {
  const room = max - FENCE.length * 2 - 2;
  const pieces = text.split('\n').flatMap((line) => {
    const parts: string[] = [];
    for (let i = 0; i < line.length; i += room) parts.push(line.slice(i, i + room));
    return parts.length ? parts : [''];
  });
  const chunks: string[] = [];
  let current: string | null = null;
  let inFence = false;
  for (const piece of pieces) {
    const candidate: string = current === null ? piece : `${current}\n${piece}`;
    if (current !== null && candidate.length + (inFence ? FENCE.length + 1 : 0) > max) {
      chunks.push(inFence ? `${current}\n${FENCE}` : current);
      current = inFence ? `${FENCE}\n${piece}` : piece;
    } else {
      current = candidate;
    }
    if ((piece.split(FENCE).length - 1) % 2 === 1) inFence = !inFence;
  }
  if (current !== null && current.trim()) chunks.push(current);
  return chunks.filter((c) => c.trim());
}

const section = (text: string): SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

function fieldBlocks(fields: Field[]): SectionBlock[] {
  const blocks: SectionBlock[] = [];
  let inline: SectionBlock | null = null;
  for (const field of fields) {
    const text = toMrkdwn(`**${field.name}**\n${field.value}`);
    if (field.inline) {
      if (!inline || inline.fields!.length >= SECTION_FIELDS_MAX) {
        inline = { type: 'section', fields: [] };
        blocks.push(inline);
      }
      inline.fields!.push({ type: 'mrkdwn', text: truncate(text, FIELD_TEXT_MAX) });
    } else {
      inline = null;
      blocks.push(section(truncate(text, SECTION_TEXT_MAX)));
    }
  }
  return blocks;
}

function fileBlock(file: { name: string; content: string }): SectionBlock {
  // Verbatim in a code block: escaped, not converted, so JSON stays JSON.
  return section(neutralize(`📎 *${escapeControl(file.name)}*\n${FENCE}\n${escapeControl(file.content)}\n${FENCE}`));
}

const STYLES: Partial<Record<NonNullable<Button['style']>, SlackButton['style']>> = { primary: 'primary', success: 'primary', danger: 'danger' };

/** One actions block per row; action_id must be unique in a message, so repeats get a suffix. */
function actionBlocks(rows: Button[][]): ActionsBlock[] {
  const used = new Set<string>();
  return rows
    .filter((row) => row.length > 0)
    .map((row) => ({
      type: 'actions' as const,
      elements: row.slice(0, ACTIONS_ELEMENTS_MAX).map((button): SlackButton => {
        const value = encodeAction(button.action);
        let actionId = value;
        for (let n = 2; used.has(actionId); n++) actionId = `${value}~${n}`;
        used.add(actionId);
        const style = button.style ? STYLES[button.style] : undefined;
        return {
          type: 'button',
          text: { type: 'plain_text', text: truncate(button.label, BUTTON_TEXT_MAX), emoji: true },
          action_id: actionId.slice(0, ACTION_ID_MAX),
          value,
          ...(style ? { style } : {}),
        };
      }),
    }));
}

/** The reply's text as mrkdwn, with the one allowed mention in front. */
function bodyText(reply: Reply): string {
  const mention = reply.mentionUser ? userMention(reply.mentionUser) : null;
  const text = toMrkdwn(reply.text);
  return mention ? `${mention} ${text}` : text;
}

export function renderBlocks(reply: Reply, maxBlocks = MESSAGE_BLOCKS_MAX): { blocks: KnownBlock[]; uploads: FileToUpload[] } {
  const head: KnownBlock[] = reply.title
    ? [{ type: 'header', text: { type: 'plain_text', text: truncate(reply.title, HEADER_TEXT_MAX), emoji: true } }]
    : [];
  const files = reply.files ?? [];
  const inline = files.filter(showInline);
  const uploads: FileToUpload[] = [
    ...(reply.images ?? []).map((image): FileToUpload => ({ name: image.name, content: image.data, alt: image.alt })),
    ...files.filter((f) => !inline.includes(f)).map((f): FileToUpload => ({ name: f.name, content: f.content })),
  ];
  const content: KnownBlock[] = [...splitSections(bodyText(reply)).map(section), ...fieldBlocks(reply.fields ?? []), ...inline.map(fileBlock)];
  const actions = actionBlocks(reply.actions ?? []);
  const room = maxBlocks - head.length - actions.length;
  if (content.length > room) {
    // Buttons matter more than the tail of a long text: keep them and say what was cut.
    content.splice(Math.max(room - 1, 0));
    content.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '_(shortened to fit in Slack)_' }] });
  }
  return { blocks: [...head, ...content, ...actions].slice(0, maxBlocks), uploads };
}

/** Plain fallback for notifications and clients without Block Kit; mrkdwn-escaped like the blocks. */
export function fallbackText(reply: Reply): string {
  const title = reply.title ? `${toMrkdwn(`**${reply.title}**`)}\n` : '';
  return truncate(`${title}${bodyText(reply)}`, FALLBACK_TEXT_MAX) || ' ';
}

export function renderMessage(reply: Reply, maxBlocks = MESSAGE_BLOCKS_MAX): SlackMessage {
  return { ...renderBlocks(reply, maxBlocks), text: fallbackText(reply) };
}

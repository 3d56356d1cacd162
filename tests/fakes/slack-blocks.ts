// What real Slack would refuse in a Block Kit payload (invalid_blocks), so the fake refuses it too.
// Limits from https://docs.slack.dev/reference/block-kit/blocks and .../block-elements.
import type { KnownBlock } from '@slack/types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function textProblems(where: string, text: unknown, max: number, kinds: string[] = ['plain_text', 'mrkdwn']): string[] {
  if (!isObject(text)) return [`${where}: text object missing`];
  const problems: string[] = [];
  if (!kinds.includes(String(text.type))) problems.push(`${where}: text type ${String(text.type)} not allowed`);
  if (typeof text.text !== 'string' || text.text.length === 0) problems.push(`${where}: empty text`);
  else if (text.text.length > max) problems.push(`${where}: text is ${text.text.length} chars, max ${max}`);
  return problems;
}

/** Problems Slack would report for these blocks; empty when valid. */
export function blockProblems(blocks: unknown, maxBlocks: number): string[] {
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks, max ${maxBlocks}`);
  blocks.forEach((raw: unknown, i) => {
    const where = `blocks[${i}]`;
    if (!isObject(raw)) return problems.push(`${where}: not an object`);
    const block = raw as unknown as KnownBlock;
    switch (block.type) {
      case 'header':
        problems.push(...textProblems(where, block.text, 150, ['plain_text']));
        break;
      case 'section': {
        if (!block.text && !block.fields) problems.push(`${where}: section needs text or fields`);
        if (block.text) problems.push(...textProblems(where, block.text, 3000));
        if (block.fields) {
          if (block.fields.length > 10) problems.push(`${where}: ${block.fields.length} fields, max 10`);
          block.fields.forEach((f, j) => problems.push(...textProblems(`${where}.fields[${j}]`, f, 2000)));
        }
        break;
      }
      case 'actions': {
        if (!block.elements.length || block.elements.length > 25) problems.push(`${where}: ${block.elements.length} elements, 1 to 25 allowed`);
        const ids = new Set<string>();
        block.elements.forEach((el, j) => {
          const at = `${where}.elements[${j}]`;
          if (el.type !== 'button') return problems.push(`${at}: unexpected element ${el.type}`);
          problems.push(...textProblems(at, el.text, 75, ['plain_text']));
          if (!el.action_id || el.action_id.length > 255) problems.push(`${at}: action_id missing or over 255`);
          else if (ids.has(el.action_id)) problems.push(`${at}: duplicate action_id ${el.action_id}`);
          else ids.add(el.action_id);
          if (el.value !== undefined && el.value.length > 2000) problems.push(`${at}: value over 2000`);
          if (el.style !== undefined && !['primary', 'danger'].includes(el.style)) problems.push(`${at}: style ${el.style}`);
        });
        break;
      }
      case 'context':
        if (!block.elements.length || block.elements.length > 10) problems.push(`${where}: context needs 1 to 10 elements`);
        block.elements.forEach((el, j) => problems.push(...textProblems(`${where}.elements[${j}]`, el, 3000)));
        break;
      case 'divider':
        break;
      case 'input': {
        problems.push(...textProblems(`${where}.label`, block.label, 2000, ['plain_text']));
        const el = block.element;
        if (el.type !== 'plain_text_input') problems.push(`${where}: unexpected input ${el.type}`);
        else {
          if (!el.action_id || el.action_id.length > 255) problems.push(`${where}: input action_id missing or over 255`);
          if (el.max_length !== undefined && (el.max_length < 1 || el.max_length > 3000)) problems.push(`${where}: max_length ${el.max_length}, 1 to 3000 allowed`);
          if (el.initial_value !== undefined && el.initial_value.length > (el.max_length ?? 3000)) problems.push(`${where}: initial_value longer than max_length`);
        }
        break;
      }
      default:
        problems.push(`${where}: unexpected block type ${(block as { type: string }).type}`);
    }
  });
  return problems;
}

/** Every `<!…>` or `<@…>` sequence in a payload: Slack turns them into pings. */
export function pings(payload: unknown): string[] {
  return [...JSON.stringify(payload ?? null).matchAll(/<[!@][^>"]*>/g)].map((m) => m[0]);
}

// Reply -> plain text for a terminal: buttons become numbered options.
import type { Button, Reply } from '../../core/reply.js';

export interface Rendered {
  text: string;
  /** Buttons in the order they are numbered, so "2" presses the second. */
  buttons: Button[];
}

export function renderReply(reply: Reply, firstNumber = 1): Rendered {
  const lines: string[] = [];
  if (reply.title) lines.push(`── ${reply.title} ──`);
  if (reply.text) lines.push(reply.text);
  for (const field of reply.fields ?? []) lines.push(`${field.name}: ${field.value}`);
  const buttons = (reply.actions ?? []).flat();
  const labels = buttons.map((b, i) => `[${firstNumber + i}] ${b.label}`);
  // Short buttons share a line; long ones (quiz choices) get a line each so they stay readable.
  if (labels.length) lines.push(labels.join('  ').length <= 80 ? labels.join('  ') : labels.join('\n'));
  for (const file of reply.files ?? []) lines.push(`📎 ${file.name}\n${file.content}`);
  for (const image of reply.images ?? []) lines.push(`🖼 ${image.name}: ${image.alt}`);
  return { text: lines.join('\n'), buttons };
}

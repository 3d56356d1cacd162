// Modal -> views.open payload, and a submitted view back to form fields.
// callback_id carries the form (encodeForm); private_metadata says where to answer after submission.
import type { InputBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { encodeForm, type Modal } from '../../core/reply.js';
import { CALLBACK_ID_MAX, INPUT_LABEL_MAX, MODAL_TITLE_MAX, PLACEHOLDER_MAX, PRIVATE_METADATA_MAX } from './limits.js';
import { truncate } from './mrkdwn.js';

/** Where the modal was opened from, so the submission's reply lands there. */
export interface ModalOrigin {
  /** The response_url of the slash command or message button that opened the modal (valid 30 minutes). */
  responseUrl?: string;
  /** Opened from the App Home tab: the reply goes on the Home view. */
  home?: boolean;
}

const originSchema = z.object({ responseUrl: z.url({ protocol: /^https?$/ }).optional(), home: z.boolean().optional() });

export function modalView(modal: Modal, origin: ModalOrigin): ModalView {
  const metadata = JSON.stringify(origin);
  return {
    type: 'modal',
    callback_id: encodeForm(modal.form).slice(0, CALLBACK_ID_MAX),
    // A response_url is far below the limit; drop the origin rather than fail if that ever changes.
    private_metadata: metadata.length <= PRIVATE_METADATA_MAX ? metadata : '{}',
    title: { type: 'plain_text', text: truncate(modal.title, MODAL_TITLE_MAX) },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: modal.fields.map(
      (field): InputBlock => ({
        type: 'input',
        block_id: field.name,
        optional: !field.required,
        label: { type: 'plain_text', text: truncate(field.label, INPUT_LABEL_MAX) },
        element: {
          type: 'plain_text_input',
          action_id: field.name,
          multiline: field.multiline ?? false,
          max_length: field.maxLength,
          ...(field.placeholder ? { placeholder: { type: 'plain_text' as const, text: truncate(field.placeholder, PLACEHOLDER_MAX) } } : {}),
        },
      }),
    ),
  };
}

/** Reads private_metadata back; anything unexpected means "no origin" rather than an error. */
export function parseOrigin(privateMetadata: string | undefined): ModalOrigin {
  if (!privateMetadata) return {};
  try {
    const parsed = originSchema.safeParse(JSON.parse(privateMetadata));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

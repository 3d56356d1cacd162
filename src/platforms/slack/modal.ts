// Modal -> views.open payload (fields pre-filled from earlier answers), and what to show instead when a
// modal cannot open in time (a button that opens it). callback_id carries the form (encodeForm);
// private_metadata says where to answer after submission.
import type { InputBlock, ModalView } from '@slack/types';
import { z } from 'zod';
import { parseAction } from '../../app/actions.js';
import type { InboundRequest } from '../../app/inbound.js';
import {
  COHORT_RUNNABLE_VERBS,
  encodeForm,
  RUNNABLE_VERBS,
  type ActionId,
  type CohortRunnableVerb,
  type FormId,
  type Modal,
  type Reply,
  type RunnableVerb,
} from '../../core/reply.js';
import { CALLBACK_ID_MAX, INPUT_LABEL_MAX, MODAL_TITLE_MAX, PLACEHOLDER_MAX, PRIVATE_METADATA_MAX, TEXT_INPUT_MAX } from './limits.js';
import { truncate } from './mrkdwn.js';

/** Where the modal was opened from, so the submission's reply lands there. */
export interface ModalOrigin {
  /** The response_url of the slash command or message button that opened the modal (valid 30 minutes). */
  responseUrl?: string;
  /** Opened from the App Home tab: the reply goes on the Home view. */
  home?: boolean;
}

const originSchema = z.object({ responseUrl: z.url({ protocol: /^https?$/ }).optional(), home: z.boolean().optional() });

/** What the modal's submit button says: what pressing it does. */
const SUBMIT_LABELS: Record<FormId['kind'], string> = { practice: 'Save', submit: 'Submit', changes: 'Send', challenge: 'Post' };

export function modalView(modal: Modal, origin: ModalOrigin): ModalView {
  const metadata = JSON.stringify(origin);
  return {
    type: 'modal',
    callback_id: encodeForm(modal.form).slice(0, CALLBACK_ID_MAX),
    // A response_url is far below the limit; drop the origin rather than fail if that ever changes.
    private_metadata: metadata.length <= PRIVATE_METADATA_MAX ? metadata : '{}',
    title: { type: 'plain_text', text: truncate(modal.title, MODAL_TITLE_MAX) },
    submit: { type: 'plain_text', text: SUBMIT_LABELS[modal.form.kind] },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: modal.fields.map((field): InputBlock => {
      const maxLength = Math.min(field.maxLength, TEXT_INPUT_MAX);
      return {
        type: 'input',
        block_id: field.name,
        optional: !field.required,
        label: { type: 'plain_text', text: truncate(field.label, INPUT_LABEL_MAX) },
        element: {
          type: 'plain_text_input',
          action_id: field.name,
          multiline: field.multiline ?? false,
          max_length: maxLength,
          // Editing an earlier answer: the form opens filled in (never longer than the input allows).
          ...(field.value ? { initial_value: field.value.slice(0, maxLength) } : {}),
          ...(field.placeholder ? { placeholder: { type: 'plain_text' as const, text: truncate(field.placeholder, PLACEHOLDER_MAX) } } : {}),
        },
      };
    }),
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

/**
 * What opens the form again when it could not be opened (the trigger_id lives 3 seconds): the modal's own
 * reopen action, the button that was pressed, or the same argument-free command.
 */
export function reopenAction(request: InboundRequest, modal: Modal): ActionId | null {
  if (modal.reopen) return modal.reopen;
  if (request.type === 'action') return parseAction(request.actionId);
  if (request.type !== 'command') return null;
  if (request.group === 'cohort') {
    const verb = request.verb.replace(' ', '-');
    return (COHORT_RUNNABLE_VERBS as readonly string[]).includes(verb) ? { kind: 'cohort', verb: verb as CohortRunnableVerb } : null;
  }
  return (RUNNABLE_VERBS as readonly string[]).includes(request.verb) ? { kind: 'run', verb: request.verb as RunnableVerb } : null;
}

/** The reply shown instead of a form that could not open: its text and, when possible, a button that opens it. */
export function modalFallback(reply: Reply & { modal: Modal }, reopen: ActionId | null): Reply {
  const text = reply.text || reply.modal.title;
  if (!reopen) return { text: `${text}\n_(The form could not open in time. Please try again.)_`, ephemeral: true };
  return {
    text: `${text}\n_(The form could not open in time: press the button to open it.)_`,
    actions: [[{ action: reopen, label: reply.modal.title, style: 'primary' }]],
    ephemeral: true,
  };
}

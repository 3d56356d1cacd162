// The neutral reply every platform renders: Markdown text, optional fields, buttons, a modal, flags.

/** What a button does when pressed; serialised into at most 100 characters (Discord custom_id). */
export type ActionId =
  | { kind: 'quiz'; deliveryId: number }
  | { kind: 'answer'; deliveryId: number; question: number; choice: number }
  | { kind: 'practice'; deliveryId: number }
  | { kind: 'review'; questionId: string; choice: number }
  | { kind: 'run'; verb: RunnableVerb }
  | { kind: 'forget'; learnerId: number };

/** Verbs a button may run on the presser's behalf (no arguments needed). */
export const RUNNABLE_VERBS = ['today', 'quiz', 'review', 'streak', 'progress', 'resume', 'practice', 'help'] as const;
export type RunnableVerb = (typeof RUNNABLE_VERBS)[number];

export const ACTION_ID_MAX = 100;
export const ACTION_VERSION = 'v1';

export function encodeAction(action: ActionId): string {
  const parts: (string | number)[] = (() => {
    switch (action.kind) {
      case 'quiz':
        return ['quiz', action.deliveryId];
      case 'answer':
        return ['ans', action.deliveryId, action.question, action.choice];
      case 'practice':
        return ['prac', action.deliveryId];
      case 'review':
        return ['rev', action.questionId, action.choice];
      case 'run':
        return ['run', action.verb];
      case 'forget':
        return ['forget', action.learnerId];
    }
  })();
  const encoded = [ACTION_VERSION, ...parts].join(':');
  if (encoded.length > ACTION_ID_MAX) throw new Error(`action id too long (${encoded.length}): ${encoded}`);
  return encoded;
}

export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

export interface Button {
  action: ActionId;
  label: string;
  style?: ButtonStyle;
}

export interface ModalField {
  name: string;
  label: string;
  placeholder?: string;
  multiline?: boolean;
  required: boolean;
  maxLength: number;
}

/** A form the platform shows (Discord/Slack modal; the playground asks field by field). */
export interface Modal {
  form: FormId;
  title: string;
  fields: ModalField[];
}

export type FormId = { kind: 'practice'; deliveryId: number | null };

export interface Field {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Reply {
  /** Markdown in the subset both Discord and Slack show. */
  text: string;
  title?: string;
  fields?: Field[];
  /** Rows of buttons, in order. */
  actions?: Button[][];
  /** Only the person who asked sees it (Discord ephemeral, Slack ephemeral/response_url). */
  ephemeral?: boolean;
  /** Replace the message the pressed button belongs to instead of posting a new one. */
  update?: boolean;
  /** Show a form instead of a message. */
  modal?: Modal;
  /** The one person this message may ping (a platform user id); everyone else stays unpinged. */
  mentionUser?: string;
  /** Files attached to the message (an export, a CSV). */
  files?: { name: string; content: string }[];
}

export function encodeForm(form: FormId): string {
  return [ACTION_VERSION, 'form', form.kind, form.deliveryId ?? 0].join(':');
}

export const reply = (text: string, extra: Omit<Reply, 'text'> = {}): Reply => ({ text, ...extra });

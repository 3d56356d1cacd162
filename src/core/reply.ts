// The neutral reply every platform renders: Markdown text, optional fields, buttons, a modal, flags.

/** What a button does when pressed; serialised into at most 100 characters (Discord custom_id). */
export type ActionId =
  | { kind: 'quiz'; deliveryId: number }
  | { kind: 'answer'; deliveryId: number; question: number; choice: number }
  | { kind: 'practice'; deliveryId: number }
  | { kind: 'review'; questionId: string; choice: number }
  | { kind: 'run'; verb: RunnableVerb }
  /** Confirms `/learn forget`; `armedAt` (epoch ms) names the arming it confirms (app/commands/forget.ts). */
  | { kind: 'forget'; learnerId: number; armedAt: number }
  /** A learner opens the submission form of a challenge (the Submit button on a cohort post). */
  | { kind: 'submit'; challengeId: number }
  /** A lead accepts a submission, or opens the form to request changes. */
  | { kind: 'accept'; submissionId: number }
  | { kind: 'changes'; submissionId: number }
  /** A lead runs an argument-free `/cohort` verb (Next in the review queue, New challenge). */
  | { kind: 'cohort'; verb: CohortRunnableVerb };

/** Verbs a button may run on the presser's behalf (no arguments needed). */
export const RUNNABLE_VERBS = ['today', 'quiz', 'review', 'streak', 'progress', 'resume', 'practice', 'help', 'challenges', 'leaderboard'] as const;
export type RunnableVerb = (typeof RUNNABLE_VERBS)[number];

/** `/cohort` verbs a button may run (encoded with '-' for the space: `challenge-new`). Leads are re-checked. */
export const COHORT_RUNNABLE_VERBS = ['review', 'challenge-new', 'challenge-list', 'stats', 'help'] as const;
export type CohortRunnableVerb = (typeof COHORT_RUNNABLE_VERBS)[number];

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
        return ['forget', action.learnerId, action.armedAt];
      case 'submit':
        return ['sub', action.challengeId];
      case 'accept':
        return ['acc', action.submissionId];
      case 'changes':
        return ['chg', action.submissionId];
      case 'cohort':
        return ['co', action.verb];
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
  /** Pre-filled text (editing an earlier submission). */
  value?: string;
}

/** A form the platform shows (Discord/Slack modal; the playground asks field by field). */
export interface Modal {
  form: FormId;
  title: string;
  fields: ModalField[];
  /** A button that opens this form again, for platforms that must defer a modal (Discord after a slow answer). */
  reopen?: ActionId;
}

// Forms other than practice say `deliveryId?: undefined` so code reading `form.deliveryId` keeps compiling.
export type FormId =
  | { kind: 'practice'; deliveryId: number | null }
  /** A learner's link and note for a challenge. */
  | { kind: 'submit'; challengeId: number; deliveryId?: undefined }
  /** A lead's feedback when requesting changes to a submission. */
  | { kind: 'changes'; submissionId: number; deliveryId?: undefined }
  /** A lead's new challenge: title, description, acceptance criteria, deadline, points. */
  | { kind: 'challenge'; deliveryId?: undefined };

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
  /**
   * A refused form names the one field at fault (a ModalField name), so a platform that asks field by
   * field (the playground) keeps the other answers and asks for that one again.
   */
  invalidField?: string;
  /** The one person this message may ping (a platform user id); everyone else stays unpinged. */
  mentionUser?: string;
  /** Files attached to the message (an export, a CSV). */
  files?: { name: string; content: string }[];
  /** Pictures attached to the message (a chart); the numbers are always in the text too. */
  images?: ReplyImage[];
}

export interface ReplyImage {
  /** File name, e.g. cohort-stats.png. */
  name: string;
  /** PNG bytes. */
  data: Uint8Array;
  /** What the picture shows, for screen readers and platforms that cannot show it. */
  alt: string;
}

/** Form kinds as written in a form id: `v1:form:<tag>:<id>`. */
export const FORM_TAGS = { practice: 'practice', submit: 'sub', changes: 'chg', challenge: 'chal' } as const;

export function encodeForm(form: FormId): string {
  const id = form.kind === 'practice' ? (form.deliveryId ?? 0) : form.kind === 'submit' ? form.challengeId : form.kind === 'changes' ? form.submissionId : 0;
  return [ACTION_VERSION, 'form', FORM_TAGS[form.kind], id].join(':');
}

export const reply = (text: string, extra: Omit<Reply, 'text'> = {}): Reply => ({ text, ...extra });

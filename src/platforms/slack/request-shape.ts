// What a signed body must look like before Bolt reads it. Bolt 5.1 reads fields without checking them
// (`body.ssl_check` of a null body rejects a promise nobody awaits; `'channel' in event` of a string
// event throws), and it never answers a body no listener acks until 3 s pass. So each kind is checked
// here, in the order Bolt's getTypeAndConversation classifies bodies, with the fields Bolt and our
// listeners read typed as they read them; anything else is refused with 400, or ignored with 200 when it
// is a kind of Slack request this app has no listener for.
import { z } from 'zod';
import { COHORT_COMMAND } from './inbound.js';

/** The slash commands handlers.ts listens for. */
const COMMANDS = ['/learn', COHORT_COMMAND];

/** Kinds Slack may send that no listener of ours acks: answered 200 here, so Slack stops waiting. */
const IGNORED_TYPES = new Set(['block_suggestion', 'dialog_suggestion', 'dialog_submission', 'dialog_cancellation', 'interactive_message', 'shortcut', 'message_action', 'view_closed', 'app_rate_limited']);

const record = z.looseObject({});
const text = z.string().optional();
/** Bolt reads `team.id`, `enterprise.id` unless they are null (org-wide installs send null). */
const team = z.looseObject({ id: text, enterprise_id: text }).nullish();
const enterprise = z.looseObject({ id: text }).nullish();
const user = z.looseObject({ id: z.string(), team_id: text });
const channel = z.looseObject({ id: text }).optional();
/** Bolt's classification would take a body with these for another kind than its `type` says. */
const absent = z.never().optional();

const event = z.looseObject({
  type: z.string(),
  // Bolt uses `in` and property reads on these when they are present: strings or objects only.
  channel: z.union([z.string(), record]).optional(),
  user: z.union([z.string(), record]).optional(),
  item: record.optional(),
  subteam: record.optional(),
});

/** Fields our event listeners (handlers.ts, install-events.ts) read, per event type. */
const EVENT_FIELDS: Record<string, z.ZodType> = {
  app_home_opened: z.looseObject({ user: z.string() }),
  tokens_revoked: z.looseObject({ tokens: z.looseObject({ bot: z.array(z.string()).optional(), oauth: z.array(z.string()).optional() }) }),
  team_access_granted: z.looseObject({ team_ids: z.array(z.string()) }),
  team_access_revoked: z.looseObject({ team_ids: z.array(z.string()) }),
};

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string(),
  team_id: text,
  enterprise_id: z.string().nullish(),
  authorizations: z.array(z.looseObject({ team_id: z.string().nullish(), enterprise_id: z.string().nullish(), is_enterprise_install: z.boolean().optional() })).optional(),
  event: event.superRefine((value, ctx) => {
    const fields = EVENT_FIELDS[value.type]?.safeParse(value);
    if (fields && !fields.success) ctx.addIssue({ code: 'custom', message: `not the shape of a ${value.type} event` });
  }),
});

const slashCommand = z.looseObject({
  command: z.string(),
  text,
  team_id: z.string(),
  user_id: z.string(),
  user_name: text,
  channel_id: text,
  enterprise_id: text,
  is_enterprise_install: text,
  response_url: text,
  trigger_id: text,
});

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  name: absent,
  actions: z.array(z.looseObject({ action_id: z.string(), value: text })).min(1),
  user,
  team,
  enterprise,
  channel,
  view: record.optional(),
  response_url: text,
  function_data: record.optional(),
});

const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  name: absent,
  actions: absent,
  view: z.looseObject({ callback_id: text, app_installed_team_id: text, private_metadata: text }),
  user,
  team,
  enterprise,
  response_urls: z.array(z.looseObject({ response_url: z.string() })).optional(),
});

const urlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: z.string() });

export type Screened =
  /** Hand it to Bolt; `eventId` for Events API bodies, to drop Slack's retries of it. */
  | { verdict: 'pass'; eventId?: string }
  /** A Slack request no listener here takes: answer 200 and do nothing. */
  | { verdict: 'ignore'; kind: string }
  | { verdict: 'refuse'; problem: string };

function check(schema: z.ZodType, body: unknown, kind: string): Screened {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { verdict: 'pass' };
  // Paths and zod's words only: the values may be anything a sender put there.
  const first = parsed.error.issues[0]!;
  return { verdict: 'refuse', problem: `not the shape of a ${kind}: ${first.path.join('.') || 'body'} ${first.message}` };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Decides what to do with a parsed body (Bolt's own parse of the raw body, so both see the same value). */
export function screenBody(body: unknown): Screened {
  if (!isRecord(body)) return { verdict: 'refuse', problem: `the body is ${body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`}, not an object` };
  // Bolt answers these itself, before reading anything else.
  if (body.ssl_check === '1') return { verdict: 'pass' };
  if (body.type === 'url_verification') return check(urlVerification, body, 'URL verification');
  if (body.event !== undefined) {
    const screened = check(eventCallback, body, 'Events API request');
    return screened.verdict === 'pass' ? { verdict: 'pass', eventId: body.event_id as string } : screened;
  }
  if (body.command !== undefined) {
    if (typeof body.command === 'string' && !COMMANDS.includes(body.command)) return { verdict: 'ignore', kind: 'slash command' };
    return check(slashCommand, body, 'slash command');
  }
  if (body.type === 'block_actions') return check(blockActions, body, 'button press');
  if (body.type === 'view_submission') return check(viewSubmission, body, 'form submission');
  if (typeof body.type === 'string' && IGNORED_TYPES.has(body.type)) return { verdict: 'ignore', kind: body.type };
  return { verdict: 'refuse', problem: 'not a kind of Slack request this app knows' };
}

// Slack payloads -> the neutral Inbound. Every payload is parsed with zod; anything unexpected is null.
// The community is the Slack team (workspace), the user is the Slack user who acted.
import { z } from 'zod';
import { parseAction, parseForm } from '../../app/actions.js';
import { parseCohortText, parseCommandText } from '../../app/grammar.js';
import type { Inbound, InboundRequest } from '../../app/inbound.js';

/** The cohort tools' command; everything else (`/learn`) uses the learner grammar. */
export const COHORT_COMMAND = '/cohort';

const id = z.string().regex(/^[A-Z0-9]{2,32}$/, 'a Slack id');
const team = z.object({ id, domain: z.string().optional() }).nullish();

/** A conversation id as Slack writes them (C…, G…, D…), or nothing. */
const conversation = (channelId: string | undefined) => (channelId && /^[CGD][A-Z0-9]{2,32}$/.test(channelId) ? channelId : undefined);

/** A DM (D…) is not a community channel; public (C…) and private (G…) channels are. */
const communityChannel = (channelId: string | undefined) => (channelId && !channelId.startsWith('D') ? channelId : undefined);

function inbound(teamId: string, domain: string | undefined, user: { id: string; name?: string }, channelId: string | undefined, request: InboundRequest): Inbound {
  const channel = communityChannel(channelId);
  return {
    community: { platform: 'slack', externalId: teamId, ...(domain ? { name: domain } : {}) },
    user: { externalId: user.id, displayName: user.name || user.id },
    ...(channel ? { channelId: channel } : {}),
    request,
  };
}

const slashSchema = z.object({
  command: z.string(),
  text: z.string().max(4000).default(''),
  user_id: id,
  user_name: z.string().optional(),
  team_id: id,
  team_domain: z.string().optional(),
  channel_id: z.string().optional(),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
});

export interface SlashRequest {
  inbound: Inbound;
  command: string;
  /** Where the command was typed (a DM's D… id too), for files shared with everyone there. */
  channelId?: string;
  responseUrl?: string;
  triggerId?: string;
}

/**
 * `/learn start Europe/Berlin 09:00` or `/cohort channel <#C123|cohort>` -> a command request, with the
 * playground's grammars. With `should_escape` (the manifest sets it) Slack sends mentions as `<#C…|name>`,
 * `<@U…|name>` and `<!subteam^S…|@handle>`, which the cohort argument parsers read as ids.
 */
export function fromSlashCommand(body: unknown): SlashRequest | null {
  const parsed = slashSchema.safeParse(body);
  if (!parsed.success) return null;
  const c = parsed.data;
  const request = c.command === COHORT_COMMAND ? parseCohortText(c.text) : parseCommandText(c.text);
  return {
    inbound: inbound(c.team_id, c.team_domain, { id: c.user_id, name: c.user_name }, c.channel_id, request),
    command: c.command,
    channelId: conversation(c.channel_id),
    responseUrl: c.response_url,
    triggerId: c.trigger_id,
  };
}

const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  team,
  user: z.object({ id, name: z.string().optional(), username: z.string().optional(), team_id: id.optional() }),
  actions: z.array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() })).min(1),
  channel: z.object({ id: z.string() }).optional(),
  container: z.object({ type: z.string(), is_ephemeral: z.boolean().optional() }).optional(),
  view: z.object({ type: z.string() }).optional(),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
});

/** Where the pressed button lives: a message, the App Home tab, or a modal. */
export type ActionSource = 'message' | 'home' | 'modal';

export interface ActionRequest {
  inbound: Inbound;
  source: ActionSource;
  /** The conversation of the pressed message (a DM's D… id too). */
  channelId?: string;
  /** The pressed message was visible only to the presser. */
  ephemeral: boolean;
  responseUrl?: string;
  triggerId?: string;
}

export function fromBlockActions(body: unknown): ActionRequest | null {
  const parsed = blockActionsSchema.safeParse(body);
  if (!parsed.success) return null;
  const b = parsed.data;
  const teamId = b.team?.id ?? b.user.team_id;
  if (!teamId) return null;
  const action = b.actions[0]!;
  // The value is the encoded action; action_id is the same string, made unique with a ~n suffix.
  const actionId = action.value ?? action.action_id.replace(/~\d+$/, '');
  const source: ActionSource = b.view?.type === 'home' ? 'home' : b.view?.type === 'modal' ? 'modal' : 'message';
  return {
    inbound: inbound(teamId, b.team?.domain, { id: b.user.id, name: b.user.name ?? b.user.username }, b.channel?.id, { type: 'action', actionId }),
    source,
    channelId: conversation(b.channel?.id),
    ephemeral: b.container?.is_ephemeral ?? false,
    responseUrl: b.response_url,
    triggerId: b.trigger_id,
  };
}

const viewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  team,
  user: z.object({ id, name: z.string().optional(), team_id: id.optional() }),
  view: z.object({
    callback_id: z.string().max(255),
    private_metadata: z.string().max(3000).optional(),
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().max(10_000).nullish() }))),
    }),
  }),
});

export interface FormRequest {
  inbound: Inbound;
  privateMetadata?: string;
}

export function fromViewSubmission(body: unknown): FormRequest | null {
  const parsed = viewSubmissionSchema.safeParse(body);
  if (!parsed.success) return null;
  const b = parsed.data;
  const teamId = b.team?.id ?? b.user.team_id;
  if (!teamId) return null;
  // Our modals use one input per block, with block_id and action_id both set to the field's name.
  const fields: Record<string, string | undefined> = {};
  for (const block of Object.values(b.view.state.values)) {
    for (const [name, input] of Object.entries(block)) fields[name] = input.value ?? undefined;
  }
  return {
    inbound: inbound(teamId, b.team?.domain, b.user, undefined, { type: 'form', formId: b.view.callback_id, fields }),
    privateMetadata: b.view.private_metadata,
  };
}

const homeOpenedSchema = z.object({
  team_id: id.optional(),
  event: z.object({ type: z.literal('app_home_opened'), user: id, tab: z.string().optional() }),
});

/** app_home_opened on the Home tab -> the dashboard request. The Messages tab needs nothing. */
export function fromHomeOpened(body: unknown, teamId: string | undefined): Inbound | null {
  const parsed = homeOpenedSchema.safeParse(body);
  const team = parsed.data?.team_id ?? teamId;
  if (!parsed.success || !team || (parsed.data.event.tab ?? 'home') !== 'home') return null;
  return inbound(team, undefined, { id: parsed.data.event.user }, undefined, { type: 'home' });
}

const COHORT_ACTIONS = new Set(['submit', 'accept', 'changes', 'cohort']);
const COHORT_FORMS = new Set(['submit', 'changes', 'challenge']);

/**
 * Whether a request belongs to the cohort tools, where the app checks leads: those carry the person's user
 * groups (a lead may be one through a group). Other requests skip the lookup; the app never reads roles there.
 */
export function isCohortRequest(request: InboundRequest): boolean {
  switch (request.type) {
    case 'command':
      return request.group === 'cohort';
    case 'action': {
      const kind = parseAction(request.actionId)?.kind;
      return kind !== undefined && COHORT_ACTIONS.has(kind);
    }
    case 'form': {
      const kind = parseForm(request.formId)?.kind;
      return kind !== undefined && COHORT_FORMS.has(kind);
    }
    case 'home':
      return false;
  }
}

// Bolt listeners: ack at once (Slack allows 3 s), translate the payload, let the app decide, then show
// its Reply where it belongs: response_url (ephemeral, in channel, or replacing the pressed message),
// a modal (views.open), the App Home tab (views.publish) or, failing all else, the person's DM.
import type { App, webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { Inbound } from '../../app/inbound.js';
import type { Log } from '../../app/ports.js';
import type { Reply } from '../../core/reply.js';
import { describeError } from './errors.js';
import { openDm, uploadFiles } from './files.js';
import { homeView } from './home.js';
import { fromBlockActions, fromHomeOpened, fromSlashCommand, fromViewSubmission } from './inbound.js';
import { MESSAGE_BLOCKS_MAX } from './limits.js';
import { modalView, parseOrigin, type ModalOrigin } from './modal.js';
import { renderMessage, type SlackMessage } from './render.js';
import type { ProfileLookup } from './users.js';

export interface HandlerDeps {
  handle(inbound: Inbound): Promise<Reply>;
  log: Log;
  profiles: ProfileLookup;
  fetch: typeof globalThis.fetch;
  /** The app was uninstalled from a workspace: forget its installation (OAuth only). */
  uninstalled?(teamId: string): Promise<void>;
}

type Client = webApi.WebClient;

/** Where a reply goes. */
type Target =
  /** response_url of a slash command (`pressed: false`) or of a message button (`pressed: true`). */
  | { kind: 'response'; url: string; pressed: boolean; userId: string }
  /** The App Home tab of `inbound.user`; the dashboard is rebuilt under the reply. */
  | { kind: 'home'; inbound: Inbound; userId: string }
  | { kind: 'dm'; userId: string };

// Filled in by the cohort issue; until then /cohort answers, so a lead is not left without a reply.
const COHORT_PLACEHOLDER = 'Cohort tools (challenges, reviews, the weekly digest) are coming soon. For now, `/learn help` shows what I can do.';

export function registerHandlers(app: App, deps: HandlerDeps): void {
  const { handle, log, profiles } = deps;

  async function guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      log.error({ platform: 'slack', what, ...describeError(error) }, 'slack request failed');
    }
  }

  async function enrich(client: Client, inbound: Inbound): Promise<Inbound> {
    return { ...inbound, user: await profiles(client, inbound.community.externalId, inbound.user) };
  }

  async function postResponse(url: string, body: Record<string, unknown>): Promise<void> {
    const response = await deps.fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    // The URL is a credential of sorts: report the status, not the address.
    if (!response.ok) throw new Error(`response_url answered ${response.status}`);
  }

  /** Files too big for a block go to the person's DM; the message says so. */
  async function withUploads(client: Client, userId: string, message: SlackMessage): Promise<SlackMessage> {
    if (!message.uploads.length) return message;
    await uploadFiles(client, undefined, await openDm(client, undefined, userId), message.uploads);
    const note = `📎 Sent ${message.uploads.map((f) => f.name).join(', ')} to our direct messages.`;
    const context: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: note }] };
    const blocks = message.blocks.length < MESSAGE_BLOCKS_MAX ? [...message.blocks, context] : message.blocks;
    return { ...message, text: `${message.text}\n${note}`, blocks, uploads: [] };
  }

  async function show(client: Client, target: Target, reply: Reply): Promise<void> {
    switch (target.kind) {
      case 'response': {
        const { text, blocks } = await withUploads(client, target.userId, renderMessage(reply));
        const how = reply.update && target.pressed ? { replace_original: true } : { response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', replace_original: false };
        return postResponse(target.url, { text, blocks, ...how });
      }
      case 'home': {
        // Home has no room for files: they go to the DM, like from a message.
        await withUploads(client, target.userId, renderMessage(reply));
        const dashboard = await handle({ ...target.inbound, request: { type: 'home' } });
        await client.views.publish({ user_id: target.userId, view: homeView(dashboard, reply) });
        return;
      }
      case 'dm': {
        const channel = await openDm(client, undefined, target.userId);
        const { text, blocks } = await withUploads(client, target.userId, renderMessage(reply));
        await client.chat.postMessage({ channel, text, blocks, unfurl_links: false });
        return;
      }
    }
  }

  /** A reply with a modal opens it (the trigger is valid for 3 s); otherwise it is shown at the target. */
  async function answer(client: Client, target: Target, triggerId: string | undefined, reply: Reply): Promise<void> {
    if (!reply.modal) return show(client, target, reply);
    const origin: ModalOrigin = target.kind === 'home' ? { home: true } : target.kind === 'response' ? { responseUrl: target.url } : {};
    try {
      if (!triggerId) throw new Error('no trigger_id to open a modal with');
      await client.views.open({ trigger_id: triggerId, view: modalView(reply.modal, origin) });
    } catch (error) {
      log.warn({ platform: 'slack', ...describeError(error) }, 'could not open the Slack modal');
      await show(client, target, { text: `${reply.text}\n_(The form could not open in time. Please try again.)_`, ephemeral: true });
    }
  }

  app.command('/learn', async ({ ack, body, client }) => {
    await ack();
    await guard('slash command', async () => {
      const request = fromSlashCommand(body);
      if (!request) return log.warn({ platform: 'slack' }, 'ignored a malformed slash command payload');
      const inbound = await enrich(client, request.inbound);
      const userId = inbound.user.externalId;
      const target: Target = request.responseUrl ? { kind: 'response', url: request.responseUrl, pressed: false, userId } : { kind: 'dm', userId };
      await answer(client, target, request.triggerId, await handle(inbound));
    });
  });

  app.command('/cohort', async ({ ack, body }) => {
    await ack();
    await guard('cohort command', async () => {
      const request = fromSlashCommand(body);
      if (request?.responseUrl) await postResponse(request.responseUrl, { response_type: 'ephemeral', text: COHORT_PLACEHOLDER });
    });
  });

  app.action({ type: 'block_actions' }, async ({ ack, body, client }) => {
    await ack();
    await guard('button', async () => {
      const request = fromBlockActions(body);
      if (!request) return log.warn({ platform: 'slack' }, 'ignored a malformed block_actions payload');
      const inbound = await enrich(client, request.inbound);
      const userId = inbound.user.externalId;
      const target: Target =
        request.source === 'home'
          ? { kind: 'home', inbound, userId }
          : request.responseUrl
            ? { kind: 'response', url: request.responseUrl, pressed: true, userId }
            : { kind: 'dm', userId };
      await answer(client, target, request.triggerId, await handle(inbound));
    });
  });

  app.view({ type: 'view_submission' }, async ({ ack, body, client }) => {
    // Closing the modal at once; the outcome is shown where the modal was opened from.
    await ack();
    await guard('form', async () => {
      const request = fromViewSubmission(body);
      if (!request) return log.warn({ platform: 'slack' }, 'ignored a malformed view_submission payload');
      const inbound = await enrich(client, request.inbound);
      const userId = inbound.user.externalId;
      const origin = parseOrigin(request.privateMetadata);
      const target: Target = origin.home
        ? { kind: 'home', inbound, userId }
        : origin.responseUrl
          ? { kind: 'response', url: origin.responseUrl, pressed: false, userId }
          : { kind: 'dm', userId };
      await answer(client, target, undefined, await handle(inbound));
    });
  });

  app.event('app_home_opened', async ({ body, context, client }) => {
    await guard('app home', async () => {
      const opened = fromHomeOpened(body, context.teamId);
      if (!opened) return;
      const inbound = await enrich(client, opened);
      const dashboard = await handle(inbound);
      await client.views.publish({ user_id: inbound.user.externalId, view: homeView(dashboard) });
    });
  });

  app.event('app_uninstalled', async ({ context }) => {
    await guard('app_uninstalled', async () => {
      if (deps.uninstalled && context.teamId) await deps.uninstalled(context.teamId);
    });
  });

  app.error(async (error) => {
    // An event from a workspace without an installation is expected after an uninstall, not a bug.
    const level = error.code === 'slack_bolt_authorization_error' ? 'warn' : 'error';
    log[level]({ platform: 'slack', code: error.code, ...describeError(error) }, 'slack event not processed');
  });

}

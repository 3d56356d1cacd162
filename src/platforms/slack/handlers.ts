// Bolt listeners: ack at once (Slack allows 3 s), translate the payload, let the app decide, then show
// its Reply where it belongs: response_url (ephemeral, in channel, or replacing the pressed message),
// a modal (views.open), the App Home tab (views.publish) or, failing all else, the person's DM.
// Files and pictures go up next to the message (files.uploadV2); where a message cannot carry them
// (ephemeral replies, App Home) they go to the person's DM with the app, and the reply says so.
import type { App, webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { Inbound } from '../../app/inbound.js';
import type { Log } from '../../app/ports.js';
import type { Modal, Reply } from '../../core/reply.js';
import { describeError } from './errors.js';
import { openDm, uploadFiles } from './files.js';
import { homeView } from './home.js';
import { COHORT_COMMAND, fromBlockActions, fromHomeOpened, fromSlashCommand, fromViewSubmission, isCohortRequest } from './inbound.js';
import { MESSAGE_BLOCKS_MAX } from './limits.js';
import { modalFallback, modalView, parseOrigin, reopenAction, type ModalOrigin } from './modal.js';
import { escapeControl, neutralize } from './mrkdwn.js';
import { renderMessage, type FileToUpload, type SlackMessage } from './render.js';
import type { GroupLookup, ProfileLookup } from './users.js';

export interface HandlerDeps {
  handle(inbound: Inbound): Promise<Reply>;
  log: Log;
  profiles: ProfileLookup;
  /** The person's user groups, for cohort requests (a user group can lead). */
  groups: GroupLookup;
  fetch: typeof globalThis.fetch;
}

type Client = webApi.WebClient;

/** Where a reply goes. */
type Target =
  /**
   * response_url of a slash command (`pressed: false`) or of a message button (`pressed: true`).
   * `channelId` is the conversation it happened in; `originalVisible` says the pressed message was not ephemeral.
   */
  | { kind: 'response'; url: string; pressed: boolean; userId: string; channelId?: string; originalVisible?: boolean }
  /** The App Home tab of `inbound.user`; the dashboard is rebuilt under the reply. */
  | { kind: 'home'; inbound: Inbound; userId: string }
  | { kind: 'dm'; userId: string };

const fileNames = (files: FileToUpload[]) => neutralize(escapeControl(files.map((f) => f.name).join(', ')));

/** The message with a line at the end (a context block when there is room for one). */
function withNote(message: SlackMessage, note: string): SlackMessage {
  const context: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: note }] };
  const blocks = message.blocks.length < MESSAGE_BLOCKS_MAX ? [...message.blocks, context] : message.blocks;
  return { ...message, text: `${message.text}\n${note}`, blocks };
}

export function registerHandlers(app: App, deps: HandlerDeps): void {
  const { handle, log, profiles, groups } = deps;

  async function guard(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      log.error({ platform: 'slack', what, ...describeError(error) }, 'slack request failed');
    }
  }

  /** The acting person as the app needs them: name and admin flag always, user groups for cohort requests. */
  async function enrich(client: Client, inbound: Inbound): Promise<Inbound> {
    const teamId = inbound.community.externalId;
    const [user, roleIds] = await Promise.all([
      profiles(client, teamId, inbound.user),
      isCohortRequest(inbound.request) ? groups(client, teamId, inbound.user.externalId) : Promise.resolve(undefined),
    ]);
    return { ...inbound, user: roleIds ? { ...user, roleIds } : user };
  }

  async function postResponse(url: string, body: Record<string, unknown>): Promise<void> {
    const response = await deps.fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    // The URL is a credential of sorts: report the status, not the address.
    if (!response.ok) throw new Error(`response_url answered ${response.status}`);
  }

  /** Uploads into a conversation; false (and a warning) when Slack refuses, so the reply can say so. */
  async function upload(client: Client, channelId: string, files: FileToUpload[]): Promise<boolean> {
    try {
      await uploadFiles(client, undefined, channelId, files);
      return true;
    } catch (error) {
      log.warn({ platform: 'slack', channel: channelId, files: files.map((f) => f.name), ...describeError(error) }, 'could not upload files to Slack');
      return false;
    }
  }

  /** Files for a message that cannot carry them go to the person's DM; returns the line saying where they went. */
  async function uploadToDm(client: Client, userId: string, files: FileToUpload[]): Promise<string | null> {
    if (!files.length) return null;
    const names = fileNames(files);
    const sent = await upload(client, await openDm(client, undefined, userId), files);
    return sent ? `📎 Sent ${names} to our direct messages.` : `⚠️ I could not send ${names} to our direct messages. Please try again in a moment.`;
  }

  async function show(client: Client, target: Target, reply: Reply): Promise<void> {
    switch (target.kind) {
      case 'response': {
        const rendered = renderMessage(reply);
        const replacing = Boolean(reply.update && target.pressed);
        const how = replacing ? { replace_original: true } : { response_type: reply.ephemeral ? 'ephemeral' : 'in_channel', replace_original: false };
        // Everyone in the conversation sees this reply: its files are shared there, after it.
        const sharedIn = (replacing ? target.originalVisible : !reply.ephemeral) ? target.channelId : undefined;
        const note = sharedIn ? null : await uploadToDm(client, target.userId, rendered.uploads);
        const message = note ? withNote(rendered, note) : rendered;
        try {
          await postResponse(target.url, { text: message.text, blocks: message.blocks, ...how });
        } catch (error) {
          // A response_url lives 30 minutes and takes 5 answers (a form can take longer): the DM still works.
          log.warn({ platform: 'slack', ...describeError(error) }, 'could not answer through response_url; answering by DM');
          if (note === null) return show(client, { kind: 'dm', userId: target.userId }, reply);
          // The files are in the DM already: only the message follows them.
          await client.chat.postMessage({ channel: await openDm(client, undefined, target.userId), text: message.text, blocks: message.blocks, unfurl_links: false });
          return;
        }
        if (sharedIn && rendered.uploads.length && !(await upload(client, sharedIn, rendered.uploads))) {
          // Not in that channel, say: the files go to the DM, and the person is told where they are.
          const names = fileNames(rendered.uploads);
          const sent = await upload(client, await openDm(client, undefined, target.userId), rendered.uploads);
          const moved = sent ? `📎 I could not share ${names} here, so I sent them to our direct messages.` : `⚠️ I could not share ${names}. Please try again in a moment.`;
          await postResponse(target.url, { text: moved, response_type: 'ephemeral', replace_original: false });
        }
        return;
      }
      case 'home': {
        // Home has no room for files: they go to the DM, like from an ephemeral message.
        const note = await uploadToDm(client, target.userId, renderMessage(reply).uploads);
        const dashboard = await handle({ ...target.inbound, request: { type: 'home' } });
        await client.views.publish({ user_id: target.userId, view: homeView(dashboard, reply, note ?? undefined) });
        return;
      }
      case 'dm': {
        const channel = await openDm(client, undefined, target.userId);
        const rendered = renderMessage(reply);
        await client.chat.postMessage({ channel, text: rendered.text, blocks: rendered.blocks, unfurl_links: false });
        if (rendered.uploads.length && !(await upload(client, channel, rendered.uploads))) {
          await client.chat.postMessage({ channel, text: `⚠️ I could not attach ${fileNames(rendered.uploads)}. Please try again in a moment.` });
        }
        return;
      }
    }
  }

  /**
   * A reply with a modal opens it (the trigger is valid for 3 s); otherwise it is shown at the target.
   * When the form cannot open in time, the reply offers a button that opens it (a fresh trigger).
   */
  async function answer(client: Client, target: Target, triggerId: string | undefined, inbound: Inbound, reply: Reply): Promise<void> {
    if (!reply.modal) return show(client, target, reply);
    const modal: Modal = reply.modal;
    const origin: ModalOrigin = target.kind === 'home' ? { home: true } : target.kind === 'response' ? { responseUrl: target.url } : {};
    try {
      if (!triggerId) throw new Error('no trigger_id to open a modal with');
      await client.views.open({ trigger_id: triggerId, view: modalView(modal, origin) });
    } catch (error) {
      log.warn({ platform: 'slack', ...describeError(error) }, 'could not open the Slack modal');
      await show(client, target, modalFallback({ ...reply, modal }, reopenAction(inbound.request, modal)));
    }
  }

  async function onSlashCommand(client: Client, body: unknown): Promise<void> {
    const request = fromSlashCommand(body);
    if (!request) return log.warn({ platform: 'slack' }, 'ignored a malformed slash command payload');
    const inbound = await enrich(client, request.inbound);
    const userId = inbound.user.externalId;
    const target: Target = request.responseUrl ? { kind: 'response', url: request.responseUrl, pressed: false, userId, channelId: request.channelId } : { kind: 'dm', userId };
    await answer(client, target, request.triggerId, inbound, await handle(inbound));
  }

  app.command('/learn', async ({ ack, body, client }) => {
    await ack();
    await guard('slash command', () => onSlashCommand(client, body));
  });

  app.command(COHORT_COMMAND, async ({ ack, body, client }) => {
    await ack();
    await guard('cohort command', () => onSlashCommand(client, body));
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
            ? { kind: 'response', url: request.responseUrl, pressed: true, userId, channelId: request.channelId, originalVisible: !request.ephemeral }
            : { kind: 'dm', userId };
      await answer(client, target, request.triggerId, inbound, await handle(inbound));
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
      await answer(client, target, undefined, inbound, await handle(inbound));
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

  app.error(async (error) => {
    // An event from a workspace without an installation is expected after an uninstall, not a bug.
    const level = error.code === 'slack_bolt_authorization_error' ? 'warn' : 'error';
    log[level]({ platform: 'slack', code: error.code, ...describeError(error) }, 'slack event not processed');
  });
}

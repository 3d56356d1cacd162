// What Slack sends the app when a person acts: slash commands, button presses, modal submissions and
// App Home openings, typed with Bolt's and @slack/types' payload types so they stay faithful.
import { createHmac } from 'node:crypto';
import type { BlockAction, ButtonAction, EnvelopedEvent, SlashCommand, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import type { AppHomeOpenedEvent, Button as SlackButton, KnownBlock } from '@slack/types';
import type { FakeSlack, FakeUser, FakeWorkspace, OpenedView } from './slack-server.js';

/** Where a button was pressed: a message (ephemeral or not) or the App Home tab. */
export type PressedIn = { kind: 'message'; channel: string; ts?: string; ephemeral?: boolean } | { kind: 'home' };

export class SlackPerson {
  constructor(
    readonly fake: FakeSlack,
    readonly workspace: FakeWorkspace,
    readonly user: FakeUser,
  ) {}

  get dm(): string {
    return this.fake.dmOf(this.workspace.teamId, this.user.id);
  }

  /** The org-wide install the workspace is granted to, if any (payloads then say so, as Slack's do). */
  private get org() {
    return this.workspace.enterpriseId ? this.fake.grid.enterprises.get(this.workspace.enterpriseId) : undefined;
  }

  slashCommand(text: string, options: { channel?: string; command?: string } = {}): SlashCommand {
    const channel = options.channel ?? this.dm;
    return {
      token: 'deprecated-verification-token',
      command: options.command ?? '/learn',
      text,
      response_url: this.fake.newResponseUrl(),
      trigger_id: this.fake.newTrigger(this.workspace.teamId, this.user.id),
      user_id: this.user.id,
      user_name: this.user.name,
      team_id: this.workspace.teamId,
      team_domain: this.workspace.domain,
      channel_id: channel,
      channel_name: channel.startsWith('D') ? 'directmessage' : 'general',
      api_app_id: this.fake.appId,
      ...(this.org ? { enterprise_id: this.org.enterpriseId, enterprise_name: this.org.name, is_enterprise_install: 'true' } : {}),
    };
  }

  press(button: SlackButton, where: PressedIn): BlockAction<ButtonAction> {
    const action: ButtonAction = {
      type: 'button',
      action_id: button.action_id!,
      block_id: 'b1',
      action_ts: '1700000000.000001',
      text: button.text,
      ...(button.value ? { value: button.value } : {}),
    };
    const base = {
      type: 'block_actions' as const,
      actions: [action],
      team: { id: this.workspace.teamId, domain: this.workspace.domain },
      user: { id: this.user.id, username: this.user.name, name: this.user.name, team_id: this.workspace.teamId },
      token: 'deprecated-verification-token',
      trigger_id: this.fake.newTrigger(this.workspace.teamId, this.user.id),
      api_app_id: this.fake.appId,
    };
    if (where.kind === 'home') {
      const view = { id: 'VHOME', type: 'home', team_id: this.workspace.teamId } as unknown as ViewOutput;
      // Slack sends no response_url for the Home tab; Bolt's type insists on one.
      return { ...base, container: { type: 'view', view_id: 'VHOME' }, view, response_url: undefined as unknown as string };
    }
    const ts = where.ts ?? '1700000000.000100';
    return {
      ...base,
      container: { type: 'message', message_ts: ts, channel_id: where.channel, is_ephemeral: where.ephemeral ?? false },
      channel: { id: where.channel, name: where.channel.startsWith('D') ? 'directmessage' : 'general' },
      message: { type: 'message', ts, text: '' },
      response_url: this.fake.newResponseUrl(),
    };
  }

  submit(opened: OpenedView, values: Record<string, string>): ViewSubmitAction {
    const view = opened.view as { callback_id: string; private_metadata?: string; blocks: KnownBlock[]; title: { type: 'plain_text'; text: string } };
    const state: ViewOutput['state'] = { values: {} };
    for (const block of view.blocks) {
      if (block.type !== 'input' || !block.block_id || !('action_id' in block.element) || !block.element.action_id) continue;
      state.values[block.block_id] = { [block.element.action_id]: { type: 'plain_text_input', value: values[block.element.action_id] ?? null } };
    }
    return {
      type: 'view_submission',
      team: { id: this.workspace.teamId, domain: this.workspace.domain },
      user: { id: this.user.id, name: this.user.name, team_id: this.workspace.teamId },
      api_app_id: this.fake.appId,
      token: 'deprecated-verification-token',
      trigger_id: this.fake.newTrigger(this.workspace.teamId, this.user.id),
      view: {
        id: opened.id,
        callback_id: view.callback_id,
        private_metadata: view.private_metadata ?? '',
        team_id: this.workspace.teamId,
        app_id: this.fake.appId,
        bot_id: this.workspace.botId,
        title: { ...view.title, emoji: true },
        type: 'modal',
        blocks: view.blocks,
        close: null,
        submit: null,
        state,
        hash: opened.id,
        root_view_id: opened.id,
        previous_view_id: null,
        clear_on_close: false,
        notify_on_close: false,
      },
    };
  }

  homeOpened(tab: 'home' | 'messages' = 'home'): EnvelopedEvent<AppHomeOpenedEvent> {
    return {
      token: 'deprecated-verification-token',
      team_id: this.workspace.teamId,
      api_app_id: this.fake.appId,
      event: { type: 'app_home_opened', user: this.user.id, channel: this.dm, tab, event_ts: '1700000000.000200' },
      type: 'event_callback',
      event_id: `Ev${Date.now()}`,
      event_time: Math.floor(Date.now() / 1000),
      // An org-wide install is authorized for the org, not the workspace.
      authorizations: [
        this.org
          ? { enterprise_id: this.org.enterpriseId, team_id: null, user_id: this.workspace.botUserId, is_bot: true, is_enterprise_install: true }
          : { enterprise_id: null, team_id: this.workspace.teamId, user_id: this.workspace.botUserId, is_bot: true },
      ],
      ...(this.org ? { enterprise_id: this.org.enterpriseId } : {}),
    };
  }
}

/** The buttons of a message or view body, in order. */
export function buttonsOf(body: { blocks?: unknown }): SlackButton[] {
  const blocks = (body.blocks ?? []) as KnownBlock[];
  return blocks.flatMap((b) => (b.type === 'actions' ? b.elements.filter((e): e is SlackButton => e.type === 'button') : []));
}

export function buttonLabelled(body: { blocks?: unknown }, label: string | RegExp): SlackButton {
  const found = buttonsOf(body).find((b) => (typeof label === 'string' ? b.text.text === label : label.test(b.text.text)));
  if (!found) throw new Error(`no button ${String(label)} among: ${buttonsOf(body).map((b) => b.text.text).join(', ')}`);
  return found;
}

/** All the text a person would read in a message or view (header, sections, fields, context). */
export function textOf(body: { text?: unknown; blocks?: unknown }): string {
  const blocks = (body.blocks ?? []) as KnownBlock[];
  const parts = blocks.flatMap((b) => {
    if (b.type === 'header') return [b.text.text];
    if (b.type === 'section') return [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return b.elements.map((e) => ('text' in e ? e.text : ''));
    return [];
  });
  return parts.length ? parts.join('\n') : String(body.text ?? '');
}

/** Signs an HTTP request body the way Slack does (v0, HMAC-SHA256 over `v0:timestamp:body`). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

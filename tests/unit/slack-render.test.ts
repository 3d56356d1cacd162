// Slack rendering without a network: mrkdwn that cannot ping, Block Kit within Slack's limits (checked by
// the same validator the fake Slack uses), modals, payload mapping, and the manifest matching the code.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { encodeAction, encodeForm, type Reply } from '../../src/core/reply.js';
import { fromBlockActions, fromSlashCommand, fromViewSubmission } from '../../src/platforms/slack/inbound.js';
import { modalView, parseOrigin } from '../../src/platforms/slack/modal.js';
import { toMrkdwn } from '../../src/platforms/slack/mrkdwn.js';
import { renderMessage, splitSections } from '../../src/platforms/slack/render.js';
import { BOT_SCOPES } from '../../src/platforms/slack/scopes.js';
import { blockProblems, pings } from '../fakes/slack-blocks.js';

/** Every `<` must open a web or mail link: nothing else is safe in mrkdwn. */
const unsafeAngles = (mrkdwn: string) => mrkdwn.replace(/<(?:https?:\/\/|mailto:)[^\s<>|]+(?:\|[^<>]*)?>/g, '').match(/<[^\n]{0,20}/g) ?? [];

describe('Markdown to mrkdwn', () => {
  it('converts the common subset with slackify-markdown', () => {
    const out = toMrkdwn('**bold** and _it_ and `code` and [docs](https://example.com/a?b=1&c=2)\n\n- one\n- two\n\n> quoted');
    expect(out).toMatch(/\*bold\*/);
    expect(out).not.toContain('**');
    expect(out).toContain('`code`');
    expect(out).toContain('<https://example.com/a?b=1&c=2|docs>');
    expect(out).toMatch(/•\s+one/);
    expect(out).toMatch(/^> quoted$/m);
  });

  it('escapes &, < and > in text and code', () => {
    expect(toMrkdwn('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
    expect(toMrkdwn('`x < y && z`')).toBe('`x &lt; y &amp;&amp; z`');
    expect(toMrkdwn('```\nif (a > b) {}\n```')).toContain('if (a &gt; b) {}');
  });

  it.each([
    '<!channel> hi',
    '<!here>',
    '<!everyone>',
    '<@U0ADA>',
    '<!subteam^S0DEVS|@devs>',
    '&lt;@U0ADA&gt;',
    '[<!here>](https://example.com)',
    '[click](<!channel>)',
    '<https://example.com|<!here>>',
    '`<!channel>`',
    '> <!channel>',
    '<b>html</b> <!-- <!channel> -->',
  ])('neutralises %s', (input) => {
    const out = toMrkdwn(input);
    expect(pings(out)).toEqual([]);
    expect(unsafeAngles(out)).toEqual([]);
  });

  it('breaks @here, @channel and @everyone written as plain text', () => {
    expect(toMrkdwn('hey @here and @Channel and @everyone')).not.toMatch(/@(here|channel|everyone)/i);
  });

  it('never emits a ping or a bare < for any input', () => {
    const piece = fc.constantFrom('<', '>', '!', '@', '&', 'channel', 'here', 'U0ADA', 'subteam^S1', '|', '[', ']', '(', ')', 'https://x.io', '`', '*', '_', '\n', '> ', '&lt;', '&gt;', '#', ' ', 'a');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const out = toMrkdwn(pieces.join(''));
        return pings(out).length === 0 && unsafeAngles(out).length === 0;
      }),
      { numRuns: 500 },
    );
  });
});

describe('Block Kit rendering', () => {
  it('splits long text into sections of at most 3000 characters, keeping code fences closed', () => {
    const long = ['intro', '```', ...Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(40)}`), '```', 'outro'].join('\n');
    const chunks = splitSections(long);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(3000);
      expect(chunk.split('```').length % 2).toBe(1);
    }
    expect(splitSections('y'.repeat(7000)).every((c) => c.length <= 3000)).toBe(true);
  });

  it('stays within Slack limits for oversized replies, keeping the buttons', () => {
    const reply: Reply = {
      title: 'T'.repeat(400),
      text: Array.from({ length: 8 }, (_, i) => `Paragraph ${i}: ${'word '.repeat(120)}`).join('\n\n'),
      fields: [
        ...Array.from({ length: 14 }, (_, i) => ({ name: `F${i}`, value: 'v'.repeat(2500), inline: true })),
        ...Array.from({ length: 60 }, (_, i) => ({ name: `Long ${i}`, value: 'w'.repeat(3500) })),
      ],
      actions: [[{ action: { kind: 'run', verb: 'today' }, label: 'L'.repeat(120) }, { action: { kind: 'run', verb: 'today' }, label: 'again' }]],
    };
    const message = renderMessage(reply);
    expect(blockProblems(message.blocks, 50)).toEqual([]);
    expect(message.blocks).toHaveLength(50);
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions' });
    expect(message.blocks.at(-2)).toMatchObject({ type: 'context' });
    expect(message.text.length).toBeLessThanOrEqual(3000);
    const buttons = (message.blocks.at(-1) as { elements: { action_id: string; value: string }[] }).elements;
    expect(buttons.map((b) => b.value)).toEqual([encodeAction({ kind: 'run', verb: 'today' }), encodeAction({ kind: 'run', verb: 'today' })]);
    expect(new Set(buttons.map((b) => b.action_id)).size).toBe(2);
  });

  it('shows small files inline as code and leaves big ones for upload', () => {
    const small = renderMessage({ text: 'here', files: [{ name: 'a.json', content: '{"a": "<!channel>"}' }] });
    expect(small.uploads).toEqual([]);
    expect((small.blocks[1] as { text: { text: string } }).text.text).toBe('📎 *a.json*\n```\n{"a": "&lt;!channel&gt;"}\n```');
    const big = renderMessage({ text: 'here', files: [{ name: 'b.json', content: 'x'.repeat(5000) }] });
    expect(big.uploads.map((f) => f.name)).toEqual(['b.json']);
  });

  it('mentions only the one user a reply names, and only a well-formed id', () => {
    expect(pings(renderMessage({ text: 'you', mentionUser: 'U0EVE' }).blocks)).toEqual(['<@U0EVE>']);
    expect(pings(renderMessage({ text: 'you', mentionUser: 'U0EVE> <!channel' }))).toEqual([]);
  });
});

describe('modals', () => {
  const modal = { form: { kind: 'practice' as const, deliveryId: 12 }, title: 'Log your practice for today', fields: [{ name: 'note', label: 'What?', required: true, maxLength: 1000, multiline: true }] };

  it('carries the form in callback_id and the origin in private_metadata', () => {
    const view = modalView(modal, { responseUrl: 'https://hooks.slack.com/commands/T1/2/3' });
    expect(view.callback_id).toBe(encodeForm(modal.form));
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(blockProblems(view.blocks, 100)).toEqual([]);
    expect(parseOrigin(view.private_metadata)).toEqual({ responseUrl: 'https://hooks.slack.com/commands/T1/2/3' });
  });

  it('treats unreadable private_metadata as no origin', () => {
    for (const bad of [undefined, '', 'not json', '{"responseUrl":"javascript:alert(1)"}', '[]']) expect(parseOrigin(bad)).toEqual({});
  });
});

describe('Slack payloads to Inbound', () => {
  const slash = { command: '/learn', text: 'start Europe/Berlin 09:00', user_id: 'U0ADA', user_name: 'ada', team_id: 'T0ACME', team_domain: 'acme', channel_id: 'C0GEN', response_url: 'https://x', trigger_id: 't' };

  it('maps a slash command with the shared grammar, the team as community and the channel', () => {
    expect(fromSlashCommand(slash)?.inbound).toEqual({
      community: { platform: 'slack', externalId: 'T0ACME', name: 'acme' },
      user: { externalId: 'U0ADA', displayName: 'ada' },
      channelId: 'C0GEN',
      request: { type: 'command', verb: 'start', args: { timezone: 'Europe/Berlin', time: '09:00' } },
    });
    expect(fromSlashCommand({ ...slash, channel_id: 'D0ADA' })?.inbound.channelId).toBeUndefined();
  });

  it('returns null for payloads it cannot trust', () => {
    expect(fromSlashCommand({ ...slash, team_id: undefined })).toBeNull();
    expect(fromSlashCommand({ ...slash, user_id: '<!channel>' })).toBeNull();
    expect(fromBlockActions({ type: 'block_actions', user: { id: 'U1' }, actions: [] })).toBeNull();
    expect(fromViewSubmission({ type: 'view_submission', team: null, user: { id: 'U1' }, view: {} })).toBeNull();
    expect(fromSlashCommand('payload')).toBeNull();
  });

  it('reads the action from the button value and knows the Home tab', () => {
    const body = { type: 'block_actions', team: { id: 'T0ACME', domain: 'acme' }, user: { id: 'U0ADA', name: 'ada' }, actions: [{ action_id: 'v1:run:today~2' }], view: { type: 'home' }, trigger_id: 't' };
    expect(fromBlockActions(body)).toMatchObject({ source: 'home', inbound: { request: { type: 'action', actionId: 'v1:run:today' } } });
  });

  it('reads modal fields by their action_id', () => {
    const body = {
      type: 'view_submission',
      team: { id: 'T0ACME' },
      user: { id: 'U0ADA', name: 'ada' },
      view: { callback_id: 'v1:form:practice:0', state: { values: { note: { note: { type: 'plain_text_input', value: 'tried it' } }, link: { link: { type: 'plain_text_input', value: null } } } } },
    };
    expect(fromViewSubmission(body)?.inbound.request).toEqual({ type: 'form', formId: 'v1:form:practice:0', fields: { note: 'tried it', link: undefined } });
  });
});

describe('slack-manifest.yaml', () => {
  const manifest = parse(readFileSync('slack-manifest.yaml', 'utf8')) as {
    features: { app_home: Record<string, boolean>; slash_commands: { command: string; should_escape: boolean }[] };
    oauth_config: { scopes: { bot: string[] } };
    settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
  };

  it('asks for exactly the scopes the OAuth flow requests', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it('declares the commands, App Home, interactivity, events and Socket Mode the adapter uses', () => {
    expect(manifest.features.slash_commands.map((c) => [c.command, c.should_escape])).toEqual([
      ['/learn', true],
      ['/cohort', true],
    ]);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(['app_home_opened', 'app_uninstalled']));
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});

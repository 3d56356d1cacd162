// Slack rendering without a network: mrkdwn that cannot ping, Block Kit within Slack's limits (checked by
// the same validator the fake Slack uses), modals, payload mapping, and the manifest matching the code.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { webApi } from '@slack/bolt';
import { channelArg, leadTargetArg } from '../../src/app/cohort/args.js';
import type { InboundRequest } from '../../src/app/inbound.js';
import { encodeAction, encodeForm, type Modal, type Reply } from '../../src/core/reply.js';
import { fromBlockActions, fromSlashCommand, fromViewSubmission, isCohortRequest } from '../../src/platforms/slack/inbound.js';
import { modalFallback, modalView, parseOrigin, reopenAction } from '../../src/platforms/slack/modal.js';
import { toMrkdwn } from '../../src/platforms/slack/mrkdwn.js';
import { renderMessage, splitSections } from '../../src/platforms/slack/render.js';
import { BOT_SCOPES } from '../../src/platforms/slack/scopes.js';
import { GROUPS_TTL_MS, groupLookup, MISSING_SCOPE_TTL_MS } from '../../src/platforms/slack/users.js';
import { RecordingLog } from '../support/app.js';
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

  it('uploads pictures (with their alt text) and CSV files, however small', () => {
    const data = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const message = renderMessage({ text: 'stats', images: [{ name: 'cohort-stats.png', data, alt: 'Bar charts.' }], files: [{ name: 'a.csv', content: 'x,y\r\n' }] });
    expect(message.uploads).toEqual([
      { name: 'cohort-stats.png', content: data, alt: 'Bar charts.' },
      { name: 'a.csv', content: 'x,y\r\n' },
    ]);
    expect(message.blocks).toHaveLength(1);
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

  it('fills in earlier answers and names the submit button after what it does', () => {
    const submit: Modal = {
      form: { kind: 'submit', challengeId: 7 },
      title: 'Edit your submission',
      fields: [
        { name: 'link', label: 'Link', required: true, maxLength: 20, value: 'https://example.com/a-very-long-link' },
        { name: 'note', label: 'Note', required: false, maxLength: 5000, multiline: true, value: 'n'.repeat(4000) },
        { name: 'extra', label: 'Extra', required: false, maxLength: 10 },
      ],
    };
    const view = modalView(submit, {});
    expect(view.callback_id).toBe('v1:form:sub:7');
    expect(view.submit?.text).toBe('Submit');
    const elements = view.blocks.map((b) => (b as { element: { initial_value?: string; max_length?: number } }).element);
    expect(elements.map((e) => [e.initial_value?.length, e.max_length])).toEqual([
      [20, 20],
      [3000, 3000],
      [undefined, 10],
    ]);
    expect(blockProblems(view.blocks, 100)).toEqual([]);
    expect(modalView({ form: { kind: 'changes', submissionId: 3 }, title: 'Request changes', fields: [] }, {}).submit?.text).toBe('Send');
    expect(modalView({ form: { kind: 'challenge' }, title: 'New challenge', fields: [] }, {}).callback_id).toBe('v1:form:chal:0');
  });

  it('offers a button that opens a form again when it could not open in time', () => {
    const form: Modal = { form: { kind: 'challenge' }, title: 'New challenge', fields: [] };
    const command: InboundRequest = { type: 'command', group: 'cohort', verb: 'challenge new', args: {} };
    expect(reopenAction(command, { ...form, reopen: { kind: 'cohort', verb: 'challenge-new' } })).toEqual({ kind: 'cohort', verb: 'challenge-new' });
    expect(reopenAction(command, form)).toEqual({ kind: 'cohort', verb: 'challenge-new' });
    expect(reopenAction({ type: 'action', actionId: 'v1:sub:4' }, form)).toEqual({ kind: 'submit', challengeId: 4 });
    expect(reopenAction({ type: 'command', verb: 'practice', args: {} }, form)).toEqual({ kind: 'run', verb: 'practice' });
    expect(reopenAction({ type: 'command', verb: 'start', args: {} }, form)).toBeNull();
    const fallback = modalFallback({ text: 'Describe the challenge.', modal: form }, { kind: 'cohort', verb: 'challenge-new' });
    expect(fallback).toMatchObject({ ephemeral: true, actions: [[{ action: { kind: 'cohort', verb: 'challenge-new' }, label: 'New challenge' }]] });
    expect(modalFallback({ text: '', modal: form }, null)).toEqual({ text: 'New challenge\n_(The form could not open in time. Please try again.)_', ephemeral: true });
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

  it('reads /cohort with the cohort grammar; escaped mentions reach the argument parsers as ids', () => {
    const cohort = (text: string) => fromSlashCommand({ ...slash, command: '/cohort', text })?.inbound.request;
    expect(cohort('channel <#C0COHORT|cohort>')).toEqual({ type: 'command', group: 'cohort', verb: 'channel', args: { channel: '<#C0COHORT|cohort>' } });
    expect(cohort('leads add <!subteam^S0LEADS|@leads>')).toEqual({ type: 'command', group: 'cohort', verb: 'leads add', args: { who: '<!subteam^S0LEADS|@leads>' } });
    expect(cohort('challenge post cache-slow-endpoint +7d')).toMatchObject({ verb: 'challenge post', args: { template: 'cache-slow-endpoint', deadline: '+7d' } });
    expect(cohort('')).toMatchObject({ group: 'cohort', verb: 'help' });
    // What Slack sends with should_escape (channels also as <#C…|> without a name, in newer clients).
    for (const raw of ['<#C0COHORT|cohort>', '<#C0COHORT|>', '<#C0COHORT>']) expect(channelArg.parse(raw)).toBe('C0COHORT');
    expect(channelArg.parse('<#G0PRIVATE|secret>')).toBe('G0PRIVATE');
    expect(leadTargetArg.parse('<!subteam^S0LEADS|@leads>')).toEqual({ type: 'role', id: 'S0LEADS' });
    expect(leadTargetArg.parse('<!subteam^S0LEADS>')).toEqual({ type: 'role', id: 'S0LEADS' });
    expect(leadTargetArg.parse('<@U0ADA|ada>')).toEqual({ type: 'user', id: 'U0ADA' });
    expect(fromSlashCommand(slash)?.inbound.request).not.toHaveProperty('group');
  });

  it('knows which requests are cohort requests (they carry the user groups)', () => {
    const yes: InboundRequest[] = [
      { type: 'command', group: 'cohort', verb: 'review', args: {} },
      { type: 'action', actionId: 'v1:sub:1' },
      { type: 'action', actionId: 'v1:acc:1' },
      { type: 'action', actionId: 'v1:chg:1' },
      { type: 'action', actionId: 'v1:co:stats' },
      { type: 'form', formId: 'v1:form:sub:1', fields: {} },
      { type: 'form', formId: 'v1:form:chg:1', fields: {} },
      { type: 'form', formId: 'v1:form:chal:0', fields: {} },
    ];
    const no: InboundRequest[] = [
      { type: 'command', verb: 'today', args: {} },
      { type: 'action', actionId: 'v1:run:challenges' },
      { type: 'action', actionId: 'v1:acc:nope' },
      { type: 'form', formId: 'v1:form:practice:0', fields: {} },
      { type: 'home' },
    ];
    expect(yes.map(isCohortRequest)).toEqual(yes.map(() => true));
    expect(no.map(isCohortRequest)).toEqual(no.map(() => false));
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

describe('user groups', () => {
  const groups = [
    { id: 'S0LEADS', users: ['U0GUS', 'U0ADA'], date_delete: 0 },
    { id: 'S0DEVS', users: ['U0GUS'] },
    { id: 'S0GONE', users: ['U0GUS'], date_delete: 1700000000 },
  ];
  function client(answer: () => Promise<unknown>) {
    const calls: unknown[] = [];
    const stub = { usergroups: { list: (args: unknown) => (calls.push(args), answer()) } } as unknown as webApi.WebClient;
    return { stub, calls };
  }

  it("reads a person's groups with one usergroups.list per workspace, cached for a minute", async () => {
    let now = 0;
    const lookup = groupLookup(new RecordingLog(), () => now);
    const { stub, calls } = client(async () => ({ ok: true, usergroups: groups }));
    const [gus, ada, bob] = await Promise.all([lookup(stub, 'T1', 'U0GUS'), lookup(stub, 'T1', 'U0ADA'), lookup(stub, 'T1', 'U0BOB')]);
    expect([gus, ada, bob]).toEqual([['S0LEADS', 'S0DEVS'], ['S0LEADS'], []]);
    expect(calls).toEqual([{ include_users: true }]);
    await lookup(stub, 'T2', 'U0GUS');
    expect(calls).toHaveLength(2);
    now += GROUPS_TTL_MS + 1;
    await lookup(stub, 'T1', 'U0GUS');
    expect(calls).toHaveLength(3);
  });

  it('without usergroups:read, reports no groups and warns once per workspace until it asks again', async () => {
    const log = new RecordingLog();
    let now = 0;
    const lookup = groupLookup(log, () => now);
    const error = Object.assign(new Error('An API error occurred: missing_scope'), { code: 'slack_webapi_platform_error', data: { ok: false, error: 'missing_scope' } });
    const { stub, calls } = client(async () => Promise.reject(error));
    expect(await lookup(stub, 'T1', 'U0GUS')).toEqual([]);
    expect(await lookup(stub, 'T1', 'U0ADA')).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(log.entries.map((e) => [e.level, (e.obj as { slackError?: string }).slackError])).toEqual([['warn', 'missing_scope']]);
    expect(log.entries[0]!.msg).toContain('reinstall the app');
    // A missing scope stays missing until a reinstall: asked again after ten minutes, not every minute.
    now = GROUPS_TTL_MS + 1;
    await lookup(stub, 'T1', 'U0GUS');
    expect(calls).toHaveLength(1);
    now = MISSING_SCOPE_TTL_MS + 1;
    await lookup(stub, 'T1', 'U0GUS');
    expect(calls).toHaveLength(2);
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
    // Lead user groups (usergroups.list), the chart and exports (files.uploadV2).
    expect(BOT_SCOPES).toEqual(expect.arrayContaining(['usergroups:read', 'users:read', 'files:write']));
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

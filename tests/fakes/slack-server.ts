// A fake Slack on 127.0.0.1 for the real Bolt App: the Web API (form or JSON bodies), response_url
// endpoints, file uploads, the OAuth pages and oauth.v2.access, and a Socket Mode WebSocket that pushes
// envelopes and reads the acks. It validates what real Slack validates and records everything, so a test
// can assert both what the bot did and that it did nothing wrong (`problems`). Outages, rate-limit windows,
// message timestamps and the conversations.history rate run on `clock`, which a test may replace.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from './faults.js';
import { blockProblems, pings } from './slack-blocks.js';
import { FakeGrid } from './slack-grid.js';
import { SlackFaults, ratelimited, type SlackDropOptions, type SlackOutageOptions, type SlackRateLimitOptions } from './slack-faults.js';
import { PerMinute, historyPage, micros, tsOf } from './slack-history.js';

export interface FakeUser {
  id: string;
  name: string;
  displayName?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
}

/** A Slack user group (S…), as usergroups.list describes it. */
export interface FakeUserGroup {
  id: string;
  handle: string;
  users: string[];
  /** Disabled groups are left out of usergroups.list unless include_disabled is set. */
  disabled?: boolean;
}

export interface FakeWorkspace {
  teamId: string;
  domain: string;
  botToken: string;
  botUserId: string;
  botId: string;
  users: Map<string, FakeUser>;
  userGroups: Map<string, FakeUserGroup>;
  /** Set when the workspace is granted to an Enterprise Grid org-wide install (see slack-grid.ts). */
  enterpriseId?: string;
}

export interface FakeMessage {
  ts: string;
  channel: string;
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  files?: string[];
}

/** A file uploaded through files.getUploadURLExternal, the upload URL and files.completeUploadExternal. */
export interface FakeUpload {
  fileId: string;
  teamId: string;
  name: string;
  /** The length announced to files.getUploadURLExternal. */
  bytes: number;
  /** The uploaded bytes, and the same as UTF-8 text. */
  data: Buffer;
  content: string;
  /** Screen-reader description (files.getUploadURLExternal's alt text). */
  altText?: string;
  title?: string;
  /** Where it was shared by files.completeUploadExternal (unset until then). */
  channel?: string;
}

export interface ApiCall {
  method: string;
  token: string | null;
  /** The team the token belongs to (null for app-level or unknown tokens). */
  teamId: string | null;
  args: Record<string, unknown>;
  /** Set when the call got no answer: held by a 'timeout' outage, or its response dropped after the work. */
  unanswered?: 'held' | 'dropped';
}

export interface ResponsePost {
  /** The response_url's id, as issued with a payload. */
  id: string;
  body: Record<string, unknown>;
}

export interface OpenedView {
  id: string;
  teamId: string;
  userId: string;
  view: Record<string, unknown>;
}

/** A failure the next call(s) of a method get. */
export type Failure =
  | { error: string }
  | { status: 429; retryAfter: number }
  /** Slack does the work, then the answer is lost (HTTP 500): the client cannot tell it happened. */
  | { status: 500; afterEffect: true };

interface PendingAck {
  resolve: (payload: unknown) => void;
}

type Grant = { teamId: string; domain: string } | { enterpriseId: string };

const JSON_ARGS = new Set(['blocks', 'metadata', 'view', 'files', 'attachments', 'file_uploads']);
const TRIGGER_TTL_MS = 3000;

export class FakeSlack extends EventEmitter {
  readonly workspaces = new Map<string, FakeWorkspace>();
  readonly channels = new Map<string, { teamId: string; messages: FakeMessage[]; botMember: boolean }>();
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly opened: OpenedView[] = [];
  readonly homes = new Map<string, Record<string, unknown>>();
  readonly uploads: FakeUpload[] = [];
  readonly acks: { envelopeId: string; payload: unknown }[] = [];
  /** Anything real Slack would have refused, or a request the fake did not expect. Tests expect none. */
  readonly problems: string[] = [];
  readonly appToken = 'xapp-1-A111-fake-app-token';
  readonly appId = 'A111';
  /** `next`: who approves the next authorize request: a workspace's admin, or an org admin installing org-wide. */
  readonly oauth = { clientId: '1111.2222', clientSecret: 'fake-client-secret', redirectUrl: '', next: null as null | Grant };
  /** Enterprise Grid orgs with org-wide installs. */
  readonly grid: FakeGrid = new FakeGrid(this);

  private server!: Server;
  private wss!: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private failures = new Map<string, Failure[]>();
  private pendingAcks = new Map<string, PendingAck>();
  private triggers = new Map<string, { at: number; teamId: string; userId: string }>();
  private codes = new Map<string, Grant & { scope: string }>();
  private seq = 0;
  private lastTs = 0n;
  private pingTimer?: NodeJS.Timeout;
  private readonly faults = new SlackFaults();
  private readonly historyCalls = new PerMinute();
  /** The clock outages, rate windows, message ts and the history rate run on; replaceable at any time. */
  clock: Clock = Date.now;
  /** conversations.history calls per workspace per minute: Tier 3 (50); 1 for apps outside the Marketplace. */
  historyPerMinute = 50;
  /** The most messages one conversations.history page returns (Slack: 999; 15 outside the Marketplace). */
  historyLimitMax = 999;

  static async start(options: { clock?: Clock; historyPerMinute?: number; historyLimitMax?: number } = {}): Promise<FakeSlack> {
    const fake = new FakeSlack();
    if (options.clock) fake.clock = options.clock;
    if (options.historyPerMinute !== undefined) fake.historyPerMinute = options.historyPerMinute;
    if (options.historyLimitMax !== undefined) fake.historyLimitMax = options.historyLimitMax;
    await fake.listen();
    return fake;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  private next(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(6, '0')}`;
  }

  /** Seconds.microseconds on the fake's clock, strictly increasing like Slack's within a channel. */
  private ts(): string {
    const now = BigInt(Math.floor(this.clock())) * 1000n;
    this.lastTs = now > this.lastTs ? now : this.lastTs + 1n;
    return tsOf(this.lastTs);
  }

  private changed(): void {
    this.emit('change');
  }

  // ---- set-up --------------------------------------------------------------------------------

  addWorkspace(teamId: string, domain: string, users: FakeUser[] = [], botToken = `xoxb-${teamId}-fake-bot-token`): FakeWorkspace {
    const workspace: FakeWorkspace = {
      teamId,
      domain,
      botToken,
      botUserId: `U0BOT${teamId}`,
      botId: `B0BOT${teamId}`,
      users: new Map(users.map((u) => [u.id, u])),
      userGroups: new Map(),
    };
    this.workspaces.set(teamId, workspace);
    return workspace;
  }

  addUserGroup(teamId: string, group: FakeUserGroup): void {
    this.workspaces.get(teamId)!.userGroups.set(group.id, group);
  }

  addChannel(teamId: string, channelId: string, botMember = true): void {
    this.channels.set(channelId, { teamId, messages: [], botMember });
  }

  /** The next `times` calls of `method` fail this way. */
  fail(method: string, failure: Failure, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<Failure>(times).fill(failure)]);
  }

  /** A response_url, as Slack puts in slash command and button payloads. */
  newResponseUrl(): string {
    return `${this.origin}/response/${this.next('R')}`;
  }

  /** A trigger_id, valid for 3 seconds like Slack's. */
  newTrigger(teamId: string, userId: string): string {
    const id = this.next('T.');
    this.triggers.set(id, { at: Date.now(), teamId, userId });
    return id;
  }

  dmOf(teamId: string, userId: string): string {
    const id = `D${teamId}${userId}`;
    if (!this.channels.has(id)) this.channels.set(id, { teamId, messages: [], botMember: true });
    return id;
  }

  messagesIn(channel: string): FakeMessage[] {
    return this.channels.get(channel)?.messages ?? [];
  }

  /** Every message the bot got into any channel (of one workspace), oldest first: what reached Slack. */
  allMessages(teamId?: string): (FakeMessage & { teamId: string })[] {
    return [...this.channels.values()]
      .filter((c) => !teamId || c.teamId === teamId)
      .flatMap((c) => c.messages.map((m) => ({ ...m, teamId: c.teamId })))
      .sort((a, b) => (micros(a.ts)! < micros(b.ts)! ? -1 : 1));
  }

  /** Messages carrying this key in their metadata's event_payload (as the bot's messenger posts them). */
  messagesWithKey(key: string, teamId?: string): (FakeMessage & { teamId: string })[] {
    return this.allMessages(teamId).filter((m) => m.metadata?.event_payload.key === key);
  }

  /** While from <= clock() < until, the Web API (or `methods`) answers HTTP 503, 500, or nothing at all. */
  outage(options: SlackOutageOptions): void {
    this.faults.outage(options);
  }

  endOutage(): void {
    this.faults.endOutage();
  }

  /** While from <= clock() < until, the methods answer 429 ratelimited with Retry-After and do nothing. */
  rateLimit(options: SlackRateLimitOptions): void {
    this.faults.rateLimit(options);
  }

  endRateLimit(): void {
    this.faults.endRateLimit();
  }

  /** Matching calls Slack accepts (ok: true) are carried out, then the connection is reset without an answer. */
  dropResponses(options: SlackDropOptions = {}): void {
    this.faults.dropResponses(options);
  }

  /** Calls an outage is holding unanswered right now. */
  get heldRequests(): number {
    return this.faults.sockets.heldCount;
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(url: string): Record<string, unknown>[] {
    const id = url.split('/').at(-1);
    return this.responses.filter((r) => r.id === id).map((r) => r.body);
  }

  /** Resolves when `check` returns a value, re-checking on every request the fake records. */
  until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('change', attempt);
      };
      this.on('change', attempt);
      attempt();
    });
  }

  // ---- Socket Mode -----------------------------------------------------------------------------

  get connected(): number {
    return this.sockets.size;
  }

  /** Pushes an envelope to the connected app and resolves with its ack's payload (Slack waits 3 s). */
  push(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown, timeoutMs = 3000): Promise<unknown> {
    const socket = [...this.sockets][0];
    if (!socket) return Promise.reject(new Error('no Socket Mode connection'));
    const envelopeId = this.next('env-');
    const acked = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelopeId);
        reject(new Error(`no ack for ${type} envelope within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingAcks.set(envelopeId, {
        resolve: (ack) => {
          clearTimeout(timer);
          resolve(ack);
        },
      });
    });
    socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}) }));
    return acked;
  }

  private onSocketMessage(raw: string): void {
    let message: { envelope_id?: string; payload?: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      this.problems.push(`socket: unparseable message ${raw.slice(0, 80)}`);
      return;
    }
    const pending = message.envelope_id ? this.pendingAcks.get(message.envelope_id) : undefined;
    if (!pending || !message.envelope_id) {
      this.problems.push(`socket: ack for an unknown or already acked envelope ${message.envelope_id}`);
      return;
    }
    this.pendingAcks.delete(message.envelope_id);
    this.acks.push({ envelopeId: message.envelope_id, payload: message.payload });
    pending.resolve(message.payload ?? {});
    this.changed();
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        this.problems.push(`fake crashed on ${req.method} ${req.url}: ${String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws);
        ws.on('message', (data) => this.onSocketMessage(String(data)));
        ws.on('close', () => {
          this.sockets.delete(ws);
          this.changed();
        });
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack', approximate_connection_time: 18060 }, connection_info: { app_id: this.appId } }));
        this.changed();
      });
    });
    // Slack pings its Socket Mode clients; the client treats a long silence as a dead connection.
    this.pingTimer = setInterval(() => this.sockets.forEach((s) => s.ping()), 5000).unref();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    clearInterval(this.pingTimer);
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    this.faults.sockets.destroyAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  private parseArgs(req: IncomingMessage, raw: Buffer): Record<string, unknown> {
    const type = req.headers['content-type'] ?? '';
    const text = raw.toString('utf8');
    if (type.includes('application/json')) return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const args: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      args[key] = JSON_ARGS.has(key) ? JSON.parse(value) : value;
    }
    return args;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    if (req.method === 'GET' && url.pathname === '/oauth/v2/authorize') return this.authorizePage(url, res);
    if (req.method !== 'POST') {
      this.problems.push(`unexpected ${req.method} ${url.pathname}`);
      res.writeHead(404).end();
      return;
    }
    const raw = await this.readBody(req);
    if (url.pathname.startsWith('/response/')) return this.responseUrl(url.pathname.split('/').at(-1)!, raw, res);
    if (url.pathname.startsWith('/upload/')) return this.upload(url.pathname.split('/').at(-1)!, req, raw, res);
    if (!url.pathname.startsWith('/api/')) {
      this.problems.push(`unexpected POST ${url.pathname}`);
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const args = this.parseArgs(req, raw);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : null);
    const org = this.grid.byToken(token);
    const workspace = org ? this.grid.workspaceFor(org, args) : ([...this.workspaces.values()].find((w) => w.botToken === token) ?? null);
    const call: ApiCall = { method, token, teamId: workspace?.teamId ?? null, args };
    this.calls.push(call);

    const fault = this.faults.before(method, this.clock());
    if (fault === 'hold') {
      call.unanswered = 'held';
      this.faults.sockets.hold(req);
      return this.changed();
    }
    if (fault) {
      res.writeHead(fault.status, fault.headers).end(fault.body);
      return this.changed();
    }
    const failure = this.failures.get(method)?.shift();
    if (failure && 'status' in failure && failure.status === 429) {
      res.writeHead(429, { 'Retry-After': String(failure.retryAfter), 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return this.changed();
    }
    if (failure && 'error' in failure) return this.answer(res, { ok: false, error: failure.error });

    if (method === 'conversations.history' && workspace) {
      const wait = this.historyCalls.take(workspace.teamId, this.clock(), this.historyPerMinute);
      if (wait !== null) {
        const limited = ratelimited(wait);
        res.writeHead(limited.status, limited.headers).end(limited.body);
        return this.changed();
      }
    }
    const result = org && !workspace ? this.grid.api(method, org) : this.api(method, args, token, workspace);
    if (failure && 'afterEffect' in failure) {
      res.writeHead(500).end('internal error');
      return this.changed();
    }
    if (result.ok === true && this.faults.dropAfter(method)) {
      call.unanswered = 'dropped';
      this.faults.sockets.drop(res);
      return this.changed();
    }
    this.answer(res, result);
  }

  private answer(res: ServerResponse, body: Record<string, unknown>): void {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    this.changed();
  }

  private checkMessage(where: string, text: unknown, blocks: unknown, maxBlocks: number): string | null {
    const problems = blocks === undefined ? [] : blockProblems(blocks, maxBlocks);
    if (typeof text !== 'string' && blocks === undefined) problems.push('no text and no blocks');
    const mentions = pings({ text, blocks }).filter((p) => !/^<@[UW][A-Z0-9]+>$/.test(p));
    if (mentions.length) problems.push(`would ping: ${mentions.join(' ')}`);
    if (!problems.length) return null;
    this.problems.push(`${where}: ${problems.join('; ')}`);
    return 'invalid_blocks';
  }

  // The Web API methods the bot uses.
  private api(method: string, args: Record<string, unknown>, token: string | null, workspace: FakeWorkspace | null): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
      return { ok: true, url: `${this.origin.replace('http', 'ws')}/socket?ticket=${this.next('tk')}` };
    }
    if (method === 'oauth.v2.access') return this.oauthAccess(args);
    if (!workspace) {
      this.problems.push(`${method}: called with an unknown token`);
      return { ok: false, error: 'invalid_auth' };
    }
    const team = workspace.teamId;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: `https://${workspace.domain}.slack.com/`, team: workspace.domain, user: 'backend-mentor', team_id: team, user_id: workspace.botUserId, bot_id: workspace.botId, is_enterprise_install: false };
      case 'users.info': {
        const user = workspace.users.get(String(args.user));
        if (!user) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: user.id, team_id: team, name: user.name, real_name: user.name, is_admin: user.isAdmin ?? false, is_owner: user.isOwner ?? false, profile: { display_name: user.displayName ?? '', real_name: user.name } } };
      }
      case 'conversations.open': {
        const user = String(args.users);
        if (user === workspace.botUserId) return { ok: false, error: 'cannot_dm_bot' };
        if (!workspace.users.has(user)) return { ok: false, error: 'user_not_found' };
        return { ok: true, channel: { id: this.dmOf(team, user) } };
      }
      case 'conversations.history': {
        const channel = this.channels.get(String(args.channel));
        if (!channel || channel.teamId !== team) return { ok: false, error: 'channel_not_found' };
        if (!channel.botMember) return { ok: false, error: 'not_in_channel' };
        const page = historyPage(channel.messages, args, this.historyLimitMax);
        if (typeof page === 'string') {
          this.problems.push(`conversations.history: ${page} (${JSON.stringify(args)})`);
          return { ok: false, error: page };
        }
        const withMetadata = args.include_all_metadata === 'true' || args.include_all_metadata === true;
        const messages = page.messages.map(({ metadata, channel: _channel, files, ...m }) => ({
          type: 'message',
          user: workspace.botUserId,
          bot_id: workspace.botId,
          app_id: this.appId,
          ...m,
          ...(files ? { files: files.map((id) => ({ id, name: this.uploads.find((u) => u.fileId === id)?.name })) } : {}),
          ...(withMetadata && metadata ? { metadata } : {}),
        }));
        return { ok: true, messages, has_more: page.hasMore, ...(page.nextCursor ? { response_metadata: { next_cursor: page.nextCursor } } : {}) };
      }
      case 'chat.postMessage': {
        const channel = this.channels.get(String(args.channel));
        if (!channel || channel.teamId !== team) return { ok: false, error: 'channel_not_found' };
        if (!channel.botMember) return { ok: false, error: 'not_in_channel' };
        const invalid = this.checkMessage('chat.postMessage', args.text, args.blocks, 50);
        if (invalid) return { ok: false, error: invalid };
        const message: FakeMessage = {
          ts: this.ts(),
          channel: String(args.channel),
          text: String(args.text ?? ''),
          blocks: (args.blocks as unknown[]) ?? [],
          ...(args.metadata ? { metadata: args.metadata as FakeMessage['metadata'] } : {}),
        };
        channel.messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text, blocks: message.blocks } };
      }
      case 'chat.postEphemeral':
      case 'chat.update': {
        const invalid = this.checkMessage(method, args.text, args.blocks, 50);
        return invalid ? { ok: false, error: invalid } : { ok: true, ts: this.ts(), channel: args.channel };
      }
      case 'views.open': {
        const trigger = this.triggers.get(String(args.trigger_id));
        if (!trigger || trigger.teamId !== team) return { ok: false, error: 'invalid_trigger_id' };
        if (Date.now() - trigger.at > TRIGGER_TTL_MS) return { ok: false, error: 'expired_trigger_id' };
        this.triggers.delete(String(args.trigger_id));
        const view = args.view as Record<string, unknown>;
        const problems = blockProblems(view.blocks, 100);
        const title = (view.title as { text?: string } | undefined)?.text ?? '';
        if (view.type !== 'modal' || !title || title.length > 24) problems.push('modal title missing or over 24');
        if (String(view.callback_id ?? '').length > 255) problems.push('callback_id over 255');
        if (String(view.private_metadata ?? '').length > 3000) problems.push('private_metadata over 3000');
        if (problems.length) {
          this.problems.push(`views.open: ${problems.join('; ')}`);
          return { ok: false, error: 'invalid_arguments' };
        }
        const id = this.next('V');
        this.opened.push({ id, teamId: team, userId: trigger.userId, view });
        return { ok: true, view: { ...view, id, team_id: team, app_id: this.appId, bot_id: workspace.botId, state: { values: {} }, hash: id } };
      }
      case 'views.publish': {
        const view = args.view as Record<string, unknown>;
        if (view.type !== 'home') this.problems.push('views.publish: not a home view');
        const invalid = this.checkMessage('views.publish', undefined, view.blocks, 100);
        if (invalid) return { ok: false, error: invalid };
        if (!workspace.users.has(String(args.user_id))) return { ok: false, error: 'user_not_found' };
        this.homes.set(`${team}:${String(args.user_id)}`, view);
        return { ok: true, view: { ...view, id: this.next('VH') } };
      }
      case 'usergroups.list': {
        const flag = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;
        const groups = [...workspace.userGroups.values()]
          .filter((g) => !g.disabled || flag(args.include_disabled))
          .map((g) => ({
            id: g.id,
            team_id: team,
            is_usergroup: true,
            name: g.handle,
            handle: g.handle,
            date_delete: g.disabled ? 1700000000 : 0,
            user_count: g.users.length,
            ...(flag(args.include_users) ? { users: g.users } : {}),
          }));
        return { ok: true, usergroups: groups };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (!args.filename || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const fileId = this.next('F');
        const altText = args.alt_text ?? args.alt_txt;
        this.uploads.push({ fileId, teamId: team, name: String(args.filename), bytes: length, data: Buffer.alloc(0), content: '', ...(typeof altText === 'string' ? { altText } : {}) });
        return { ok: true, upload_url: `${this.origin}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = args.files as { id: string; title?: string }[];
        const channelId = args.channel_id ? String(args.channel_id) : undefined;
        const uploads = files.map(({ id }) => this.uploads.find((u) => u.fileId === id && u.teamId === team));
        if (uploads.some((u) => !u || u.data.length === 0 || u.channel)) return { ok: false, error: 'file_not_found' };
        if (channelId) {
          const channel = this.channels.get(channelId);
          if (!channel || channel.teamId !== team) return { ok: false, error: 'channel_not_found' };
          if (!channel.botMember) return { ok: false, error: 'not_in_channel' };
          if (args.initial_comment !== undefined && this.checkMessage('files.completeUploadExternal', args.initial_comment, undefined, 50)) return { ok: false, error: 'invalid_arguments' };
          // One message carries all the files of one completion, as in Slack.
          channel.messages.push({ ts: this.ts(), channel: channelId, text: String(args.initial_comment ?? ''), blocks: [], files: files.map((f) => f.id) });
        }
        files.forEach((f, i) => Object.assign(uploads[i]!, { channel: channelId, ...(f.title ? { title: f.title } : {}) }));
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      default:
        this.problems.push(`unexpected API method ${method}`);
        return { ok: false, error: 'unknown_method' };
    }
  }

  private responseUrl(id: string, raw: Buffer, res: ServerResponse): void {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      this.problems.push(`response_url ${id}: body is not JSON`);
      res.writeHead(400).end();
      return;
    }
    const invalid = this.checkMessage(`response_url ${id}`, body.text, body.blocks, 50);
    if (invalid) {
      res.writeHead(400).end(invalid);
      return this.changed();
    }
    this.responses.push({ id, body });
    res.writeHead(200).end('ok');
    this.changed();
  }

  private async upload(fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const upload = this.uploads.find((u) => u.fileId === fileId);
    if (!upload) {
      this.problems.push(`upload to unknown file ${fileId}`);
      res.writeHead(404).end();
      return;
    }
    // web-api posts the bytes as multipart form data; read it the way a server would.
    const form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: raw }).formData();
    const part = [...form.values()][0];
    const data = typeof part === 'string' ? Buffer.from(part, 'utf8') : part ? Buffer.from(await (part as Blob).arrayBuffer()) : Buffer.alloc(0);
    if (data.length !== upload.bytes) this.problems.push(`upload ${fileId} (${upload.name}): ${data.length} bytes, announced ${upload.bytes}`);
    upload.data = data;
    upload.content = data.toString('utf8');
    res.writeHead(200).end('OK');
    this.changed();
  }

  // ---- OAuth ---------------------------------------------------------------------------------

  /** The page a browser sees: the fake "user" approves and is sent back with a one-time code. */
  private authorizePage(url: URL, res: ServerResponse): void {
    const next = this.oauth.next;
    if (url.searchParams.get('client_id') !== this.oauth.clientId || !next || !this.oauth.redirectUrl) {
      this.problems.push(`unexpected authorize request ${url.search}`);
      res.writeHead(400).end();
      return;
    }
    const code = this.next('code-');
    this.codes.set(code, { ...next, scope: url.searchParams.get('scope') ?? '' });
    this.oauth.next = null;
    const target = new URL(this.oauth.redirectUrl);
    target.searchParams.set('code', code);
    target.searchParams.set('state', url.searchParams.get('state') ?? '');
    res.writeHead(302, { Location: target.toString() }).end();
    this.changed();
  }

  private oauthAccess(args: Record<string, unknown>): Record<string, unknown> {
    if (args.client_id !== this.oauth.clientId || args.client_secret !== this.oauth.clientSecret) return { ok: false, error: 'invalid_client_id' };
    const grant = this.codes.get(String(args.code));
    if (!grant) return { ok: false, error: 'invalid_code' };
    this.codes.delete(String(args.code));
    if ('enterpriseId' in grant) return this.grid.access(grant.enterpriseId, grant.scope, this.appId);
    const workspace = this.workspaces.get(grant.teamId) ?? this.addWorkspace(grant.teamId, grant.domain);
    return {
      ok: true,
      app_id: this.appId,
      authed_user: { id: [...workspace.users.keys()][0] ?? 'U0INSTALLER' },
      scope: grant.scope,
      token_type: 'bot',
      access_token: workspace.botToken,
      bot_user_id: workspace.botUserId,
      team: { id: workspace.teamId, name: workspace.domain },
      enterprise: null,
      is_enterprise_install: false,
    };
  }
}

// A fake Discord on 127.0.0.1 for the real discord.js Client: REST under /api/v10 and the gateway, faithful in the
// ways the bot depends on. Interaction callbacks answer 204 with no body and must come within 3 s, once;
// `@original` arrives URL-encoded; 429s carry Retry-After; failures can be programmed; a payload Discord would
// reject is rejected, and every protocol misuse is recorded in `violations` for the tests to assert on.
// Outages, rate-limit windows and nonce memory run on `clock` (a test's clock); interaction deadlines on real time.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChannelType,
  GatewayDispatchEvents,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  OverwriteType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type APIApplicationCommand,
  type APIApplicationCommandOptionChoice,
  type APIInteraction,
  type APIMessage,
  type APIModalInteractionResponseCallbackData,
  type APIUser,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { apiChannel, apiGuild, commandProblems, guildCreate } from './discord-guilds.js';
import { FakeGateway } from './discord-gateway.js';
import { DiscordFaults, type DropResponseOptions, type OutageOptions, type RateLimitOptions } from './discord-faults.js';
import { historyPage, visibleHistory } from './discord-history.js';
import type { Clock } from './faults.js';
import { autocomplete, buttonPress, chatInput, commandData, modalSubmit, type Actor, type OptionValue } from './discord-interactions.js';
import {
  EVERYONE_DEFAULT,
  apiMember,
  apiUser,
  buildMessage,
  editMessage,
  messageProblems,
  permissionsIn,
  role,
  snowflake,
  type FakeGuild,
  type FakeUser,
  type MessageInput,
  type UploadedFile,
} from './discord-model.js';

export interface RecordedRequest {
  method: string;
  /** Decoded path below /api/v10, e.g. /webhooks/1/abc/messages/@original. */
  path: string;
  /** The path exactly as it arrived (to check what was URL-encoded). */
  rawPath: string;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
  /** 0 while pending, and for a request held by an outage or whose response was dropped (see `unanswered`). */
  status: number;
  unanswered?: 'held' | 'dropped';
  at: number;
}

export interface FailureRule {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  /** For 429: seconds, as in the Retry-After header and the body's retry_after. */
  retryAfter?: number;
  global?: boolean;
  /** For 5xx: do the work, then answer the error, as when a response is lost on the way back. */
  afterEffect?: boolean;
  /** For 4xx: Discord's JSON error code (10062 Unknown interaction, ...). */
  code?: number;
}

export interface Outcome {
  kind: 'message' | 'update' | 'modal' | 'choices';
  deferred: boolean;
  ephemeral: boolean;
  message?: APIMessage;
  modal?: APIModalInteractionResponseCallbackData;
  choices?: APIApplicationCommandOptionChoice[];
}

interface InteractionRecord {
  payload: APIInteraction;
  createdAt: number;
  callbacks: { type: InteractionResponseType; at: number }[];
  originalId: string | null;
  /** After a type-5 ack, Discord shows "thinking…"; the first edit or follow-up replaces it. */
  placeholderPending: boolean;
  outcome: Outcome | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown> | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body?.message ?? status));
  }
}

const apiError = (status: number, code: number, message: string) => new HttpError(status, { message, code });
/** What a server without boosts lets anyone upload per file (interactions say theirs in attachment_size_limit). */
const UPLOAD_LIMIT = 10 * 1024 * 1024;
const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.AttachFiles | PermissionFlagsBits.ReadMessageHistory;

export class FakeDiscord {
  readonly token = 'fake-bot-token.not-a-real-one.abcdefghijklmnop';
  readonly applicationId = snowflake();
  readonly bot: APIUser = apiUser(this.applicationId, 'Backend Mentor', null, true);
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly messages = new Map<string, APIMessage>();
  readonly gateway: FakeGateway;
  private readonly dmChannels = new Map<string, string>(); // user id -> channel id
  private readonly dmRecipients = new Map<string, string>(); // channel id -> user id
  private readonly interactions = new Map<string, InteractionRecord>();
  /** Nonces with enforce_nonce: the message they created and when (on `clock`). */
  private readonly nonces = new Map<string, { id: string; at: number }>();
  /** The clock outages, rate-limit windows and nonce memory run on; a test may replace it at any time. */
  clock: Clock = Date.now;
  /** Discord deduplicates an enforced nonce only for a few minutes; after this, the same nonce posts again. */
  nonceTtlMs = 5 * 60_000;
  private readonly faults = new DiscordFaults();
  private readonly uploads = new Map<string, Buffer>(); // attachment id -> bytes
  /** The per-file upload limit new interactions carry (attachment_size_limit); boosted servers allow more. */
  uploadLimit = UPLOAD_LIMIT;
  private readonly failures: FailureRule[] = [];
  private port = 0;

  private constructor(private readonly server: Server) {
    this.gateway = new FakeGateway({
      token: this.token,
      heartbeatInterval: 41_250,
      violation: (p) => this.violations.push(p),
      onIdentify: (_identify, sessionId) => ({
        ready: {
          v: 10,
          user: { ...this.bot, verified: true, mfa_enabled: false, flags: 0 },
          guilds: [...this.guilds.keys()].map((id) => ({ id, unavailable: true })),
          session_id: sessionId,
          resume_gateway_url: this.wsUrl,
          shard: [0, 1],
          application: { id: this.applicationId, flags: 0 },
        },
        guilds: [...this.guilds.values()].map((g) => guildCreate(g, this.bot)),
      }),
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.serve(req, res));
    server.on('upgrade', (req, socket, head) => this.gateway.wss.handleUpgrade(req, socket, head, (ws) => this.gateway.wss.emit('connection', ws, req)));
  }

  static async start(options: { clock?: Clock; nonceTtlMs?: number } = {}): Promise<FakeDiscord> {
    const server = createServer();
    const fake = new FakeDiscord(server);
    if (options.clock) fake.clock = options.clock;
    if (options.nonceTtlMs !== undefined) fake.nonceTtlMs = options.nonceTtlMs;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.faults.sockets.destroyAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- the world -------------------------------------------------------------------------------------------

  addUser(username: string, options: { globalName?: string; dmsOpen?: boolean } = {}): APIUser {
    const user = apiUser(snowflake(), username, options.globalName ?? null);
    this.users.set(user.id, { user, dmsOpen: options.dmsOpen ?? true });
    return user;
  }

  setDmsOpen(userId: string, open: boolean): void {
    this.users.get(userId)!.dmsOpen = open;
  }

  /** A server with @everyone (Discord's defaults), the bot's managed role (the invite's permissions) and #general. */
  addGuild(name: string, owner: APIUser): FakeGuild {
    const id = snowflake();
    const botRole = { ...role(snowflake(), 'Backend Mentor', BOT_PERMISSIONS, 1), managed: true, tags: { bot_id: this.bot.id } };
    const guild: FakeGuild = {
      id,
      name,
      ownerId: owner.id,
      roles: [role(id, '@everyone', EVERYONE_DEFAULT), botRole],
      channels: [{ id: snowflake(), name: 'general', type: ChannelType.GuildText, overwrites: [] }],
      members: new Map(),
    };
    guild.members.set(this.bot.id, { roles: [botRole.id], nick: null, joinedAt: new Date().toISOString() });
    this.guilds.set(id, guild);
    this.join(guild, owner);
    return guild;
  }

  join(guild: FakeGuild, user: APIUser, roles: string[] = []): void {
    guild.members.set(user.id, { roles, nick: null, joinedAt: new Date().toISOString() });
  }

  addRole(guild: FakeGuild, name: string, permissions: bigint): string {
    const added = role(snowflake(), name, permissions, guild.roles.length);
    guild.roles.push(added);
    return added.id;
  }

  /** A text channel; `denyBot` lists permissions the channel takes away from the bot's role. */
  addChannel(guild: FakeGuild, name: string, denyBot = 0n): string {
    const id = snowflake();
    const botRole = guild.members.get(this.bot.id)!.roles[0]!;
    const overwrites = denyBot ? [{ id: botRole, type: OverwriteType.Role, allow: '0', deny: denyBot.toString() }] : [];
    guild.channels.push({ id, name, type: ChannelType.GuildText, overwrites });
    return id;
  }

  dmChannelOf(userId: string): string {
    let id = this.dmChannels.get(userId);
    if (!id) {
      id = snowflake();
      this.dmChannels.set(userId, id);
      this.dmRecipients.set(id, userId);
    }
    return id;
  }

  messagesIn(channelId: string): APIMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  /** What GET /channels/:id/messages shows: the channel's messages without ephemeral ones, newest first. */
  historyOf(channelId: string): APIMessage[] {
    return visibleHistory(this.messages.values(), channelId);
  }

  /** Makes the next `times` requests matching method and path fail. */
  fail(rule: FailureRule): void {
    this.failures.push({ ...rule });
  }

  /** While from <= clock() < until, matching requests get `mode`: 503 text, 500 JSON, or no answer at all. */
  outage(options: OutageOptions): void {
    this.faults.outage(options);
  }

  endOutage(): void {
    this.faults.endOutage();
  }

  /** While from <= clock() < until, matching requests get 429 with Retry-After and do nothing. */
  rateLimit(options: RateLimitOptions): void {
    this.faults.rateLimit(options);
  }

  endRateLimit(): void {
    this.faults.endRateLimit();
  }

  /** Matching requests are carried out (the message is kept), then the connection is reset without an answer. */
  dropResponses(options: DropResponseOptions = {}): void {
    this.faults.dropResponses(options);
  }

  /** Requests an outage is holding unanswered right now. */
  get heldRequests(): number {
    return this.faults.sockets.heldCount;
  }

  // ---- interactions ----------------------------------------------------------------------------------------

  private actor(user: APIUser, where: { guild: FakeGuild; channelId?: string } | 'dm'): Actor {
    const common = { user, botUserId: this.bot.id, uploadLimit: this.uploadLimit };
    if (where === 'dm') return { ...common, guild: null, channelId: this.dmChannelOf(user.id) };
    return { ...common, guild: where.guild, channelId: where.channelId ?? where.guild.channels[0]!.id };
  }

  private actorAt(user: APIUser, channelId: string): Actor {
    const guild = [...this.guilds.values()].find((g) => g.channels.some((c) => c.id === channelId));
    return guild ? this.actor(user, { guild, channelId }) : this.actor(user, 'dm');
  }

  private registered(name: string, guild: FakeGuild | null): APIApplicationCommand | undefined {
    const registered = [...(guild ? (this.commands.get(guild.id) ?? []) : []), ...(this.commands.get('global') ?? [])];
    return registered.find((c) => c.name === name);
  }

  private commandRef(name: string, guild: FakeGuild | null) {
    return { id: this.registered(name, guild)?.id ?? snowflake(), name };
  }

  private push(payload: APIInteraction): string {
    this.interactions.set(payload.id, { payload, createdAt: Date.now(), callbacks: [], originalId: null, placeholderPending: false, outcome: null });
    if (this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload) === 0) throw new Error('no bot is connected to the fake gateway');
    return payload.id;
  }

  /**
   * `/<command> <sub> option:value ...` typed by `user` in a server channel or in the bot's DMs. `sub` is
   * "start", or "challenge post" for a subcommand in a group; values are typed as the registered command
   * declares them (a channel, person or role by its id).
   */
  slash(user: APIUser, where: { guild: FakeGuild; channelId?: string } | 'dm', sub: string | null, options: Record<string, OptionValue> = {}, command = 'learn'): string {
    const actor = this.actor(user, where);
    const data = commandData(this.registered(command, actor.guild), actor, (id) => this.users.get(id)?.user, sub, options);
    return this.push(chatInput(this.applicationId, actor, this.commandRef(command, actor.guild), data));
  }

  autocomplete(user: APIUser, where: { guild: FakeGuild } | 'dm', sub: string, options: Record<string, OptionValue>, focused: string, command = 'learn'): string {
    const actor = this.actor(user, where);
    const data = commandData(this.registered(command, actor.guild), actor, (id) => this.users.get(id)?.user, sub, options, focused);
    return this.push(autocomplete(this.applicationId, actor, this.commandRef(command, actor.guild), data));
  }

  /** `user` presses the button `customId` on `message`, wherever that message is. */
  press(user: APIUser, message: APIMessage, customId: string): string {
    return this.push(buttonPress(this.applicationId, this.actorAt(user, message.channel_id), message, customId));
  }

  /** Submits a modal the bot showed; `from` is the message whose button opened it, if any. */
  submit(user: APIUser, modal: APIModalInteractionResponseCallbackData, values: Record<string, string>, where: { guild: FakeGuild } | 'dm', from?: APIMessage): string {
    const actor = from ? this.actorAt(user, from.channel_id) : this.actor(user, where);
    return this.push(modalSubmit(this.applicationId, actor, modal.custom_id, values, from));
  }

  payloadOf(interactionId: string): APIInteraction {
    return this.interactions.get(interactionId)!.payload;
  }

  callbacksOf(interactionId: string) {
    return this.interactions.get(interactionId)?.callbacks ?? [];
  }

  /** What the person saw as the answer to an interaction, once it is complete. Polls, with a bound. */
  async outcome(interactionId: string, timeoutMs = 5000): Promise<Outcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const record = this.interactions.get(interactionId);
      if (record?.outcome) return record.outcome;
      if (Date.now() > deadline) {
        throw new Error(`interaction ${interactionId} got no complete answer in ${timeoutMs} ms (callbacks: ${JSON.stringify(record?.callbacks)}; violations: ${this.violations.join('; ')})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // ---- HTTP ------------------------------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawPath = url.pathname.replace(/^\/api\/v10/, '');
    const path = rawPath.split('/').map(decodeURIComponent).join('/');
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { method, path, rawPath, query: url.searchParams, body: null, files: [], status: 0, at: Date.now() };
    this.requests.push(record);
    let status: number;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      if (!url.pathname.startsWith('/api/v10/')) throw apiError(404, 0, '404: Not Found');
      const parsed = await readBody(req);
      record.body = parsed.json;
      record.files = parsed.files;
      const fault = this.faults.before({ method, path }, this.clock());
      if (fault === 'hold') {
        record.unanswered = 'held';
        return this.faults.sockets.hold(req);
      }
      if (fault) {
        record.status = fault.status;
        res.writeHead(fault.status, fault.headers).end(fault.body);
        return;
      }
      const failure = this.failureFor(method, path);
      if (failure && !failure.afterEffect) throw failureError(failure);
      const result = this.route(method, path, url.searchParams, parsed, req.headers.authorization);
      if (failure) throw failureError(failure);
      status = result === undefined ? 204 : 200;
      body = result ?? null;
    } catch (caught) {
      // A bug in the fake itself must show as a failure, not as a retryable 500 the client quietly rides out.
      const error = caught instanceof HttpError ? caught : new HttpError(500, { message: `fake Discord crashed: ${String(caught)}`, code: 0 });
      if (!(caught instanceof HttpError)) this.violations.push(`fake Discord crashed on ${method} ${path}: ${String(caught)}`);
      status = error.status;
      body = error.body;
      headers = error.headers;
      if (status === 404 && (error.body?.code === 0 || error.body === null)) this.violations.push(`unknown route ${method} ${path}`);
    }
    if (status < 300 && this.faults.dropAfter({ method, path })) {
      record.unanswered = 'dropped';
      return this.faults.sockets.drop(res);
    }
    record.status = status;
    res.writeHead(status, { ...headers, ...(body === null ? {} : { 'content-type': 'application/json' }) });
    res.end(body === null ? undefined : JSON.stringify(body));
  }

  private failureFor(method: string, path: string): FailureRule | null {
    const rule = this.failures.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (!rule) return null;
    rule.times -= 1;
    return rule;
  }

  private requireBot(auth: string | undefined): void {
    if (auth !== `Bot ${this.token}`) {
      this.violations.push('a bot route was called without the bot token');
      throw apiError(401, 0, '401: Unauthorized');
    }
  }

  private route(method: string, path: string, query: URLSearchParams, body: ParsedBody, auth: string | undefined): unknown {
    const parts = path.split('/').filter(Boolean);
    const is = (m: string, pattern: string) => m === method && matches(parts, pattern);
    if (is('POST', 'interactions/:id/:token/callback')) return this.callback(parts[1]!, parts[2]!, body, query);
    if (is('PATCH', 'webhooks/:app/:token/messages/:message')) return this.editOriginal(parts[1]!, parts[2]!, parts[4]!, body);
    if (is('GET', 'webhooks/:app/:token/messages/:message')) return this.messages.get(this.webhookMessageId(parts[2]!, parts[4]!));
    if (is('POST', 'webhooks/:app/:token')) return this.followUp(parts[1]!, parts[2]!, body, query);
    this.requireBot(auth);
    if (is('GET', 'gateway/bot')) {
      return { url: this.wsUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } };
    }
    if (is('POST', 'users/@me/channels')) return this.openDm(body.json as { recipient_id?: string });
    if (is('POST', 'channels/:id/messages')) return this.createMessage(parts[1]!, body);
    if (is('GET', 'channels/:id/messages')) return this.listMessages(parts[1]!, query);
    if (is('GET', 'channels/:id/messages/:message')) return this.getMessage(parts[1]!, parts[3]!);
    if (is('GET', 'channels/:id')) return this.getChannel(parts[1]!);
    if (is('GET', 'guilds/:id')) return apiGuild(this.guildOr404(parts[1]!));
    if (is('GET', 'guilds/:id/members/:user')) {
      const guild = this.guildOr404(parts[1]!);
      const member = guild.members.get(parts[3]!);
      if (!member) throw apiError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
      return apiMember(guild, this.userOf(parts[3]!), member);
    }
    if (is('PUT', 'applications/:app/commands')) return this.putCommands(parts[1]!, 'global', body);
    if (is('PUT', 'applications/:app/guilds/:guild/commands')) return this.putCommands(parts[1]!, parts[3]!, body);
    throw apiError(404, 0, '404: Not Found');
  }

  private userOf(id: string): APIUser {
    return id === this.bot.id ? this.bot : this.users.get(id)!.user;
  }

  private guildOr404(id: string): FakeGuild {
    const guild = this.guilds.get(id);
    if (!guild) throw apiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
    return guild;
  }

  private getChannel(id: string) {
    const guild = [...this.guilds.values()].find((g) => g.channels.some((c) => c.id === id));
    if (guild) return apiChannel(guild, id);
    const recipient = this.dmRecipients.get(id);
    if (!recipient) throw apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    return { id, type: ChannelType.DM, recipients: [this.userOf(recipient)], last_message_id: null, flags: 0 };
  }

  private openDm(input: { recipient_id?: string }) {
    if (!input.recipient_id || !this.users.has(input.recipient_id)) throw apiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body');
    return this.getChannel(this.dmChannelOf(input.recipient_id));
  }

  private createMessage(channelId: string, body: ParsedBody): APIMessage {
    const input = body.json as MessageInput & { enforce_nonce?: boolean };
    const guild = [...this.guilds.values()].find((g) => g.channels.some((c) => c.id === channelId));
    const recipient = this.dmRecipients.get(channelId);
    if (!guild && !recipient) throw apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    if (recipient && !this.users.get(recipient)!.dmsOpen) throw apiError(403, RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'Cannot send messages to this user');
    if (guild) {
      const perms = permissionsIn(guild, channelId, this.bot.id);
      if (!(perms & PermissionFlagsBits.ViewChannel)) throw apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
      const needs = PermissionFlagsBits.SendMessages | (body.files.length ? PermissionFlagsBits.AttachFiles : 0n);
      if ((perms & needs) !== needs) throw apiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
    }
    this.checkUploads(body.files, UPLOAD_LIMIT, `POST /channels/${channelId}/messages`);
    this.validate(input, body.files.length, `POST /channels/${channelId}/messages`);
    const nonceKey = input.enforce_nonce && input.nonce !== undefined ? `${this.bot.id}:${String(input.nonce)}` : null;
    const existing = nonceKey ? this.nonces.get(nonceKey) : undefined;
    if (existing && this.clock() - existing.at < this.nonceTtlMs) return this.messages.get(existing.id)!;
    const message = buildMessage(input, { channelId, author: this.bot, users: this.users, files: body.files });
    this.store(message, body.files);
    if (nonceKey) this.nonces.set(nonceKey, { id: message.id, at: this.clock() });
    return message;
  }

  /** Reading a guild channel needs VIEW_CHANNEL (else 403 50001); without READ_MESSAGE_HISTORY it is empty, not refused. */
  private readable(channelId: string): { history: boolean } {
    const guild = [...this.guilds.values()].find((g) => g.channels.some((c) => c.id === channelId));
    if (!guild && !this.dmRecipients.has(channelId)) throw apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    if (!guild) return { history: true };
    const perms = permissionsIn(guild, channelId, this.bot.id);
    if (!(perms & PermissionFlagsBits.ViewChannel)) throw apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
    return { history: (perms & PermissionFlagsBits.ReadMessageHistory) !== 0n };
  }

  private listMessages(channelId: string, query: URLSearchParams): APIMessage[] {
    const { history } = this.readable(channelId);
    const result = historyPage(history ? this.historyOf(channelId) : [], query);
    if ('page' in result) return result.page;
    this.violations.push(`GET /channels/${channelId}/messages: ${result.problem}`);
    throw apiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, `Invalid Form Body: ${result.problem}`);
  }

  /** One message needs both VIEW_CHANNEL and READ_MESSAGE_HISTORY. */
  private getMessage(channelId: string, messageId: string): APIMessage {
    if (!this.readable(channelId).history) throw apiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
    const message = this.historyOf(channelId).find((m) => m.id === messageId);
    if (!message) throw apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    return message;
  }

  /** Discord refuses a file over the upload limit (the interaction's attachment_size_limit) with 40005. */
  private checkUploads(files: UploadedFile[], limit: number, where: string): void {
    const tooBig = files.filter((f) => f.size > limit);
    if (!tooBig.length) return;
    this.violations.push(`${where}: ${tooBig.map((f) => `${f.name} is ${f.size} bytes`).join(', ')} (upload limit ${limit})`);
    throw apiError(413, RESTJSONErrorCodes.RequestEntityTooLarge, 'Request entity too large');
  }

  private validate(input: MessageInput, files: number, where: string, isEdit = false): void {
    const problems = messageProblems(input, files, isEdit);
    if (!problems.length) return;
    this.violations.push(`${where}: ${problems.join('; ')}`);
    const empty = problems.some((p) => p.includes('50006'));
    throw apiError(400, empty ? RESTJSONErrorCodes.CannotSendAnEmptyMessage : RESTJSONErrorCodes.InvalidFormBodyOrContentType, problems.join('; '));
  }

  private putCommands(appId: string, scope: string, body: ParsedBody): APIApplicationCommand[] {
    if (appId !== this.applicationId) throw apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
    if (scope !== 'global') this.guildOr404(scope);
    const commands = body.json as RESTPutAPIApplicationCommandsJSONBody;
    const problems = commandProblems(commands);
    if (problems.length) {
      this.violations.push(`PUT commands: ${problems.join('; ')}`);
      throw apiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, problems.join('; '));
    }
    const stored = commands.map((c) => ({ ...c, id: snowflake(), application_id: appId, version: snowflake(), ...(scope === 'global' ? {} : { guild_id: scope }) })) as APIApplicationCommand[];
    this.commands.set(scope, stored);
    return stored;
  }

  // ---- interaction responses -------------------------------------------------------------------------------

  private byToken(appId: string, token: string): InteractionRecord {
    const record = [...this.interactions.values()].find((r) => r.payload.token === token);
    if (!record || appId !== this.applicationId) throw apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    return record;
  }

  private webhookMessageId(token: string, message: string): string {
    const record = [...this.interactions.values()].find((r) => r.payload.token === token);
    return message === '@original' ? (record?.originalId ?? '') : message;
  }

  private callback(id: string, token: string, body: ParsedBody, query: URLSearchParams): unknown {
    const record = this.interactions.get(id);
    if (!record || record.payload.token !== token) throw apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
    const { payload } = record;
    const elapsed = Date.now() - record.createdAt;
    if (elapsed > 3000) {
      this.violations.push(`interaction ${id} acknowledged after ${elapsed} ms (Discord allows 3000)`);
      throw apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
    }
    if (record.callbacks.length) {
      this.violations.push(`interaction ${id} acknowledged twice`);
      throw apiError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.');
    }
    const { type, data } = body.json as { type: InteractionResponseType; data?: MessageInput & Record<string, unknown> };
    const fromMessage = 'message' in payload && payload.message ? payload.message : null;
    const ephemeral = ((data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    const bad = (why: string) => {
      this.violations.push(`interaction ${id}: ${why}`);
      return apiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, why);
    };
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        this.checkUploads(body.files, payload.attachment_size_limit, `interaction ${id} reply`);
        this.validate(data ?? {}, body.files.length, `interaction ${id} reply`);
        const message = this.responseMessage(record, data ?? {}, body.files, data?.flags ?? 0);
        record.outcome = { kind: 'message', deferred: false, ephemeral, message };
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource:
        this.responseMessage(record, { content: '' }, [], MessageFlags.Loading | (data?.flags ?? 0));
        record.placeholderPending = true;
        break;
      case InteractionResponseType.DeferredMessageUpdate:
        if (!fromMessage) throw bad('DEFERRED_UPDATE_MESSAGE is only for components and modals opened from a message');
        record.originalId = this.known(fromMessage).id;
        break;
      case InteractionResponseType.UpdateMessage: {
        if (!fromMessage) throw bad('UPDATE_MESSAGE is only for components and modals opened from a message');
        this.checkUploads(body.files, payload.attachment_size_limit, `interaction ${id} update`);
        this.validate(data ?? {}, body.files.length, `interaction ${id} update`, true);
        const message = editMessage(this.known(fromMessage), data ?? {}, this.users, body.files);
        this.store(message, body.files);
        record.originalId = message.id;
        record.outcome = { kind: 'update', deferred: false, ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0, message };
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        if (payload.type !== InteractionType.ApplicationCommandAutocomplete) throw bad('autocomplete result for a non-autocomplete interaction');
        const choices = (data?.choices ?? []) as APIApplicationCommandOptionChoice[];
        if (choices.length > 25 || choices.some((c) => !c.name || c.name.length > 100 || String(c.value).length > 100)) throw bad('invalid autocomplete choices');
        record.outcome = { kind: 'choices', deferred: false, ephemeral: true, choices };
        break;
      }
      case InteractionResponseType.Modal: {
        if (payload.type === InteractionType.ModalSubmit || payload.type === InteractionType.ApplicationCommandAutocomplete) throw bad('a modal cannot answer a modal submit or autocomplete');
        const modal = data as unknown as APIModalInteractionResponseCallbackData;
        const problems = modalProblems(modal);
        if (problems.length) throw bad(`invalid modal: ${problems.join('; ')}`);
        record.outcome = { kind: 'modal', deferred: false, ephemeral: true, modal };
        break;
      }
      default:
        throw bad(`unexpected callback type ${type}`);
    }
    record.callbacks.push({ type, at: Date.now() });
    if (query.get('with_response') === 'true') {
      const message = record.originalId ? this.messages.get(record.originalId) : undefined;
      return { interaction: { id, type: payload.type }, resource: { type, ...(message ? { message } : {}) } };
    }
    return undefined;
  }

  /** Keeps a message the bot sent or edited, and the bytes of the files it uploaded with it (its newest attachments). */
  private store(message: APIMessage, files: UploadedFile[]): void {
    this.messages.set(message.id, message);
    const added = files.length ? message.attachments.slice(-files.length) : [];
    added.forEach((attachment, i) => this.uploads.set(attachment.id, files[i]!.data));
  }

  /** What a person downloads for an attachment the bot uploaded. */
  download(attachment: { id: string }): Buffer {
    const data = this.uploads.get(attachment.id);
    if (!data) throw new Error(`attachment ${attachment.id} was never uploaded`);
    return data;
  }

  /** A component's message as the fake knows it (a test may press a button on a message it built itself). */
  private known(message: APIMessage): APIMessage {
    const stored = this.messages.get(message.id);
    if (stored) return stored;
    this.messages.set(message.id, message);
    return message;
  }

  private responseMessage(record: InteractionRecord, input: MessageInput, files: UploadedFile[], flags: number): APIMessage {
    const channelId = record.payload.channel?.id ?? '';
    const type = record.payload.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default;
    const message = buildMessage({ ...input, flags }, { channelId, author: this.bot, users: this.users, files, type, webhookId: this.applicationId });
    this.store(message, files);
    record.originalId = message.id;
    return message;
  }

  private editOriginal(appId: string, token: string, messageRef: string, body: ParsedBody): APIMessage {
    const record = this.byToken(appId, token);
    if (!record.callbacks.length) {
      this.violations.push(`interaction ${record.payload.id}: edited before it was acknowledged`);
      throw apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    }
    const id = messageRef === '@original' ? record.originalId : messageRef;
    const existing = id ? this.messages.get(id) : undefined;
    if (!existing) throw apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    const input = body.json as MessageInput;
    this.checkUploads(body.files, record.payload.attachment_size_limit, `interaction ${record.payload.id} edit`);
    this.validate(input, body.files.length, `interaction ${record.payload.id} edit`, true);
    const message = editMessage(existing, input, this.users, body.files);
    this.store(message, body.files);
    this.settle(record, message, messageRef === '@original');
    return message;
  }

  private followUp(appId: string, token: string, body: ParsedBody, query: URLSearchParams): APIMessage | undefined {
    const record = this.byToken(appId, token);
    if (!record.callbacks.length) {
      this.violations.push(`interaction ${record.payload.id}: follow-up before it was acknowledged`);
      throw apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    }
    const input = body.json as MessageInput;
    this.checkUploads(body.files, record.payload.attachment_size_limit, `interaction ${record.payload.id} follow-up`);
    this.validate(input, body.files.length, `interaction ${record.payload.id} follow-up`);
    let message: APIMessage;
    if (record.placeholderPending) {
      // The first follow-up after a deferred reply fills the "thinking…" message, keeping its flags.
      message = editMessage(this.messages.get(record.originalId!)!, input, this.users, body.files);
      this.store(message, body.files);
      this.settle(record, message, true);
    } else {
      message = buildMessage(input, { channelId: record.payload.channel?.id ?? '', author: this.bot, users: this.users, files: body.files, webhookId: this.applicationId });
      this.store(message, body.files);
      record.outcome ??= { kind: 'message', deferred: true, ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0, message };
    }
    return query.get('wait') === 'true' ? message : undefined;
  }

  private settle(record: InteractionRecord, message: APIMessage, original: boolean): void {
    const ephemeral = ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    const ack = record.callbacks[0]?.type;
    if (original && ack === InteractionResponseType.DeferredMessageUpdate) record.outcome = { kind: 'update', deferred: true, ephemeral, message };
    else if (original && ack === InteractionResponseType.DeferredChannelMessageWithSource) record.outcome = { kind: 'message', deferred: true, ephemeral, message };
    else if (record.outcome?.message?.id === message.id) record.outcome = { ...record.outcome, message };
    record.placeholderPending = false;
  }
}

// ---- helpers ---------------------------------------------------------------------------------------------------

interface ParsedBody {
  json: unknown;
  files: UploadedFile[];
}

/** JSON, or multipart/form-data with payload_json and files[n], as discord.js sends attachments. */
async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (!raw.length) return { json: null, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    const files: UploadedFile[] = [];
    for (const [key, value] of form.entries()) {
      const index = /^files\[(\d+)\]$/.exec(key)?.[1];
      if (index !== undefined && typeof value !== 'string') {
        files.push({ index: Number(index), name: value.name, size: value.size, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    const payload = form.get('payload_json');
    return { json: typeof payload === 'string' ? JSON.parse(payload) : {}, files };
  }
  try {
    return { json: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    throw apiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'The request body contains invalid JSON.');
  }
}

function matches(parts: string[], pattern: string): boolean {
  const want = pattern.split('/');
  return want.length === parts.length && want.every((w, i) => w.startsWith(':') || w === parts[i]);
}

function failureError(rule: FailureRule): HttpError {
  if (rule.code !== undefined) return apiError(rule.status, rule.code, `Programmed failure ${rule.code}`);
  if (rule.status !== 429) return new HttpError(rule.status, null, { 'content-type': 'text/plain' });
  const retryAfter = rule.retryAfter ?? 1;
  return new HttpError(
    429,
    { message: 'You are being rate limited.', retry_after: retryAfter, global: rule.global ?? false },
    {
      'retry-after': String(retryAfter),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': String(retryAfter),
      'x-ratelimit-bucket': 'fake-bucket',
      'x-ratelimit-scope': rule.global ? 'global' : 'user',
      ...(rule.global ? { 'x-ratelimit-global': 'true' } : {}),
    },
  );
}

function modalProblems(modal: APIModalInteractionResponseCallbackData): string[] {
  const problems: string[] = [];
  if (!modal.custom_id || modal.custom_id.length > 100) problems.push('custom_id missing or over 100');
  if (!modal.title || modal.title.length > 45) problems.push('title must be 1-45 characters');
  if (!modal.components.length || modal.components.length > 5) problems.push('1 to 5 components');
  for (const component of modal.components) {
    if (!('component' in component)) continue;
    if (!component.label || component.label.length > 45) problems.push(`label must be 1-45 characters: ${component.label}`);
    const input = component.component;
    if ('max_length' in input && (input.max_length ?? 0) > 4000) problems.push('text input max_length over 4000');
    if ('label' in input) problems.push('a text input inside a Label must not have its own label');
  }
  return problems;
}

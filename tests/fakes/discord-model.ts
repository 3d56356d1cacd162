// The fake Discord's world: users, servers, channels, messages; Discord's permission and mention rules;
// and the payload checks Discord applies (a payload it would reject is rejected here too).
import {
  ButtonStyle,
  type ChannelType,
  ComponentType,
  MessageFlags,
  MessageType,
  OverwriteType,
  PermissionFlagsBits,
  type APIAllowedMentions,
  type APIAttachment,
  type APIEmbed,
  type APIGuildMember,
  type APIMessage,
  type APIMessageTopLevelComponent,
  type APIOverwrite,
  type APIRole,
  type APIUser,
} from 'discord-api-types/v10';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;
let last = 0n;

/**
 * A real-looking snowflake (timestamp, worker, increment), so discord.js's date maths hold. Strictly
 * increasing, as history paging by before/after relies on ids following creation order.
 */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  const next = ((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment;
  last = next > last ? next : last + 1n;
  return last.toString();
}

export function apiUser(id: string, username: string, globalName: string | null = null, bot = false): APIUser {
  return { id, username, global_name: globalName, discriminator: '0', avatar: null, ...(bot ? { bot: true } : {}) };
}

export interface FakeUser {
  user: APIUser;
  /** False: "Allow direct messages from server members" is off, or the bot is blocked. */
  dmsOpen: boolean;
}

export interface FakeMember {
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  channels: { id: string; name: string; type: ChannelType.GuildText; overwrites: APIOverwrite[] }[];
  members: Map<string, FakeMember>;
}

export function role(id: string, name: string, permissions: bigint, position = 0): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: true,
    flags: 0 as APIRole['flags'],
  };
}

export const EVERYONE_DEFAULT = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory | PermissionFlagsBits.UseApplicationCommands;
const ALL = (1n << 53n) - 1n;

/** Discord's permission algorithm: base (roles, owner, Administrator), then channel overwrites. */
export function permissionsIn(guild: FakeGuild, channelId: string | null, userId: string): bigint {
  if (guild.ownerId === userId) return ALL;
  const member = guild.members.get(userId);
  if (!member) return 0n;
  const roleBits = (id: string) => BigInt(guild.roles.find((r) => r.id === id)?.permissions ?? '0');
  let perms = member.roles.reduce((acc, id) => acc | roleBits(id), roleBits(guild.id));
  if (perms & PermissionFlagsBits.Administrator) return ALL;
  const channel = guild.channels.find((c) => c.id === channelId);
  if (!channel) return perms;
  const apply = (overwrites: APIOverwrite[]) => {
    const allow = overwrites.reduce((acc, o) => acc | BigInt(o.allow), 0n);
    const deny = overwrites.reduce((acc, o) => acc | BigInt(o.deny), 0n);
    perms = (perms & ~deny) | allow;
  };
  apply(channel.overwrites.filter((o) => o.id === guild.id));
  apply(channel.overwrites.filter((o) => o.type === OverwriteType.Role && member.roles.includes(o.id)));
  apply(channel.overwrites.filter((o) => o.type === OverwriteType.Member && o.id === userId));
  return perms;
}

export function apiMember(guild: FakeGuild, user: APIUser, member: FakeMember): APIGuildMember {
  return { user, roles: member.roles, nick: member.nick, joined_at: member.joinedAt, deaf: false, mute: false, flags: 0 as APIGuildMember['flags'], avatar: null, banner: null };
}

/** Who a message would notify, by Discord's rules: allowed_mentions decides what the text may ping. */
export function resolveMentions(content: string, allowed: APIAllowedMentions | undefined, users: Map<string, FakeUser>) {
  const parse = new Set(allowed?.parse ?? (allowed ? [] : ['everyone', 'users', 'roles']));
  const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]!);
  const roleIds = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!);
  const pingedUsers = userIds.filter((id) => parse.has('users') || allowed?.users?.includes(id));
  const pingedRoles = roleIds.filter((id) => parse.has('roles') || allowed?.roles?.includes(id));
  return {
    mention_everyone: parse.has('everyone') && /@(everyone|here)\b/.test(content),
    mentions: pingedUsers.flatMap((id) => (users.get(id) ? [users.get(id)!.user] : [])),
    mention_roles: pingedRoles,
  };
}

export interface MessageInput {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  allowed_mentions?: APIAllowedMentions;
  flags?: number;
  nonce?: string | number;
  /** Kept attachments by their id, and new ones by the index n of their `files[n]` upload, with alt text. */
  attachments?: { id: string | number; filename?: string; description?: string }[];
}

/** A `files[n]` part of a multipart request. */
export interface UploadedFile {
  index: number;
  name: string;
  size: number;
  contentType: string;
  data: Buffer;
}

/** The attachments entry describing upload `files[index]`. */
const describing = (input: MessageInput, index: number) => input.attachments?.find((a) => String(a.id) === String(index));

export function buildMessage(
  input: MessageInput,
  context: { channelId: string; author: APIUser; users: Map<string, FakeUser>; files: UploadedFile[]; type?: MessageType; webhookId?: string },
): APIMessage {
  const content = input.content ?? '';
  const attachments: APIAttachment[] = context.files.map((f) => ({
    id: snowflake(),
    filename: f.name,
    size: f.size,
    ...(f.contentType ? { content_type: f.contentType } : {}),
    ...(describing(input, f.index)?.description !== undefined ? { description: describing(input, f.index)!.description } : {}),
    url: `https://cdn.discordapp.com/attachments/${context.channelId}/${f.name}`,
    proxy_url: `https://media.discordapp.net/attachments/${context.channelId}/${f.name}`,
  }));
  return {
    id: snowflake(),
    channel_id: context.channelId,
    author: context.author,
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    ...resolveMentions(content, input.allowed_mentions, context.users),
    attachments,
    embeds: input.embeds ?? [],
    components: input.components ?? [],
    pinned: false,
    type: context.type ?? MessageType.Default,
    flags: input.flags ?? 0,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    ...(context.webhookId ? { webhook_id: context.webhookId } : {}),
  };
}

/** Applies an edit the way Discord does: fields present replace, fields absent stay. */
export function editMessage(message: APIMessage, input: MessageInput, users: Map<string, FakeUser>, files: UploadedFile[]): APIMessage {
  const content = input.content ?? message.content;
  const keptAttachments = input.attachments ? message.attachments.filter((a) => input.attachments!.some((k) => String(k.id) === a.id)) : message.attachments;
  const added = buildMessage({ attachments: input.attachments }, { channelId: message.channel_id, author: message.author, users, files }).attachments;
  return {
    ...message,
    content,
    ...resolveMentions(content, input.allowed_mentions, users),
    embeds: input.embeds ?? message.embeds,
    components: input.components ?? message.components,
    attachments: [...keptAttachments, ...added],
    flags: (message.flags ?? 0) & ~MessageFlags.Loading,
    edited_timestamp: new Date().toISOString(),
  };
}

/** Discord's checks on a message payload; each problem is one reason it answers 400 (50035) or 50006. */
export function messageProblems(input: MessageInput, fileCount: number, isEdit = false): string[] {
  const problems: string[] = [];
  const content = input.content ?? '';
  if (content.length > 2000) problems.push(`content is ${content.length} characters (max 2000)`);
  const embeds = input.embeds ?? [];
  if (embeds.length > 10) problems.push('more than 10 embeds');
  let total = 0;
  for (const e of embeds) {
    if ((e.title?.length ?? 0) > 256) problems.push('embed title over 256');
    if ((e.description?.length ?? 0) > 4096) problems.push('embed description over 4096');
    if ((e.fields?.length ?? 0) > 25) problems.push('more than 25 embed fields');
    for (const f of e.fields ?? []) {
      if (!f.name.trim() || f.name.length > 256) problems.push('embed field name blank or over 256');
      if (!f.value.trim() || f.value.length > 1024) problems.push('embed field value blank or over 1024');
    }
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  }
  if (total > 6000) problems.push(`embeds total ${total} characters (max 6000)`);
  const rows = input.components ?? [];
  if (rows.length > 5) problems.push('more than 5 action rows');
  const ids = new Set<string>();
  for (const row of rows) {
    if (row.type !== ComponentType.ActionRow) continue;
    if (row.components.length > 5) problems.push('more than 5 buttons in a row');
    for (const c of row.components) {
      if (c.type !== ComponentType.Button) continue;
      const label = 'label' in c ? (c.label ?? '') : '';
      if (label.length > 80) problems.push(`button label over 80: ${label}`);
      if (c.style === ButtonStyle.Link || c.style === ButtonStyle.Premium) continue;
      if (!c.custom_id || c.custom_id.length > 100) problems.push('button custom_id missing or over 100');
      else if (ids.has(c.custom_id)) problems.push(`duplicate custom_id ${c.custom_id}`);
      else ids.add(c.custom_id);
    }
  }
  if (input.nonce !== undefined && String(input.nonce).length > 25) problems.push('nonce over 25 characters');
  if (fileCount > 10) problems.push(`${fileCount} files (max 10 per message)`);
  for (const a of input.attachments ?? []) {
    if ((a.description?.length ?? 0) > 1024) problems.push(`attachment ${a.id}: description over 1024 characters`);
  }
  if (!isEdit && !content.trim() && !embeds.length && !fileCount) problems.push('empty message (50006)');
  return problems;
}

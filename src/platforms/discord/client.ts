// The discord.js Client: one non-privileged intent, bounded caches, no pings, an optional REST proxy.
import { Client, GatewayIntentBits, Options, type RESTOptions } from 'discord.js';

/** What the adapter needs from config.ts's DiscordConfig (platforms never import config.ts). */
export interface DiscordSettings {
  token: string;
  applicationId: string;
  guildId?: string;
  /** A Discord REST proxy, e.g. https://discord-proxy.internal/api (the version is appended). */
  apiUrl?: string;
}

/** REST knobs tests turn down (retries, offsets); production keeps discord.js's defaults. */
export type RestTuning = Partial<Pick<RESTOptions, 'retries' | 'timeout' | 'offset' | 'globalRequestsPerSecond'>>;

const isSelf = (entry: { id: string; client: Client }) => entry.id === entry.client.user?.id;

export function createClient(config: DiscordSettings, rest: RestTuning = {}): Client {
  const client = new Client({
    // Interactions arrive whatever the intents; Guilds keeps the server, channel and role caches that
    // diagnosing a permission error needs. No privileged intent (members, presences, message content).
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    // Caches that would grow with every member, message or user seen hold nothing, except the bot itself.
    // Guilds, channels and roles cannot be limited (discord.js needs them) and grow only with servers.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      DMMessageManager: 0,
      GuildMessageManager: 0,
      ThreadMemberManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      PresenceManager: 0,
      VoiceStateManager: 0,
      GuildEmojiManager: 0,
      BaseGuildEmojiManager: 0,
      GuildStickerManager: 0,
      GuildBanManager: 0,
      GuildInviteManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
      ApplicationEmojiManager: 0,
      EntitlementManager: 0,
      GuildMemberManager: { maxSize: 0, keepOverLimit: isSelf },
      UserManager: { maxSize: 0, keepOverLimit: isSelf },
    }),
    sweepers: { ...Options.DefaultSweeperSettings },
    rest: { ...(config.apiUrl ? { api: config.apiUrl } : {}), ...rest },
  });
  // Under a ShardingManager, discord.js has already given this process its shards (and set client.shard).
  // Otherwise one process runs as many shards as Discord recommends: 1 below 2,500 servers (README.md, "Running Backend Mentor on Discord").
  if (!client.shard) client.options.shards = 'auto';
  // The Messenger sends before (or without) a gateway login, as worker processes do.
  client.rest.setToken(config.token);
  return client;
}

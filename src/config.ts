// The only place that reads the environment. Every error names the variable and how to fix it.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { KEY_BYTES } from './db/sealed.js';
import { DEFAULT_LESSON_CONCURRENCY } from './jobs/payloads.js';
import type { DiscordSettings } from './platforms/discord/client.js';
import type { SlackConfig } from './platforms/slack/adapter.js';

const optionalUrl = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(
      z
        .url({ message: `must be a URL such as ${example}` })
        .refine((v) => protocols.some((p) => v.startsWith(`${p}://`)), `must start with ${protocols.map((p) => `${p}://`).join(' or ')} (for example ${example})`)
        .optional(),
    )
    .optional();

const secret = (what: string, prefix?: string) =>
  z
    .string()
    .trim()
    .min(8, `looks too short to be ${what}`)
    .refine((v) => !prefix || v.startsWith(prefix), `must be ${what}, which starts with "${prefix}"`)
    .optional();

const snowflake = (what: string) => z.string().regex(/^\d{17,20}$/, `must be ${what}: a number of 17 to 20 digits`).optional();

const envSchema = z.object({
  DATABASE_URL: optionalUrl(['postgres', 'postgresql'], 'postgres://user:password@localhost:5432/backend_mentor'),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  CONTENT_DIR: z.string().trim().min(1).default('content'),
  COURSE_ID: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be the id of a course under CONTENT_DIR, for example backend-foundations')
    .default('backend-foundations'),
  DEFAULT_TIMEZONE: z
    .string()
    .default('UTC')
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA timezone such as Europe/Berlin or America/New_York'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PLAYGROUND_USER: z.string().trim().min(1).max(32).default('you'),
  HEALTH_PORT: z.coerce.number({ message: 'must be a port number such as 8080' }).int().min(1).max(65535).optional(),
  REDIS_URL: optionalUrl(['redis', 'rediss'], 'redis://localhost:6379'),
  ROLE: z.enum(['all', 'bot', 'worker'], { message: 'must be all, bot or worker' }).default('all'),
  DELIVERY_RATE_PER_SECOND: z.coerce.number({ message: 'must be a number of deliveries per second, 0 for no limit' }).int().min(0).max(10_000).default(40),
  DELIVERY_CONCURRENCY: z.coerce.number({ message: 'must be how many lessons a worker process delivers at once, such as 256' }).int().min(1).max(1_000).default(DEFAULT_LESSON_CONCURRENCY),

  DISCORD_TOKEN: secret('the bot token from the Discord developer portal (Bot > Reset Token)'),
  DISCORD_APPLICATION_ID: snowflake('the Application ID from the Discord developer portal (General Information)'),
  DISCORD_GUILD_ID: snowflake('a server id (enable Developer Mode, right-click the server, Copy Server ID)'),
  DISCORD_API_URL: optionalUrl(['http', 'https'], 'https://discord-proxy.internal/api'),

  SLACK_BOT_TOKEN: secret('the Bot User OAuth Token', 'xoxb-'),
  SLACK_APP_TOKEN: secret('an app-level token with connections:write', 'xapp-'),
  SLACK_SIGNING_SECRET: secret('the Signing Secret from Basic Information'),
  SLACK_CLIENT_ID: z.string().trim().regex(/^\d+\.\d+$/, 'must be the Client ID from Basic Information, like 1234567890.1234567890').optional(),
  SLACK_CLIENT_SECRET: secret('the Client Secret from Basic Information'),
  SLACK_STATE_SECRET: secret('a random string you choose, at least 8 characters, to sign OAuth state'),
  SLACK_INSTALLATION_KEY: z
    .string()
    .trim()
    .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === KEY_BYTES, `must be ${KEY_BYTES} random bytes in base64: make one with \`openssl rand -base64 ${KEY_BYTES}\``)
    .optional(),
  SLACK_API_URL: optionalUrl(['http', 'https'], 'https://slack-gov.com/api/'),
  PORT: z.coerce.number({ message: 'must be a port number such as 3000' }).int().min(1).max(65535).default(3000),
});

type Env = z.infer<typeof envSchema>;

// Each platform declares the settings it needs; config.ts fills them in (platforms never read config.ts).
export type DiscordConfig = DiscordSettings;
export type { SlackConfig };

export type Config = Env & {
  /** No platform configured: the local playground. */
  mode: 'playground' | 'platforms';
  discord?: DiscordConfig;
  slack?: SlackConfig;
};

function discordConfig(env: Env, problems: string[]): DiscordConfig | undefined {
  if (!env.DISCORD_TOKEN) {
    if (env.DISCORD_APPLICATION_ID || env.DISCORD_GUILD_ID) problems.push('DISCORD_TOKEN is needed when DISCORD_APPLICATION_ID or DISCORD_GUILD_ID is set');
    return undefined;
  }
  if (!env.DISCORD_APPLICATION_ID) {
    problems.push('DISCORD_APPLICATION_ID is needed with DISCORD_TOKEN: copy it from the Discord developer portal (General Information)');
    return undefined;
  }
  return { token: env.DISCORD_TOKEN, applicationId: env.DISCORD_APPLICATION_ID, guildId: env.DISCORD_GUILD_ID, apiUrl: env.DISCORD_API_URL };
}

function slackConfig(env: Env, problems: string[]): SlackConfig | undefined {
  const oauthParts = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
  const anySlack = env.SLACK_BOT_TOKEN || env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET || oauthParts.some(Boolean);
  if (!anySlack) return undefined;
  const oauth =
    env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET
      ? {
          clientId: env.SLACK_CLIENT_ID,
          clientSecret: env.SLACK_CLIENT_SECRET,
          stateSecret: env.SLACK_STATE_SECRET,
          installationKey: env.SLACK_INSTALLATION_KEY ? Buffer.from(env.SLACK_INSTALLATION_KEY, 'base64') : undefined,
        }
      : undefined;
  if (oauthParts.some(Boolean) && !oauth) {
    problems.push('SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET go together for multi-workspace installs: set all three or none');
    return undefined;
  }
  if (oauth && !env.SLACK_INSTALLATION_KEY) {
    problems.push(
      `SLACK_INSTALLATION_KEY is needed with OAuth installs: each workspace's bot token is stored encrypted with it. Make one with \`openssl rand -base64 ${KEY_BYTES}\` and keep it safe: installations saved with it cannot be read without it`,
    );
    return undefined;
  }
  const base = { botToken: env.SLACK_BOT_TOKEN, appToken: env.SLACK_APP_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, oauth, apiUrl: env.SLACK_API_URL, port: env.PORT };
  if (env.SLACK_APP_TOKEN) {
    if (!env.SLACK_BOT_TOKEN && !oauth) problems.push('SLACK_BOT_TOKEN is needed with SLACK_APP_TOKEN (Socket Mode): copy the Bot User OAuth Token from OAuth & Permissions');
    return { ...base, transport: 'socket' };
  }
  if (!env.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) is needed to receive Slack events');
    return undefined;
  }
  if (!env.SLACK_BOT_TOKEN && !oauth) problems.push('SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SECRET/STATE_SECRET (OAuth installs) is needed in HTTP mode');
  return { ...base, transport: 'http' };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (VAR= in a .env file) means "not set", for every variable alike.
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const problems: string[] = [];
  const discord = discordConfig(parsed.data, problems);
  const slack = slackConfig(parsed.data, problems);
  if (problems.length) throw new ConfigError(problems);
  return { ...parsed.data, mode: discord || slack ? 'platforms' : 'playground', discord, slack };
}

/** Safe to log: no secrets, credentials masked. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    mode: config.mode,
    database: config.DATABASE_URL ? maskCredentials(config.DATABASE_URL) : `embedded (${config.DATA_DIR}/postgres)`,
    course: config.COURSE_ID,
    jobs: config.REDIS_URL ? `redis (${maskCredentials(config.REDIS_URL)})` : 'postgres',
    role: config.ROLE,
    discord: config.discord ? { guild: config.discord.guildId ?? 'global', apiUrl: config.discord.apiUrl ?? 'default' } : 'off',
    slack: config.slack ? { transport: config.slack.transport, oauth: Boolean(config.slack.oauth) } : 'off',
  };
}

function maskCredentials(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

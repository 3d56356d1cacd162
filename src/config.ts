// The only place that reads the environment. Every error names the variable and how to fix it.
import { IANAZone } from 'luxon';
import { z } from 'zod';

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
});

export type Config = z.infer<typeof envSchema> & { mode: 'playground' };

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
  return { ...parsed.data, mode: 'playground' };
}

/** Safe to log: no secrets, credentials masked. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    mode: config.mode,
    database: config.DATABASE_URL ? maskCredentials(config.DATABASE_URL) : `embedded (${config.DATA_DIR}/postgres)`,
    course: config.COURSE_ID,
  };
}

function maskCredentials(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

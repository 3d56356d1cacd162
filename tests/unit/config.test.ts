import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../../src/config.js';

/** The ConfigError loadConfig throws for `env`; fails the test if it does not throw one. */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('uses defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      mode: 'playground',
      DATABASE_URL: undefined,
      DATA_DIR: '.data',
      CONTENT_DIR: 'content',
      COURSE_ID: 'backend-foundations',
      DEFAULT_TIMEZONE: 'UTC',
      LOG_LEVEL: 'info',
      PLAYGROUND_USER: 'you',
      ROLE: 'all',
      DELIVERY_RATE_PER_SECOND: 40,
      DELIVERY_CONCURRENCY: 256,
      PORT: 3000,
      discord: undefined,
      slack: undefined,
    });
  });

  it('reads the values it is given', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u:p@db:5432/mentor',
      DEFAULT_TIMEZONE: 'Asia/Kolkata',
      LOG_LEVEL: 'debug',
      COURSE_ID: 'other-course',
    });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgresql://u:p@db:5432/mentor',
      DEFAULT_TIMEZONE: 'Asia/Kolkata',
      LOG_LEVEL: 'debug',
      COURSE_ID: 'other-course',
    });
  });

  it.each(['', '   '])('treats DATABASE_URL=%j as unset', (value) => {
    expect(loadConfig({ DATABASE_URL: value }).DATABASE_URL).toBeUndefined();
  });

  it.each(['mysql://x', 'not a url', 'http://u:p@h/db'])('rejects DATABASE_URL=%j and names the variable', (value) => {
    const error = configError({ DATABASE_URL: value });
    expect(error.message).toContain('DATABASE_URL');
    expect(error.problems.every((p) => p.startsWith('DATABASE_URL'))).toBe(true);
  });

  it.each(['Mars/Olympus_Mons', 'Berlin', 'UTC+3'])('rejects DEFAULT_TIMEZONE=%j and names the variable', (zone) => {
    const error = configError({ DEFAULT_TIMEZONE: zone });
    expect(error.message).toContain('DEFAULT_TIMEZONE');
    expect(error.message).not.toContain('DATABASE_URL');
  });

  it.each(['0', 'many', '5000'])('rejects DELIVERY_CONCURRENCY=%j with what it wants', (value) => {
    const error = configError({ DELIVERY_CONCURRENCY: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^DELIVERY_CONCURRENCY/);
  });

  it('reports every bad variable at once', () => {
    const error = configError({ DATABASE_URL: 'mysql://x', DEFAULT_TIMEZONE: 'Nowhere/Land', LOG_LEVEL: 'loud' });
    const named = error.problems.map((p) => p.split(' ')[0]);
    expect(new Set(named)).toEqual(new Set(['DATABASE_URL', 'DEFAULT_TIMEZONE', 'LOG_LEVEL']));
  });

  it('ignores unrelated variables', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/bin', SECRET: 'x' })).not.toHaveProperty('SECRET');
  });
});

describe('describeConfig', () => {
  it('masks the credentials of DATABASE_URL', () => {
    const described = JSON.stringify(describeConfig(loadConfig({ DATABASE_URL: 'postgres://u:s3cret@h/db' })));
    expect(described).not.toContain('s3cret');
    expect(described).toContain('h/db');
  });

  it('shows the embedded database when DATABASE_URL is unset', () => {
    expect(JSON.stringify(describeConfig(loadConfig({ DATA_DIR: '/var/mentor' })))).toContain('embedded (/var/mentor/postgres)');
  });

  it('never shows a percent-encoded password', () => {
    const password = fc.string({ minLength: 6, maxLength: 30 }).filter((p) => p.trim().length === p.length);
    fc.assert(
      fc.property(password, fc.constantFrom('postgres', 'postgresql'), (pw, scheme) => {
        const encoded = encodeURIComponent(pw);
        fc.pre(!`${scheme}://***@db.internal:5432/app`.includes(encoded));
        const described = JSON.stringify(describeConfig(loadConfig({ DATABASE_URL: `${scheme}://mentor:${encoded}@db.internal:5432/app` })));
        expect(described).not.toContain(encoded);
      }),
    );
  });

  it('never shows any part of a password that contains a raw @', () => {
    // postgres.js and WHATWG URL both split at the last @, so this URL works with password "p@ssw0rd".
    const url = 'postgres://mentor:p@ssw0rd@db.internal/app';
    expect(new URL(url).password).toBe('p%40ssw0rd');
    const described = JSON.stringify(describeConfig(loadConfig({ DATABASE_URL: url })));
    expect(described).not.toContain('ssw0rd');
  });
});

describe('platform configuration', () => {
  const botToken = 'xoxb-1234-5678-abcdef';
  const appToken = 'xapp-1-A0001-1234-abcdef';

  it('turns on Discord with a token and an application id', () => {
    const config = loadConfig({ DISCORD_TOKEN: 'MTIz.secret.token', DISCORD_APPLICATION_ID: '123456789012345678' });
    expect(config.mode).toBe('platforms');
    expect(config.discord).toEqual({ token: 'MTIz.secret.token', applicationId: '123456789012345678', guildId: undefined, apiUrl: undefined });
  });

  it('names what is missing when Discord is half configured', () => {
    expect(() => loadConfig({ DISCORD_TOKEN: 'MTIz.secret.token' })).toThrow(/DISCORD_APPLICATION_ID is needed/);
    expect(() => loadConfig({ DISCORD_APPLICATION_ID: '123456789012345678' })).toThrow(/DISCORD_TOKEN is needed/);
    expect(() => loadConfig({ DISCORD_TOKEN: 'MTIz.secret.token', DISCORD_APPLICATION_ID: 'my-app' })).toThrow(/DISCORD_APPLICATION_ID must be/);
  });

  it('picks Socket Mode with an app token and HTTP mode with a signing secret', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken }).slack?.transport).toBe('socket');
    const http = loadConfig({ SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: 'signing-secret-1', PORT: '4000' }).slack;
    expect(http).toMatchObject({ transport: 'http', port: 4000, signingSecret: 'signing-secret-1' });
  });

  it('wants all three OAuth values or none, and checks token prefixes', () => {
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 'signing-secret-1', SLACK_CLIENT_ID: '123.456' })).toThrow(/go together/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token-1', SLACK_APP_TOKEN: appToken })).toThrow(/SLACK_BOT_TOKEN must be .*xoxb-/);
    expect(() => loadConfig({ SLACK_APP_TOKEN: appToken })).toThrow(/SLACK_BOT_TOKEN is needed/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: botToken })).toThrow(/SLACK_APP_TOKEN \(Socket Mode\) or SLACK_SIGNING_SECRET/);
    const oauthEnv = { SLACK_SIGNING_SECRET: 'signing-secret-1', SLACK_CLIENT_ID: '123.456', SLACK_CLIENT_SECRET: 'client-secret-1', SLACK_STATE_SECRET: 'state-secret-1' };
    const key = Buffer.alloc(32, 7);
    const oauth = loadConfig({ ...oauthEnv, SLACK_INSTALLATION_KEY: key.toString('base64') });
    expect(oauth.slack?.oauth).toEqual({ clientId: '123.456', clientSecret: 'client-secret-1', stateSecret: 'state-secret-1', installationKey: key });
  });

  it('wants a 32-byte SLACK_INSTALLATION_KEY with OAuth installs, and says how to make one', () => {
    const oauthEnv = { SLACK_SIGNING_SECRET: 'signing-secret-1', SLACK_CLIENT_ID: '123.456', SLACK_CLIENT_SECRET: 'client-secret-1', SLACK_STATE_SECRET: 'state-secret-1' };
    expect(() => loadConfig(oauthEnv)).toThrow(/SLACK_INSTALLATION_KEY is needed with OAuth installs: .* `openssl rand -base64 32`/);
    for (const bad of [Buffer.alloc(16).toString('base64'), 'not base64 at all!', Buffer.alloc(33).toString('base64')]) {
      expect(() => loadConfig({ ...oauthEnv, SLACK_INSTALLATION_KEY: bad }), bad).toThrow(/SLACK_INSTALLATION_KEY must be 32 random bytes in base64/);
    }
  });

  it('never puts a token into the description it logs', () => {
    const installationKey = Buffer.alloc(32, 9).toString('base64');
    const config = loadConfig({ DISCORD_TOKEN: 'MTIz.secret.token', DISCORD_APPLICATION_ID: '123456789012345678', SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, REDIS_URL: 'redis://:hunter22@cache:6379', SLACK_CLIENT_ID: '123.456', SLACK_CLIENT_SECRET: 'client-secret-1', SLACK_STATE_SECRET: 'state-secret-1', SLACK_INSTALLATION_KEY: installationKey });
    const logged = JSON.stringify(describeConfig(config));
    for (const secret of ['MTIz.secret.token', botToken, appToken, 'hunter22', 'client-secret-1', 'state-secret-1', installationKey]) expect(logged).not.toContain(secret);
    expect(logged).toContain('socket');
  });
});

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
